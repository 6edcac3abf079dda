/**
 * Discrete and text tags: archive on every value or status change, never a deviation, never a
 * cyclic record (their reconstruction is a step). The newest unchanged sample is held, so a
 * status change archives it too and the last good value is known up to the change.
 */
import { conditionOf, marksEvent } from '../status.js';
import type { ArchivedSample, Sample, TagKind } from '../types.js';
import { checkState, fromStatePoint, restartPoints, toStatePoint } from './state.js';
import { NOTHING, type Compressor, type CompressorState, type StateSink } from './types.js';

export class DiscreteCompressor implements Compressor {
  private last: ArchivedSample | null = null;
  private held: ArchivedSample | null = null;
  /** The sample restart() archived (not archived twice). */
  private restartedOn: ArchivedSample | null = null;
  private latest: ArchivedSample | null = null;
  /** The sample before latest's point, reused for the next sample when no field holds it (analog.ts pointOf). */
  private spare: ArchivedSample | null = null;

  constructor(private readonly name: string, private readonly kind: TagKind, state?: CompressorState) {
    if (state !== undefined) {
      checkState(state, 'discrete');
      this.last = fromStatePoint(state.last, 'last', false);
      this.held = fromStatePoint(state.held, 'held', false);
      this.latest = fromStatePoint(state.latest, 'latest', false);
    }
  }

  push(s: Sample): readonly ArchivedSample[] {
    const ok = this.kind === 'text' ? typeof s.value === 'string' : typeof s.value === 'boolean' || typeof s.value === 'number';
    if (!ok) throw this.wrongValue(s);
    if (!Number.isSafeInteger(s.t)) throw new Error(`tag '${this.name}': sample t must be an integer ms timestamp, got ${s.t}`);
    if (this.latest !== null && s.t <= this.latest.t) {
      throw new Error(`tag '${this.name}': samples must have strictly increasing t: got t=${s.t} after t=${this.latest.t}`);
    }
    const p = this.pointOf(s.t, s.value, s.status >>> 0);
    this.spare = this.latest;
    this.latest = p;
    const last = this.last;
    const statusChanged = last !== null && conditionOf(p.status) !== conditionOf(last.status);
    // Object.is: a NaN state is "unchanged" from NaN, and a change of type (true vs 1) is a change.
    if (last === null || statusChanged || marksEvent(p.status) || !Object.is(p.value, last.value)) {
      const out: ArchivedSample[] = [];
      if (statusChanged && this.held !== null) out.push({ ...this.held });
      out.push({ ...p });
      this.last = p;
      this.held = null;
      return out;
    }
    this.held = p;
    return NOTHING;
  }

  /**
   * The point of a new sample: the spare object when no field holds it any more (an unchanged
   * sample's point is let go by the next one), else a new one. A point per sample was most of
   * what a plant's discrete tags allocated; what push() returns is always a copy.
   */
  private pointOf(t: number, value: ArchivedSample['value'], status: number): ArchivedSample {
    const p = this.spare;
    if (p === null || p === this.last || p === this.held || p === this.latest || p === this.restartedOn) return { t, value, status, flags: 0 };
    p.t = t;
    p.value = value;
    p.status = status;
    p.flags = 0;
    return p;
  }

  private wrongValue(s: Sample): Error {
    const expected = this.kind === 'text' ? 'a string' : 'a boolean or a number';
    return new Error(`tag '${this.name}': ${this.kind} sample at t=${s.t} must have ${expected} value, got ${typeof s.value}`);
  }

  private check(s: Sample): void {
    const ok = this.kind === 'text' ? typeof s.value === 'string' : typeof s.value === 'boolean' || typeof s.value === 'number';
    if (!ok) throw this.wrongValue(s);
    if (!Number.isSafeInteger(s.t)) throw new Error(`tag '${this.name}': sample t must be an integer ms timestamp, got ${s.t}`);
  }

  /** Compressor.pushLate: as AnalogCompressor's, with the held unchanged sample as its only held point. */
  pushLate(s: Sample): readonly ArchivedSample[] {
    this.check(s);
    const t = s.t;
    const latest = this.latest;
    if (latest === null) return NOTHING;
    const { last, held } = this;
    if (t < latest.t && last?.t !== t && held?.t !== t) return NOTHING;
    const p: ArchivedSample = { t, value: s.value, status: s.status >>> 0, flags: 0 };
    if (last === null && t === latest.t) {
      if (this.restartedOn === latest) this.restartedOn = p;
      this.latest = p;
      return NOTHING;
    }
    // The held sample at another time is a change from the replaced value, or the last good one
    // before it: archived now; changes are then measured from the newest point archived.
    const keep = held !== null && held.t !== t ? held : null;
    this.last = keep !== null && keep.t > t ? keep : p;
    this.held = null;
    if (t >= latest.t) this.latest = p;
    return keep === null ? NOTHING : [{ ...keep }];
  }

  pending(): ArchivedSample | null {
    return this.held === null ? null : { ...this.held };
  }

  flush(): ArchivedSample[] {
    const h = this.held;
    if (h === null) return [];
    this.last = h;
    this.held = null;
    return [{ ...h }];
  }

  restart(): ArchivedSample[] {
    const latest = this.latest;
    const out = restartPoints(latest, this.restartedOn, this.last);
    this.restartedOn = latest;
    this.last = null;
    this.held = null;
    return out;
  }

  saveState(sink: StateSink): void {
    sink.state('discrete', this.last, this.held, this.latest, 0, -Infinity, Infinity, null, null);
  }

  snapshot(): CompressorState {
    return {
      version: 1,
      family: 'discrete',
      last: toStatePoint(this.last),
      held: toStatePoint(this.held),
      latest: toStatePoint(this.latest),
      suppressed: 0,
      doorMin: null,
      doorMax: null,
      excLast: null,
      excHeld: null,
    };
  }
}
