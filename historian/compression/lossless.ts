/**
 * The compressor of a lossless analog tag (compression 'none'), without an object per sample.
 *
 * AnalogCompressor with kind 'none' archives every sample as it is, behind a cyclic record after
 * a gap of more than two cycles; its state is then always the newest sample, as `last` and
 * `latest`. This class does the same keeping that sample as numbers, and pushTo() hands the
 * points to a sink as numbers: push()'s point objects, copies and arrays were ~200 bytes a sample
 * for the collector at a million samples a second. Its push(), snapshot(), restart() and errors
 * are AnalogCompressor's (lossless.test.ts compares the two).
 */
import { isBad } from '../status.js';
import { Flag, type ArchivedSample, type Sample } from '../types.js';
import type { AnalogSettings } from './settings.js';
import { fromJsonNumber, toStatePoint } from './state.js';
import { NOTHING, type Compressor, type CompressorState, type JsonNumber, type PointSink, type StateSink } from './types.js';

export class LosslessCompressor implements Compressor {
  /** The newest sample (AnalogCompressor's `latest`), when hasLatest. */
  private hasLatest = false;
  private latestT = 0;
  private latestValue = 0;
  private latestStatus = 0;
  /** The newest sample is also the last archived point (`last`): not after restart(), until the next sample. */
  private latestArchived = false;
  /** restart() archived the newest sample, or found it archived (AnalogCompressor's `restartedOn`). */
  private restartedOnLatest = false;

  constructor(private readonly name: string, private readonly cfg: AnalogSettings) {
    if (cfg.kind !== 'none' || cfg.excDev !== null) throw new Error(`tag '${name}': LosslessCompressor is for compression 'none'`);
  }

  /**
   * The lossless compressor continuing a state AnalogCompressor checked and restored, or null
   * when the state is not one a lossless compressor leaves (a deadband's held point, say, from
   * a version before): AnalogCompressor then carries on with it.
   */
  static fromState(name: string, cfg: AnalogSettings, s: CompressorState): LosslessCompressor | null {
    const plain = s.held === null && s.excLast === null && s.excHeld === null && s.suppressed === 0 && s.doorMin === null && s.doorMax === null;
    const latest = s.latest;
    if (!plain || (latest !== null && latest.flags !== 0)) return null;
    // `last` is the newest sample or, after restart(), none.
    if (s.last !== null && (latest === null || !samePoint(s.last, latest))) return null;
    const c = new LosslessCompressor(name, cfg);
    // An analog state's values are numbers or the JSON strings of NaN, ±Infinity and -0 (checked by AnalogCompressor).
    if (latest !== null) c.setLatest(latest.t, fromJsonNumber(latest.value as JsonNumber), latest.status);
    c.latestArchived = s.last !== null;
    return c;
  }

  push(s: Sample, cyclic = true): ArchivedSample[] {
    const out: ArchivedSample[] = [];
    this.pushTo(s, (t, value, status, flags) => out.push({ t, value, status, flags }), cyclic);
    return out;
  }

  /** push() with the points handed to `sink` one by one (a cyclic record first), as numbers. */
  pushTo(s: Sample, sink: PointSink, cyclic = true): void {
    const value = s.value;
    if (typeof value !== 'number') {
      throw new Error(`tag '${this.name}': analog sample at t=${s.t} must have a number value, got ${typeof value}`);
    }
    const t = s.t;
    if (!Number.isSafeInteger(t)) throw new Error(`tag '${this.name}': sample t must be an integer ms timestamp, got ${t}`);
    if (this.hasLatest && t <= this.latestT) {
      throw new Error(`tag '${this.name}': samples must have strictly increasing t: got t=${t} after t=${this.latestT}`);
    }
    const cycle = this.cfg.cycleMs;
    // HIST cyclic record (analog.ts push): the previous value one cycle before the new one; not a Bad one.
    if (this.hasLatest && cycle > 0 && t - this.latestT > 2 * cycle && cyclic && !isBad(this.latestStatus)) sink(t - cycle, this.latestValue, this.latestStatus, Flag.Cyclic);
    const status = s.status >>> 0;
    sink(t, value, status, 0);
    this.setLatest(t, value, status);
    this.latestArchived = true;
  }

  /** AnalogCompressor's pushLate: nothing is held, so only the newest sample can be replaced (or a newer one come). */
  pushLate(s: Sample): readonly ArchivedSample[] {
    const value = s.value;
    if (typeof value !== 'number') throw this.notANumber(s);
    const t = s.t;
    if (!Number.isSafeInteger(t)) throw this.notATime(t);
    if (!this.hasLatest || t < this.latestT) return NOTHING;
    const status = s.status >>> 0;
    if (t === this.latestT && !this.latestArchived) {
      // After restart(): the newest sample is archived (the store replaces it) and the next starts afresh.
      this.latestValue = value;
      this.latestStatus = status;
      return NOTHING;
    }
    this.setLatest(t, value, status);
    this.latestArchived = true;
    return NOTHING;
  }

  private notANumber(s: Sample): Error {
    return new Error(`tag '${this.name}': analog sample at t=${s.t} must have a number value, got ${typeof s.value}`);
  }

  private notATime(t: number): Error {
    return new Error(`tag '${this.name}': sample t must be an integer ms timestamp, got ${t}`);
  }

  setCycle(cycleMs: number): void {
    this.cfg.cycleMs = this.cfg.stepped ? 0 : cycleMs;
  }

  pending(): ArchivedSample | null { return null; }

  flush(): ArchivedSample[] { return []; }

  restart(): ArchivedSample[] {
    // restartPoints (state.ts): the newest sample, unless archived already or restarted on.
    const out = this.hasLatest && !this.latestArchived && !this.restartedOnLatest ? [this.latestPoint()!] : [];
    this.restartedOnLatest = this.hasLatest;
    this.latestArchived = false;
    return out;
  }

  snapshot(): CompressorState {
    const latest = this.latestPoint();
    return {
      version: 1,
      family: 'analog',
      last: toStatePoint(this.latestArchived ? latest : null),
      held: null,
      latest: toStatePoint(latest),
      suppressed: 0,
      doorMin: null,
      doorMax: null,
      excLast: null,
      excHeld: null,
    };
  }

  saveState(sink: StateSink): void {
    const latest = this.latestPoint();
    sink.state('analog', this.latestArchived ? latest : null, null, latest, 0, -Infinity, Infinity, null, null);
  }

  private setLatest(t: number, value: number, status: number): void {
    this.hasLatest = true;
    this.latestT = t;
    this.latestValue = value;
    this.latestStatus = status;
    this.restartedOnLatest = false;
  }

  private latestPoint(): ArchivedSample | null {
    return this.hasLatest ? { t: this.latestT, value: this.latestValue, status: this.latestStatus, flags: 0 } : null;
  }
}

/** Two state points alike (NaN and -0 travel as the same strings: state.ts toJsonNumber). */
const samePoint = (a: { t: number; value: unknown; status: number; flags: number }, b: typeof a): boolean =>
  a.t === b.t && a.status === b.status && a.flags === b.flags && Object.is(a.value, b.value);
