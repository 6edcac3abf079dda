/**
 * How far V8 lets the station's heap grow past what is live before it collects. A station's
 * garbage is mostly promoted: a sample's objects live until the archive's next commit (~0.5 s),
 * long enough to survive two young-generation collections. V8's default lets the old generation
 * grow to up to 4x the live heap before a full collection: 10,000 tags at 1 Hz (113 MB live) peaked
 * at 390 MB of heap and 528 MB RSS. Growing by at most half the live size kept the peak at 161 MB
 * of heap and 326 MB RSS for 1.7 % of a core more (`npm run bench -- acquisition`). A growth
 * bound, not a size limit: a larger plant still gets the heap it needs.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Read by V8 at each full collection, so it applies from the next one (set at boot, before the plant's data arrives). */
export function applyHeapPolicy(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
