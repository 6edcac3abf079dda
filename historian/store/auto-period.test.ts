/**
 * volumePeriod 'auto' on a new archive: the first volume's period follows the samples a day the
 * tags' acquisition cycles promise (writer.ts samplesPerDay) at ~1.5 bytes a sample, so that a
 * volume stays under 1 GiB: a month up to 2^30 / (31 * 1.5) ≈ 23.09 M samples a day, a week up to
 * 2^30 / (7 * 1.5) ≈ 102.26 M, else a day. Tags without a cycle (cycleMs 0) promise nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** The period of the first volume of a new 'auto' archive whose tags have these cycles (ms; 0: none). */
function firstPeriod(cycles: { cycleMs: number; tags: number }[]): string {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { volumePeriod: 'auto', flushIntervalMs: 0, now: () => T0 });
  cleanups.push(tmp.remove, () => h.close());
  h.defineTags(cycles.flatMap(({ cycleMs, tags }) => Array.from({ length: tags }, (_, k) => tagConfig(`C${cycleMs}-${k}`, { cycleMs }))), T0);
  h.append(`C${cycles[0]!.cycleMs}-0`, [{ t: T0, value: 1, status: Good }]);
  const periods = h.volumes().map((v) => v.period);
  expect(periods).toHaveLength(1);
  return periods[0]!;
}

describe("volumePeriod 'auto'", () => {
  it('tags without an acquisition cycle: a month', () => {
    // Guards: a cycle of 0 counted (86,400,000 / 0 is Infinity samples a day).
    expect(firstPeriod([{ cycleMs: 0, tags: 3 }])).toBe('month');
  });

  it('200 tags at 1 s (17.28 M a day) and some without a cycle: a month', () => {
    // Guards: the day's samples computed as 86,400,000 * cycleMs, or a cycle of 0 counted.
    expect(firstPeriod([{ cycleMs: 1000, tags: 200 }, { cycleMs: 0, tags: 2 }])).toBe('month');
  });

  it('400 tags at 1 s (34.56 M a day): a week', () => {
    // Guards: cycles ignored or subtracted (a month), or counted as 86,400,000 * cycleMs (a day).
    expect(firstPeriod([{ cycleMs: 1000, tags: 400 }, { cycleMs: 0, tags: 2 }])).toBe('week');
  });

  it('250 tags at 1 s and 1,000 at 100 ms (885.6 M a day): a day', () => {
    // Guards: the tags' samples a day not summed (each tag's alone is under a week's limit).
    expect(firstPeriod([{ cycleMs: 1000, tags: 250 }, { cycleMs: 100, tags: 1000 }])).toBe('day');
  });
});
