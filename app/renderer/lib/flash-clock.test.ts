import { afterEach, describe, expect, it, vi } from 'vitest';
import { flashPhase, msToNextPhase, startFlashClock } from './flash-clock.js';

describe('the flash clock', () => {
  afterEach(() => void vi.useRealTimers());

  it('is on for the first half of each wall-clock second and off for the second: 1 Hz', () => {
    const second = Date.UTC(2026, 11, 7, 6, 0, 0);
    expect([0, 1, 499, 500, 501, 999, 1000].map((ms) => flashPhase(second + ms))).toEqual(['on', 'on', 'on', 'off', 'off', 'off', 'on']);
    expect([0, 1, 499, 500, 999].map((ms) => msToNextPhase(second + ms))).toEqual([500, 499, 1, 500, 1]);
  });

  it('sets the root element\'s phase at each change, and stops when told', () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2026, 11, 7, 6, 0, 0, 250));
    const root = { dataset: {} as DOMStringMap };
    const seen: (string | undefined)[] = [root.dataset.flash];
    const stop = startFlashClock(root);
    seen.push(root.dataset.flash);
    vi.advanceTimersByTime(249);
    seen.push(root.dataset.flash); // 499 ms into the second
    vi.advanceTimersByTime(1);
    seen.push(root.dataset.flash); // 500
    vi.advanceTimersByTime(500);
    seen.push(root.dataset.flash); // the next second
    stop();
    vi.advanceTimersByTime(500);
    seen.push(root.dataset.flash); // stopped: as it was
    expect(seen).toEqual([undefined, 'on', 'on', 'off', 'on', 'on']);
  });
});
