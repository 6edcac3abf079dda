/** A tag's compression configuration resolved to engineering units and checked once. */
import type { TagConfig } from '../types.js';

export interface AnalogSettings {
  kind: 'none' | 'deadband' | 'swinging-door';
  /** Deviation in engineering units (0 for 'none'). */
  dev: number;
  /** Exception deviation in engineering units, or null when there is no exception filter. */
  excDev: number | null;
  /** CompMin: 0 when unset. */
  minMs: number;
  /** CompMax: Infinity when unset. */
  maxMs: number;
  /** Cyclic-record cycle (ms); 0 when cyclic records are off (also for stepped tags). */
  cycleMs: number;
  stepped: boolean;
}

function fail(config: TagConfig, field: string, expected: string, got: unknown): never {
  throw new Error(`tag '${config.name}': compression.${field} must be ${expected}, got ${JSON.stringify(got)}`);
}

function euDeviation(config: TagConfig, field: string, value: number, percentOfSpan: boolean | undefined): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(config, field, 'a finite number >= 0', value);
  if (!percentOfSpan) return value;
  const r = config.range;
  if (!r || !Number.isFinite(r.low) || !Number.isFinite(r.high) || r.high <= r.low) {
    throw new Error(`tag '${config.name}': compression.percentOfSpan needs a range with low < high, got ${JSON.stringify(r)}`);
  }
  return (value / 100) * (r.high - r.low);
}

function interval(config: TagConfig, field: string, value: number | undefined, unset: number): number {
  if (value === undefined) return unset;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(config, field, 'a finite number of ms >= 0', value);
  return value;
}

/** The cycle the compressor stamps its cyclic record by: none for a stepped tag (its line holds by itself). */
export function cyclicRecordMs(config: Pick<TagConfig, 'stepped' | 'cycleMs'>): number {
  return config.stepped ? 0 : config.cycleMs;
}

/**
 * The cycle a tag's values come by: its configured sampling interval, or the slower one its
 * server granted (a server revises an interval up to what it can sample, Part 4 §5.12.1.2). A
 * value silent for two granted cycles held; one silent for two configured ones only waited for
 * the server's next sample. A configured 0 (as fast as the server can) keeps no cyclic record.
 */
export function grantedCycleMs(configuredMs: number, grantedMs: number): number {
  return configuredMs > 0 ? Math.max(configuredMs, Math.ceil(grantedMs)) : 0;
}

export function analogSettings(config: TagConfig): AnalogSettings {
  if (!Number.isSafeInteger(config.cycleMs) || config.cycleMs < 0) {
    throw new Error(`tag '${config.name}': cycleMs must be an integer number of ms >= 0, got ${JSON.stringify(config.cycleMs)}`);
  }
  const cycleMs = cyclicRecordMs(config);
  const c = config.compression;
  switch (c.kind) {
    case 'none':
      return { kind: 'none', dev: 0, excDev: null, minMs: 0, maxMs: Infinity, cycleMs, stepped: config.stepped };
    case 'deadband':
      return {
        kind: 'deadband',
        dev: euDeviation(config, 'deviation', c.deviation, c.percentOfSpan),
        excDev: null,
        minMs: 0,
        maxMs: interval(config, 'maxIntervalMs', c.maxIntervalMs, Infinity),
        cycleMs,
        stepped: config.stepped,
      };
    case 'swinging-door':
      return {
        kind: 'swinging-door',
        dev: euDeviation(config, 'deviation', c.deviation, c.percentOfSpan),
        excDev: c.exceptionDeviation === undefined ? null
          : euDeviation(config, 'exceptionDeviation', c.exceptionDeviation, c.percentOfSpan),
        minMs: interval(config, 'minIntervalMs', c.minIntervalMs, 0),
        maxMs: interval(config, 'maxIntervalMs', c.maxIntervalMs, Infinity),
        cycleMs,
        stepped: config.stepped,
      };
    default:
      return fail(config, 'kind', "'none', 'deadband' or 'swinging-door'", (c as { kind: unknown }).kind);
  }
}

/**
 * True when v lies outside [ref - dev, ref + dev]. The bounds are computed first, as in
 * gfoidl/DataCompression: for decimal-sourced values this keeps a change of exactly one
 * deviation inside the band on both sides (|1.3 - 1.2| > 0.1 in doubles, but 1.2 + 0.1 === 1.3).
 */
export function outsideBand(v: number, ref: number, dev: number): boolean {
  return v < ref - dev || v > ref + dev;
}
