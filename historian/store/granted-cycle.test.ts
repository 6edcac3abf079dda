/**
 * The sampling interval a tag's server granted (Historian.grantSampling): where it is slower than
 * the configured cycle, the cyclic record goes by it, whether the compressor is awake, at rest or
 * started afresh for a new version; it is a fact of the connection, so no version is added for it.
 * Expectations are worked by hand from HIST's rule: a gap of more than two cycles archives the
 * previous value one cycle before the new sample.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Flag } from '../types.js';
import { T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function open(): { h: Historian; dir: string } {
  const tmp = tempDir('vigil-granted-');
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0 });
  cleanups.push(tmp.remove, () => h.close());
  return { h, dir: tmp.dir };
}

const samples = (...ts: number[]) => ts.map((t, i) => ({ t: T0 + t, value: 10 + i, status: 0 }));

function cyclic(h: Historian, tag: string): [number, number][] {
  h.flush();
  return h.readRaw({ tags: tag, start: T0 - 1, end: T0 + 60_000 }).rows
    .filter((r) => (r.flags & Flag.Cyclic) !== 0).map((r) => [r.t - T0, r.value as number]);
}

describe('the cyclic record by the granted sampling interval', () => {
  for (const kind of ['none', 'deadband', 'swinging-door'] as const) {
    it(`${kind}: asked 10 ms, granted 50 ms: samples 50 ms apart have no record between them; a silence has one, 50 ms before`, () => {
      const { h } = open();
      const compression = kind === 'none' ? { kind } : { kind, deviation: 0.001 };
      h.defineTag(tagConfig('L', { compression, cycleMs: 10 }), T0 - 1000);
      const all = samples(0, 50, 100, 150, 200, 1200);
      h.append('L', all.slice(0, 1)); // awake before the grant
      h.grantSampling('L', 50);
      h.append('L', all.slice(1));
      // 0 → 50 → … → 200: steps of one granted cycle; 200 → 1200: a silence, 14 held at 1150.
      expect(cyclic(h, 'L')).toEqual([[1150, 14]]);
      expect(h.versions('L')).toHaveLength(1);
    });
  }

  it('without a grant the configured cycle stands (the record 10 ms before each 50 ms step)', () => {
    const { h } = open();
    h.defineTag(tagConfig('L', { cycleMs: 10 }), T0 - 1000);
    h.append('L', samples(0, 50, 100));
    expect(cyclic(h, 'L')).toEqual([[40, 10], [90, 11]]);
  });

  it('a grant faster than configured changes nothing; a configured 0 keeps no record whatever is granted', () => {
    const { h } = open();
    h.defineTag(tagConfig('Slow', { cycleMs: 500 }), T0 - 1000);
    h.defineTag(tagConfig('Fastest', { cycleMs: 0 }), T0 - 1000);
    h.grantSampling('Slow', 100);
    h.grantSampling('Fastest', 100);
    h.append('Slow', samples(0, 500, 1000, 2100));
    h.append('Fastest', samples(0, 500, 1000, 2100));
    expect(cyclic(h, 'Slow')).toEqual([[1600, 12]]);
    expect(cyclic(h, 'Fastest')).toEqual([]);
  });

  it('keeps the grant for a new version\'s compressor and for a tag at rest after a reopen granted again', () => {
    const { h, dir } = open();
    h.defineTag(tagConfig('L', { cycleMs: 10 }), T0 - 1000);
    h.grantSampling('L', 50);
    h.defineTag(tagConfig('L', { cycleMs: 10, unit: 'm' }), T0 - 500);
    h.append('L', samples(0, 50, 100, 300));
    expect(cyclic(h, 'L')).toEqual([[250, 12]]);
    h.close();
    const again = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
    cleanups.push(() => again.close());
    again.grantSampling('L', 50);
    again.append('L', [{ t: T0 + 350, value: 20, status: 0 }, { t: T0 + 600, value: 21, status: 0 }]);
    expect(cyclic(again, 'L')).toEqual([[250, 12], [550, 20]]);
  });

  it('refuses a grant that is not a number of ms >= 0, naming the tag', () => {
    const { h } = open();
    h.defineTag(tagConfig('L', { cycleMs: 10 }), T0 - 1000);
    expect(() => h.grantSampling('L', Number.NaN)).toThrow(/tag 'L': granted sampling interval must be a number of ms >= 0, got NaN/);
    expect(() => h.grantSampling('Nope', 50)).toThrow(/tag 'Nope': not defined/);
  });
});
