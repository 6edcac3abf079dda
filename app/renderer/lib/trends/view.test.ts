import { describe, expect, it } from 'vitest';
import { MIN_SPAN_MS, pan, quick, select, spanOf, ViewHistory, zoom } from './view.js';

const NOW = Date.UTC(2026, 0, 10, 12);
const H = 3_600_000;

describe('trend views', () => {
  it('quick ranges are the last span up to now, fixed (history mode does not scroll)', () => {
    expect(quick('8h', NOW)).toEqual({ mode: 'history', start: NOW - 8 * H, end: NOW });
    expect(spanOf({ mode: 'live', windowMs: 600_000 }, NOW)).toEqual({ start: NOW - 600_000, end: NOW });
  });

  it('zoom keeps the time under the cursor in its place; pan moves by a share of the span; a live view freezes', () => {
    const v = { mode: 'history' as const, start: 0, end: 1000 * H };
    expect(zoom(v, 0.5, 250 * H, NOW)).toEqual({ mode: 'history', start: 125 * H, end: 625 * H });
    expect(pan(v, -0.25, NOW)).toEqual({ mode: 'history', start: -250 * H, end: 750 * H });
    expect(zoom({ mode: 'live', windowMs: H }, 2, NOW, NOW)).toEqual({ mode: 'history', start: NOW - 2 * H, end: NOW });
    // No narrower than a second, whatever the wheel says.
    const tiny = zoom(v, 1e-12, 0, NOW) as { start: number; end: number };
    expect(tiny.end - tiny.start).toBe(MIN_SPAN_MS);
    expect(select(900, 100)).toEqual({ mode: 'history', start: 0, end: 1000 });
  });

  it('back and forward walk the views; a new view drops what was ahead', () => {
    const h = new ViewHistory({ mode: 'live', windowMs: H });
    const a = h.go(quick('1h', NOW));
    const b = h.go(zoom(a, 0.5, NOW - H / 2, NOW));
    expect(h.back()).toEqual(a);
    expect(h.back()).toEqual({ mode: 'live', windowMs: H });
    expect(h.canBack).toBe(false);
    expect(h.forward()).toEqual(a);
    const c = h.go(pan(a, 0.1, NOW));
    expect(h.canForward).toBe(false);
    expect(h.back()).toEqual(a);
    expect(h.forward()).toEqual(c);
    expect(c).not.toEqual(b);
  });
});
