/**
 * Property tests of the compression guarantee: the reconstruction through the archived points
 * (plus the pending point, or after flush) stays within the configured deviation of every good raw
 * sample, on random walks, steps, ramps, noise, quality changes, gaps and NaNs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good, InfoTypeDataValue, UncertainLastUsableValue, codeOf } from '../status.js';
import { Flag, type ArchivedSample, type Compression, type Sample, type TagConfig } from '../types.js';
import { createCompressor, restoreCompressor } from './compressor.js';
import type { CompressorState } from './types.js';
import { analogTag, run, worstExcess } from './testing.js';
import { propertyRuns } from '../testing/property-runs.js';

const STATUSES = [Good, Good | InfoTypeDataValue, UncertainLastUsableValue, BadSensorFailure];

interface Segment { shape: 'walk' | 'step' | 'ramp' | 'noise' | 'flat'; length: number; size: number; status: number; nan: boolean }

const segment = fc.record({
  shape: fc.constantFrom('walk', 'step', 'ramp', 'noise', 'flat'),
  length: fc.integer({ min: 1, max: 25 }),
  size: fc.constantFrom(0.01, 0.1, 1, 5, 100),
  status: fc.oneof({ weight: 6, arbitrary: fc.constant(Good) }, { weight: 1, arbitrary: fc.constantFrom(...STATUSES) }),
  nan: fc.boolean().map((b) => b && Math.random() < 0.1),
}) as fc.Arbitrary<Segment>;

interface Stream { samples: Sample[]; cycle: number }

/** Samples on a nominal cycle with jitter and occasional gaps; values to 2 decimals (decimal-sourced). */
const stream: fc.Arbitrary<Stream> = fc.record({
  segments: fc.array(segment, { minLength: 1, maxLength: 10 }),
  cycle: fc.constantFrom(1000, 250),
  jitter: fc.constantFrom(0, 0.3),
  gaps: fc.boolean(),
  seed: fc.integer(),
}).map(({ segments, cycle, jitter, gaps, seed }) => {
  let rnd = seed >>> 0;
  const random = () => ((rnd = (Math.imul(rnd ^ (rnd >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const samples: Sample[] = [];
  let t = 1_700_000_000_000;
  let v = 50;
  for (const seg of segments) {
    const slope = (random() - 0.5) * seg.size;
    if (seg.shape === 'step') v += (random() - 0.5) * 20 * seg.size;
    for (let i = 0; i < seg.length; i++) {
      if (seg.shape === 'walk') v += (random() - 0.5) * seg.size;
      else if (seg.shape === 'ramp') v += slope;
      const raw = seg.shape === 'noise' ? v + (random() - 0.5) * seg.size : v;
      const value = seg.nan && i === 0 ? NaN : Math.round(raw * 100) / 100;
      samples.push({ t, value, status: seg.status });
      const gap = gaps && random() < 0.05 ? 2 + Math.floor(random() * 10) : 1;
      t += Math.max(1, Math.round(cycle * gap + (random() - 0.5) * 2 * jitter * cycle));
    }
  }
  return { samples, cycle };
});

interface Case { config: TagConfig; bound: number }

/** Random configs with minIntervalMs unset, and the bound the README promises for each. */
const configs = (cycle: number): fc.Arbitrary<Case> => fc.record({
  kind: fc.constantFrom('none', 'deadband', 'swinging-door'),
  dev: fc.constantFrom(0, 0.01, 0.05, 0.5, 3),
  exc: fc.option(fc.constantFrom(0, 0.02, 0.2), { nil: undefined }),
  maxIntervalMs: fc.option(fc.constantFrom(3000, 20_000), { nil: undefined }),
  stepped: fc.boolean(),
  cyclic: fc.boolean(),
}).map(({ kind, dev, exc, maxIntervalMs, stepped, cyclic }) => {
  const cycleMs = cyclic ? cycle : 0;
  let compression: Compression;
  let bound: number;
  if (kind === 'none') {
    compression = { kind };
    bound = 0;
  } else if (kind === 'deadband') {
    compression = { kind, deviation: dev, maxIntervalMs };
    bound = dev;
  } else {
    compression = { kind, deviation: dev, maxIntervalMs, exceptionDeviation: exc };
    bound = dev + 2 * (exc ?? 0);
  }
  return { config: analogTag(compression, { stepped, cycleMs }), bound };
});

const streamAndConfig = stream.chain((s) => configs(s.cycle).map((c) => ({ ...s, ...c })));

const RUNS = { numRuns: propertyRuns(400) };

describe('compression guarantee (fast-check)', () => {
  it('reconstruction through archived + flushed points is within the bound of every good raw sample', () => {
    fc.assert(fc.property(streamAndConfig, ({ samples, config, bound }) => {
      const r = run(config, samples);
      expect(worstExcess([...r.archived, ...r.flushed], samples, config.stepped, bound)).toBeLessThanOrEqual(0);
    }), RUNS);
  });

  it('reconstruction through archived + pending points is within the bound (no exception filter)', () => {
    fc.assert(fc.property(streamAndConfig, ({ samples, config, bound }) => {
      fc.pre(config.compression.kind !== 'swinging-door' || config.compression.exceptionDeviation === undefined);
      const r = run(config, samples);
      const points = r.pending ? [...r.archived, r.pending] : r.archived;
      expect(worstExcess(points, samples, config.stepped, bound)).toBeLessThanOrEqual(0);
      expect(r.pending).toEqual(r.flushed.length ? r.flushed[r.flushed.length - 1] : null);
    }), RUNS);
  });

  it('archives real samples (or flagged cyclic records) in time order, and every status change', () => {
    fc.assert(fc.property(streamAndConfig, ({ samples, config }) => {
      const r = run(config, samples);
      const points = [...r.archived, ...r.flushed];
      const byT = new Map(samples.map((s) => [s.t, s]));
      const values = new Set(samples.map((s) => s.value));
      // Plain checks collected, one expect per run: expect() in the loops cost most of the time.
      const wrong: string[] = [];
      for (let i = 0; i < points.length; i++) {
        const p = points[i]!;
        if (i > 0 && !(p.t > points[i - 1]!.t)) wrong.push(`point ${i}: t=${p.t} not after t=${points[i - 1]!.t}`);
        if (p.flags & Flag.Cyclic) {
          if (!values.has(p.value)) wrong.push(`cyclic point ${i}: value ${p.value} is no raw value`);
        } else {
          const s = byT.get(p.t);
          if (!s || !(Object.is(p.value, s.value) && p.status === s.status)) wrong.push(`point ${i} at t=${p.t} is not the raw sample there`);
        }
      }
      const archivedT = new Set(points.map((p) => p.t));
      if (!archivedT.has(samples[0]!.t)) wrong.push('the first sample is not archived');
      let k = 0; // points[0..k) are before the sample looked at
      for (let i = 1; i < samples.length; i++) {
        const prev = samples[i - 1]!;
        const s = samples[i]!;
        while (k < points.length && points[k]!.t < s.t) k++;
        if (codeOf(s.status) === codeOf(prev.status)) continue;
        if (!archivedT.has(s.t)) wrong.push(`status change at t=${s.t} not archived`);
        // the old status is archived up to the change: the reconstruction never bridges them
        const before = points[k - 1];
        if (!before || before.t < prev.t || codeOf(before.status) !== codeOf(prev.status)) {
          wrong.push(`before the status change at t=${s.t}: the last point is not the previous status at t >= ${prev.t}`);
        }
      }
      expect(wrong).toEqual([]);
    }), RUNS);
  });

  it('restart() at any samples (the store ends a block there) keeps the bound: it archives what flush() would', () => {
    fc.assert(fc.property(streamAndConfig, fc.array(fc.nat(), { maxLength: 6 }), ({ samples, config, bound }, cuts) => {
      const restartAt = new Set(cuts.map((k) => k % (samples.length + 1)));
      const c = createCompressor(config);
      const points: ArchivedSample[] = [];
      samples.forEach((s, i) => {
        if (restartAt.has(i)) points.push(...c.restart());
        points.push(...c.push(s));
      });
      points.push(...c.flush());
      expect(worstExcess(points, samples, config.stepped, bound)).toBeLessThanOrEqual(0);
    }), RUNS);
  });

  it('continues identically after snapshot -> JSON -> restore at any point', () => {
    fc.assert(fc.property(streamAndConfig, fc.nat(), ({ samples, config }, cut) => {
      const k = cut % (samples.length + 1);
      const whole = run(config, samples);
      const first = createCompressor(config);
      const out: ArchivedSample[] = [];
      for (const s of samples.slice(0, k)) out.push(...first.push(s));
      const state = JSON.parse(JSON.stringify(first.snapshot())) as CompressorState;
      const second = run(config, samples.slice(k), restoreCompressor(config, state));
      expect([...out, ...second.archived, ...second.flushed]).toEqual([...whole.archived, ...whole.flushed]);
    }), RUNS);
  });

  it('CompMax / deadband maxIntervalMs: archived points are at most maxIntervalMs apart unless no sample lies between', () => {
    fc.assert(fc.property(streamAndConfig, ({ samples, config }) => {
      const c = config.compression;
      fc.pre(c.kind !== 'none' && c.maxIntervalMs !== undefined && config.cycleMs === 0);
      const max = (c as { maxIntervalMs: number }).maxIntervalMs;
      const r = run(config, samples);
      const points = [...r.archived, ...r.flushed];
      for (let i = 1; i < points.length; i++) {
        if (points[i].t - points[i - 1].t <= max) continue;
        expect(samples.some((s) => s.t > points[i - 1].t && s.t < points[i].t)).toBe(false);
      }
    }), RUNS);
  });

  it('CompMin: archived points are at least minIntervalMs apart on a good stream', () => {
    fc.assert(fc.property(stream, fc.constantFrom(0.01, 0.5), fc.constantFrom(2000, 7000), ({ samples }, deviation, minIntervalMs) => {
      const good = samples.map((s) => ({ ...s, status: Good, value: Number.isNaN(s.value) ? 0 : s.value }));
      const r = run(analogTag({ kind: 'swinging-door', deviation, minIntervalMs }), good);
      for (let i = 1; i < r.archived.length; i++) expect(r.archived[i].t - r.archived[i - 1].t).toBeGreaterThanOrEqual(minIntervalMs);
    }), RUNS);
  });
});
