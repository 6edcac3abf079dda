/**
 * Data missing at the station before it could be sent (retention deleted it, a volume gone, a
 * source restored from an older copy): reported once per hole and upstream. The same hole is
 * found again by every read over it (the batch read again after a station restart, the read
 * ahead dropped, a replay after an upstream restart): reported each time, one hole showed as
 * several losses to a supervisor counting them. A part not reported before is always reported.
 */
import type { SyncStore } from '../store/sync-store.js';
import { deletedRecordsText } from '../streams/sequenced.js';
import type { StreamRead } from '../streams/stream.js';
import { english, type SyncText, text } from '../../../shared/sync-text.js';

/** A loss: its stream, its English detail (the log, the alarm) and the same as a catalog message (the Sync page). */
export type OnLoss = (stream: string, detail: string, said: SyncText) => void;

/**
 * Reports what `read` found missing and was not reported to this upstream before; `replay`: the
 * reason of the re-send that read it (a message; English text from a sync.sqlite of an earlier version).
 */
export function reportLost(store: SyncStore, upstream: string, stream: string, read: StreamRead, onLoss: OnLoss, replay?: SyncText | string): void {
  if (!read.lost) return;
  const said = (detail: SyncText) => {
    const t = replay === undefined ? detail : text('sync.loss.resending', { reason: replay, detail });
    onLoss(stream, english(t), t);
  };
  const holes = read.holes;
  if (!holes || holes.length === 0) {
    said(read.lostText ?? text('sync.loss.station', { detail: read.lost })); // a source that cannot say what it is about: never dropped
    return;
  }
  // One transaction: a hole recorded as reported is reported (a crash in between loses neither).
  store.transaction(() => {
    const fresh = store.takeNewHoles(upstream, stream, holes);
    if (fresh.length === 0) return;
    const again = replay !== undefined;
    const parts = fresh.map((h) => ('name' in h ? h.text ?? text('sync.loss.station', { detail: h.detail }) : deletedRecordsText(stream, h.first, h.last, again)));
    said(parts.length === 1 ? parts[0]! : text('sync.loss.list', { parts }));
  });
}
