/**
 * A lossless tag's samples take a path that makes no object per sample (compression/lossless.ts,
 * TagWriter.archiveAnalog). On random data, appended in random chunks with flushes, late samples,
 * small blocks (many seals) and a close and open between, the archive must read back what the
 * samples written say, worked out here: each sample as given, behind a cyclic record after a
 * gap of more than two cycles in the in-order stream.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { BadSensorFailure, Good, InfoTypeDataValue, UncertainLastUsableValue } from '../status.js';
import { Flag, type HistValue, type Sample } from '../types.js';
import { propertyRuns } from '../testing/property-runs.js';
import { DAY, T0, catalogQuery, tagConfig, tempDir } from './testing.js';

const CYCLE = 1000;

interface Step { dt: number; value: number; status: number; late: boolean; chunkEnd: boolean; flush: boolean }

const step: fc.Arbitrary<Step> = fc.record({
  // Seconds apart: 1 (regular), 2 (no cyclic record), 3 or more (one), now and then a day (a new volume).
  dt: fc.oneof({ weight: 10, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.integer({ min: 2, max: 40 }) }, { weight: 1, arbitrary: fc.constant(DAY / 1000) }),
  value: fc.integer({ min: -100_000, max: 100_000 }).map((v) => v / 100),
  status: fc.constantFrom(Good, Good, Good, Good, UncertainLastUsableValue, BadSensorFailure),
  late: fc.boolean().map((b) => b && Math.random() < 0.2),
  chunkEnd: fc.boolean(),
  flush: fc.boolean().map((b) => b && Math.random() < 0.3),
});

/** A raw value's status as readRaw gives it (OPC UA Part 11: the code's high 16 bits, InfoType DataValue). */
const rawStatus = (status: number): number => ((status & 0xffff0000) | InfoTypeDataValue) >>> 0;

/** What readRaw gives for the tag after the steps: from the samples alone. */
function expectedArchive(inOrder: Sample[], late: Sample[]): HistValue[] {
  const out: HistValue[] = [];
  let prev: Sample | null = null;
  for (const s of inOrder) {
    if (prev !== null && s.t - prev.t > 2 * CYCLE && prev.status >>> 30 < 2) out.push({ t: s.t - CYCLE, value: prev.value, status: rawStatus(prev.status), flags: Flag.Cyclic });
    out.push({ t: s.t, value: s.value, status: rawStatus(s.status), flags: 0 });
    prev = s;
  }
  for (const s of late) out.push({ t: s.t, value: s.value, status: rawStatus(s.status), flags: 0 });
  return out.sort((a, b) => a.t - b.t);
}

const read = (h: Historian, end: number): HistValue[] =>
  h.readRaw({ tags: 'L', start: T0, end: end + 1, pageSize: 100_000 }).rows.map(({ t, value, status, flags }) => ({ t, value, status, flags }));

describe('lossless ingest without an object per sample', () => {
  it('archives what the samples say, through flushes, seals, late samples, volumes and a reopen', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 400 }), fc.nat(), async (steps, reopenAt) => {
      const { dir, remove } = tempDir();
      try {
        const open = () => Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'day', blockSize: 16, slowBlockSize: 16 });
        let h = open();
        h.defineTag(tagConfig('L', { cycleMs: CYCLE }), T0);
        const inOrder: Sample[] = [];
        const late: Sample[] = [];
        let chunk: Sample[] = [];
        let t = T0;
        for (const [i, s] of steps.entries()) {
          t += s.dt * 1000;
          // Late samples half a second off the second (no time of an in-order sample or cyclic record), behind the newest.
          const sample = s.late && inOrder.length > 0
            ? { t: inOrder[Math.floor(inOrder.length / 2)]!.t - 500 - i, value: s.value, status: s.status }
            : { t, value: s.value, status: s.status };
          if (sample.t === t) inOrder.push(sample); else late.push(sample);
          chunk.push(sample);
          if (s.chunkEnd) {
            h.append('L', chunk);
            chunk = [];
          }
          if (s.flush) {
            // A flush writes all: the archive holds every sample appended so far.
            h.flush();
            const given = inOrder.filter((x) => !chunk.includes(x));
            expect(read(h, t)).toEqual(expectedArchive(given, late.filter((x) => !chunk.includes(x))));
          }
          if (i === reopenAt % steps.length) {
            h.append('L', chunk);
            chunk = [];
            await h.close();
            h = open();
          }
        }
        h.append('L', chunk);
        await h.close();
        // At rest: its compressor is what the archive's last point gives (tag-state.ts), so the catalog keeps no state.
        expect(catalogQuery<{ state: Buffer | null }>(dir, 'SELECT state FROM tag WHERE name = ?', 'L')[0]!.state).toBeNull();
        h = Historian.open(dir, { flushIntervalMs: 0 });
        expect(read(h, t)).toEqual(expectedArchive(inOrder, late));
        await h.close();
      } finally {
        remove();
      }
    }), { numRuns: propertyRuns(30) });
  });
});
