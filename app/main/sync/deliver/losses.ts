/**
 * Data missing at the station before it could be sent (retention deleted it, a volume gone, a
 * source restored from an older copy): reported once per hole and upstream. The same hole is
 * found again by every read over it (the batch read again after a station restart, the read
 * ahead dropped, a replay after an upstream restart): reported each time, one hole showed as
 * several losses to a supervisor counting them. A part not reported before is always reported.
 */
import type { SyncStore } from '../store/sync-store.js';
import { deletedRecords } from '../streams/sequenced.js';
import type { StreamRead } from '../streams/stream.js';

export type OnLoss = (stream: string, detail: string) => void;

/** Reports what `read` found missing and was not reported to this upstream before; `replay`: the reason of the re-send that read it. */
export function reportLost(store: SyncStore, upstream: string, stream: string, read: StreamRead, onLoss: OnLoss, replay?: string): void {
  if (!read.lost) return;
  const said = (text: string) => onLoss(stream, replay === undefined ? text : `sending again (${replay}): ${text}`);
  const holes = read.holes;
  if (!holes || holes.length === 0) {
    said(read.lost); // a source that cannot say what it is about: never dropped
    return;
  }
  // One transaction: a hole recorded as reported is reported (a crash in between loses neither).
  store.transaction(() => {
    const fresh = store.takeNewHoles(upstream, stream, holes);
    if (fresh.length === 0) return;
    const when = replay === undefined ? undefined : 'before they could be sent again';
    said(fresh.map((h) => ('name' in h ? h.detail : deletedRecords(stream, h.first, h.last, when))).join('; '));
  });
}
