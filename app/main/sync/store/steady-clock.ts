/**
 * The sync's steady clock (ms, on the wall clock's scale): when sync.sqlite's acknowledged ranges,
 * quarantined lines acknowledged on another try, checkpoints and the upstream's last probe were
 * recorded. These times order and age what is kept (the re-send window, pruning, thinning,
 * the checks between restarts), so a step of the wall clock must not move them: by the wall
 * clock, an hour back hid every checkpoint of the hour before from the checks (a database
 * dropped went unnoticed for that hour), an hour forward pruned the re-send window's ranges.
 * It is the monotonic clock from the wall clock at start, never behind the newest steady time
 * stored (a station started again after its wall clock stepped back goes on from there).
 */
import type { SyncStore } from './sync-store.js';

export function steadyClock(store: SyncStore, upstream: string, wall: () => number, mono: () => number): () => number {
  const epoch = Math.max(wall(), store.latestSteady(upstream)) - mono();
  return () => epoch + mono();
}
