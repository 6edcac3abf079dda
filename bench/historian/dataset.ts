/**
 * A seeded plant dataset for the historian benchmark. Each tag is a small
 * deterministic signal generator; samples come out in acquisition batches
 * (all tags, a window of time at once), as a station would deliver them.
 *
 * Signals are decimal-sourced: values are rounded to the sensor's resolution
 * (what a transmitter or PLC actually reports), not random doubles.
 */
import type { Sample, TagConfig, TagKind } from '../../historian/types.js';
import { BadSensorFailure } from '../../historian/status.js';

export type SignalKind = 'smooth' | 'noisy' | 'stepped' | 'discrete' | 'irregular';

export interface BenchTag {
  id: number;
  name: string;
  signal: SignalKind;
  kind: TagKind;
  unit: string;
  range: { low: number; high: number };
  /** Sensor resolution: values are multiples of it. */
  resolution: number;
}

/** mulberry32: small, fast, good enough for test signals; seeded for repeatability. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIGNALS: { signal: SignalKind; share: number; unit: string; span: number; resolution: number }[] = [
  { signal: 'smooth', share: 0.35, unit: 'degC', span: 200, resolution: 0.01 },
  { signal: 'noisy', share: 0.25, unit: 'bar', span: 16, resolution: 0.001 },
  { signal: 'stepped', share: 0.15, unit: '%', span: 100, resolution: 0.5 },
  { signal: 'discrete', share: 0.15, unit: '', span: 1, resolution: 1 },
  { signal: 'irregular', share: 0.1, unit: 'm3/h', span: 500, resolution: 0.1 },
];

export function makeTags(count: number, seed: number): BenchTag[] {
  const random = rng(seed);
  const tags: BenchTag[] = [];
  let id = 0;
  for (const s of SIGNALS) {
    const n = Math.round(count * s.share);
    for (let i = 0; i < n && id < count; i++, id++) {
      const low = s.signal === 'discrete' ? 0 : Math.round(random() * 10) * 10;
      tags.push({
        id,
        name: `AREA${(id % 10) + 1}.${s.signal.toUpperCase()}_${String(id).padStart(4, '0')}.PV`,
        signal: s.signal,
        kind: s.signal === 'discrete' ? 'discrete' : 'analog',
        unit: s.unit,
        range: { low, high: low + s.span },
        resolution: s.resolution,
      });
    }
  }
  while (tags.length < count) tags.push({ ...tags[0], id: tags.length, name: `EXTRA_${tags.length}.PV` });
  return tags;
}

export function tagConfig(tag: BenchTag, compression: TagConfig['compression']): TagConfig {
  return {
    name: tag.name,
    kind: tag.kind,
    description: `bench ${tag.signal} signal`,
    unit: tag.unit,
    range: tag.range,
    compression: tag.kind === 'analog' ? compression : { kind: 'none' },
    stepped: tag.signal === 'stepped' || tag.signal === 'discrete',
    cycleMs: tag.signal === 'irregular' ? 0 : 1000,
  };
}

/** Nearest multiple of res, as the double closest to that decimal (res = 1/integer). */
const round = (v: number, res: number): number => {
  const inv = Math.round(1 / res);
  return Math.round(v * inv) / inv;
};

/** One tag's signal: call next(tEnd) for the samples in (previous tEnd, tEnd]. */
export class TagSignal {
  private t: number;
  private readonly random: () => number;
  private level: number;
  private drift = 0;
  private badUntil = -Infinity;
  private readonly period: number;
  private readonly phase: number;

  constructor(readonly tag: BenchTag, readonly t0: number, readonly periodMs: number, seed: number) {
    this.random = rng(seed * 7919 + tag.id);
    this.t = t0 - periodMs;
    const { low, high } = tag.range;
    this.level = low + (high - low) * (0.3 + 0.4 * this.random());
    this.period = (10 + this.random() * 50) * 60_000;
    this.phase = this.random() * 2 * Math.PI;
  }

  next(tEnd: number, out: Sample[] = []): Sample[] {
    const { tag } = this;
    const span = tag.range.high - tag.range.low;
    while (true) {
      const step = tag.signal === 'irregular' ? 1000 + Math.floor(this.random() * 9000) : this.periodMs;
      if (this.t + step > tEnd) break;
      this.t += step;
      const r = this.random();
      let status = 0;
      if (r < 2e-5) this.badUntil = this.t + 60_000; // rare sensor failures, one minute each
      if (this.t < this.badUntil) status = BadSensorFailure;
      out.push({ t: this.t, value: this.value(span, r), status });
    }
    return out;
  }

  private value(span: number, r: number): number | boolean {
    const { tag } = this;
    switch (tag.signal) {
      case 'smooth': {
        this.drift += (this.random() - 0.5) * span * 1e-4;
        const v = this.level + this.drift + span * 0.1 * Math.sin((2 * Math.PI * this.t) / this.period + this.phase);
        return round(v, tag.resolution);
      }
      case 'noisy': {
        this.level += (this.random() - 0.5) * span * 1e-3;
        const noise = (this.random() + this.random() + this.random() - 1.5) * span * 0.003;
        return round(this.level + noise, tag.resolution);
      }
      case 'stepped':
        if (r < 0.002) this.level = tag.range.low + span * this.random();
        return round(this.level, tag.resolution);
      case 'discrete':
        if (r < 0.001) this.level = this.level > 0.5 ? 0 : 1;
        return this.level > 0.5;
      case 'irregular':
        this.level += (this.random() - 0.5) * span * 0.01;
        this.level = Math.min(tag.range.high, Math.max(tag.range.low, this.level));
        return round(this.level, tag.resolution);
    }
  }
}

/** A slow, smooth 1-year signal for the plot query (rounded to 0.01). */
export function* yearSignal(t0: number, periodMs: number, count: number, chunk: number, seed: number): Generator<Sample[]> {
  const random = rng(seed);
  let level = 50;
  for (let i = 0; i < count; ) {
    const n = Math.min(chunk, count - i);
    const out: Sample[] = new Array(n);
    for (let k = 0; k < n; k++, i++) {
      const t = t0 + i * periodMs;
      level += (random() - 0.5) * 0.01;
      const daily = 5 * Math.sin((2 * Math.PI * t) / 86_400_000);
      out[k] = { t, value: Math.round((level + daily) * 100) / 100, status: 0 };
    }
    yield out;
  }
}
