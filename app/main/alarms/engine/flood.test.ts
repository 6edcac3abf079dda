/**
 * The flood window (EEMUA 191: more than 10 annunciations in 10 min starts a
 * flood, fewer than 5 ends it) beyond the acceptance case: its state before
 * the first annunciation, settings changed at run time (a config reload),
 * and the memory it keeps over a long run. Expectations are literals.
 */
import { describe, expect, it } from 'vitest';
import { FloodWindow } from './flood.js';
import { Harness } from './testing.js';

const eemua = { windowMs: 600_000, startAbove: 10, endBelow: 5 };

/** How many annunciation times the window holds in memory (private: read only to check the bound). */
const kept = (f: FloodWindow): number => (f as unknown as { times: number[] }).times.length;

describe('flood window', () => {
  it('a console that just started is not in flood, before any tick', () => {
    expect(new FloodWindow(eemua)).toMatchObject({ active: false, since: null });
    expect(new Harness().summary.flood).toEqual({ active: false, count: 0, since: null });
  });

  it('a flood that starts because the settings were lowered is reported by update', () => {
    const f = new FloodWindow(eemua);
    for (let t = 0; t < 6; t++) f.add(t);
    expect(f.active).toBe(false);
    // The engineer lowers the threshold (config reload): six in the window is now a flood.
    f.settings = { windowMs: 600_000, startAbove: 5, endBelow: 2 };
    expect(f.update(10)).toBe(true);
    expect(f).toMatchObject({ active: true, since: 10 });
    expect(f.update(11)).toBe(false);
  });

  it('the same through the engine: the next tick shows the flood', () => {
    const h = new Harness();
    for (const tag of ['XI-3', 'XI-4', 'XI-5', 'XI-6', 'XI-7', 'XI-8']) h.set(tag, 60);
    expect(h.summary.flood.active).toBe(false);
    h.engine.flood.settings = { windowMs: 600_000, startAbove: 5, endBelow: 2 };
    h.advance(1000);
    expect(h.summary.flood).toEqual({ active: true, count: 6, since: h.t });
  });

  it('runs 24/7 in bounded memory: annunciations that left the window are let go, also after a burst', () => {
    const f = new FloodWindow({ windowMs: 10, startAbove: 100_000, endBelow: 1 });
    // A burst of 2000 at one instant (a plant trip), then 3000 more, one per ms.
    for (let i = 0; i < 2000; i++) f.add(0);
    expect(f.count(0)).toBe(2000);
    for (let t = 20; t < 3020; t++) f.add(t);
    // (3009, 3019]: 3010..3019.
    expect(f.count(3019)).toBe(10);
    // What is kept is what the window counts plus at most one compaction batch (1025), not 5000.
    expect(kept(f)).toBeLessThanOrEqual(10 + 1025);
  });
});
