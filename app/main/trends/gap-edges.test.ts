/**
 * The pen panel's gap span against a real archive, through the station's history API and the
 * console's own loading (TrendData): a sensor failure's span starts at its first bad sample, the
 * time the archive holds, at every zoom (a plot bucket's guess is off by up to a pixel column).
 */
import { describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { BadSensorFailure, Good } from '../../../historian/status.js';
import { tagConfig, tempDir } from '../../../historian/store/testing.js';
import { TrendData } from '../../renderer/lib/trends/data.js';
import { penGaps } from '../../renderer/lib/trends/gaps.js';
import { historyApi } from './testing/history-api.js';

const T0 = Date.UTC(2026, 2, 29);
// By construction: good each second to 01:00:06, bad from 01:00:06.213 each second (the last at
// 01:10:15.213), good again from 01:10:16 each second to 08:00.
const FIRST_BAD = Date.UTC(2026, 2, 29, 1, 0, 6, 213), GOOD_AGAIN = Date.UTC(2026, 2, 29, 1, 10, 16);

describe('a pen\'s gap span is the archive\'s', () => {
  it('starts at the first bad sample and ends at the next good one, on an 8 h and a 2 d view', async () => {
    const tmp = tempDir('vigil-gap-edges-');
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      h.defineTag(tagConfig('A1.T1.Level', { unit: 'm' }), T0 - 1000);
      const samples = [];
      for (let t = T0; t <= T0 + 8 * 3_600_000; t += 1000) {
        if (t > FIRST_BAD - 1000 && t < GOOD_AGAIN) continue;
        samples.push({ t, value: 5 + (t % 7_000) / 1000, status: Good });
      }
      for (let t = FIRST_BAD; t < GOOD_AGAIN; t += 1000) samples.push({ t, value: NaN, status: BadSensorFailure });
      samples.sort((a, b) => a.t - b.t);
      h.append('A1.T1.Level', samples);
      h.flush();

      const api = historyApi(h);

      for (const [start, end] of [[T0, T0 + 8 * 3_600_000], [T0 - 86_400_000, T0 + 86_400_000]] as const) {
        const data = new TrendData(api);
        expect(await data.load(['A1.T1.Level'], start, end, 1000)).toBe(true);
        const pen = data.pens.get('A1.T1.Level')!;
        expect(pen.plot).not.toBeNull(); // drawn from plot buckets, not raw
        const bad = penGaps(pen.trace, start, end, -Infinity, end).filter((g) => g.word === 'bad');
        expect(bad.map((g) => [new Date(g.t0).toISOString(), new Date(g.t1).toISOString()])).toEqual([
          [new Date(FIRST_BAD).toISOString(), new Date(GOOD_AGAIN).toISOString()],
        ]);
      }
    } finally {
      await h.close();
      tmp.remove();
    }
  });
});
