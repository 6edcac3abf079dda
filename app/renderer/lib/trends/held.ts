/**
 * A value that held on the live trend. OPC UA reports by exception: a value that does not change
 * sends nothing, so the next sample may come minutes after the last one. The archive keeps that
 * span flat and then a step: HIST's cyclic record (historian/compression/analog.ts), the previous
 * value again one acquisition cycle before the new sample when more than two cycles passed.
 * Live samples get the same record, so the live line and a reload of the same span agree, instead
 * of one slope from the old value to the new one that reads as a level measured moving.
 *
 * The cycle is the archive's own: the tag's CONFIGURED sampling interval (app/main/station/archive.ts
 * historianTagConfig cycleMs), or the one the server granted where that is slower, as the
 * historian's compressor goes by (historian/compression/settings.ts grantedCycleMs); a configured 0
 * (as fast as the server can) keeps no cyclic record in the archive, so none here. Until the
 * station sends the archive's cycle, the granted one stands in for it. The console gets the newest sample of
 * each publish only (app/main/station/live-cache.ts keeps the last per tag), so a value moving at
 * every sample arrives once per publishing interval: a value counts as held only when more than
 * two update intervals (the slower of sampling and publishing) and two of the archive's cycles
 * passed, as the frozen-value window does (app/shared/config/station-checks.ts).
 */
import type { TagSource } from '../../../shared/api.js';
import { grantedCycleMs } from '../../../../historian/compression/settings.js';

export interface HeldRule {
  /** Where the held value stands again: this long before the new sample (ms), the archive's cycle. */
  cycleMs: number;
  /** A gap between two samples longer than this (ms) means the value held. */
  afterMs: number;
}

/** Fastest change the station counts with sampling 0 or below 50 ms (subscription.ts checkQueues). */
const FASTEST_MS = 50;

/** No rule holds after less than this (two of the fastest updates): shorter silences need no look-up. */
export const HELD_AFTER_MIN_MS = 2 * FASTEST_MS;

/**
 * The rule for a tag from what the server granted its monitored item (tags.sources `sampling`) and
 * the archive's cycle for it (`archiveCycleMs`, the configured sampling interval; undefined: not
 * known, the granted one instead). Null when the grant is not known yet (its publishing says what
 * a silence is), or the cycle is 0 (as fast as the server can: no cycle to hold by).
 */
export function heldRule(sampling: TagSource['sampling'] | null | undefined, archiveCycleMs?: number): HeldRule | null {
  if (!sampling) return null;
  const cycleMs = archiveCycleMs === undefined ? sampling.samplingIntervalMs : grantedCycleMs(archiveCycleMs, sampling.samplingIntervalMs);
  if (!(cycleMs > 0)) return null;
  // perPublish = ceil(publishing / max(sampling, 50)): perPublish × that is at least the publishing interval (and the sampling).
  const publishMs = sampling.perPublish * Math.max(sampling.samplingIntervalMs, FASTEST_MS);
  return { cycleMs, afterMs: 2 * Math.max(cycleMs, publishMs) };
}
