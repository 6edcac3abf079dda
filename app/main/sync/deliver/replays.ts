/**
 * Re-sends: ranges already acknowledged that go again, either because the
 * upstream restarted and may have lost what it acknowledged last (kind
 * 'cursor': a range of stream positions), or because an engineer asked for a
 * time range (kind 'time'). They never move a watermark; lines the station
 * refused were quarantined the first time and are not quarantined again, nor
 * are lines of a 'cursor' range the upstream drops as past its retention now
 * (it took them, and its own policy expired them), nor those of a 'time' range
 * (the engineer who asked is told instead: a retry could only be refused again).
 */
import { Lines } from '../line-protocol/batch.js';
import type { SyncStore } from '../store/sync-store.js';
import { reasonOfColumn } from '../store/replay-reason.js';
import type { OutboxStream } from '../streams/stream.js';
import type { LaneBatch } from './lanes.js';
import { type OnLoss, reportLost } from './losses.js';

export function replayBatch(store: SyncStore, streams: readonly OutboxStream[], upstream: string, id: number, max: number,
  onLoss?: OnLoss): LaneBatch | null {
  const r = store.replays(upstream).find((x) => x.id === id);
  if (!r) return null;
  const s = streams.find((x) => x.name === r.stream);
  if (!s) {
    store.endReplay(id); // the stream is no longer sent to this upstream
    return null;
  }
  const lines = new Lines();
  let position: string;
  let done: boolean;
  if (r.kind === 'cursor') {
    const after = r.position ?? r.from;
    const read = s.read(after, max, r.to, lines);
    // What is no longer at the station cannot go again: said, never skipped silently.
    if (onLoss) reportLost(store, upstream, s.name, read, onLoss, reasonOfColumn(r.reason));
    position = read.cursor ?? '';
    done = !read.more || read.cursor === null || s.compare(read.cursor, r.to) >= 0;
  } else {
    if (!s.readTimeRange) {
      store.endReplay(id);
      return null;
    }
    const read = s.readTimeRange(Number(r.from), Number(r.to), r.position, max, lines);
    position = read.position;
    done = read.done;
  }
  return {
    lane: `replay:${id}`, stream: s.name, from: r.position ?? r.from, to: position, lines, settled: 0, unconfirmed: 0,
    resend: true, acknowledged: r.kind === 'cursor', ...(r.kind === 'time' && { asked: { from: Number(r.from), to: Number(r.to), at: r.requestedAt, pastRetention: (n) => store.countPastRetention(id, n) } }), more: !done, oldestWrittenAt: null, maxLines: max,
    refuse: (i, reason, now, said) => store.addQuarantine(upstream, s.name, [{ origin: 'upstream', line: lines.line(i), reason, ...(said && { said }), t: lines.times[i]!, key: lines.keys[i]!, record: null }], now),
    complete: () => {
      if (done) store.endReplay(id);
      else store.advanceReplay(id, position, lines.count);
    },
  };
}
