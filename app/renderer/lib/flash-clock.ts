/**
 * One clock for every flashing alarm mark and state word: 1 Hz, on for the first half of each
 * wall-clock second, off for the second (well under the 3 Hz photosensitivity limit). It sets
 * `data-flash="on|off"` on the root element and the style sheets dim `.flash` elements while off.
 *
 * Why not a CSS animation per element: Chromium recomputes the styles of a running animation at
 * every frame (60 a second, though a 1 Hz step changes them twice), which took more of a core than
 * the rest of the overview together. Here the page restyles twice a second, and every flash on
 * every console of the control room is in step, as a wall of screens should be.
 */
export type FlashPhase = 'on' | 'off';

/** The phase at a wall-clock instant. */
export function flashPhase(nowMs: number): FlashPhase {
  return ((nowMs % 1000) + 1000) % 1000 < 500 ? 'on' : 'off';
}

/** Milliseconds to the next change of phase (1..500). */
export function msToNextPhase(nowMs: number): number {
  return 500 - (((nowMs % 500) + 500) % 500);
}

/** Runs the clock on `root` until the returned function is called. */
export function startFlashClock(root: { dataset: DOMStringMap }, now: () => number = Date.now): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const t = now();
    root.dataset.flash = flashPhase(t);
    timer = setTimeout(tick, msToNextPhase(t));
  };
  tick();
  return () => clearTimeout(timer);
}
