/**
 * The analog compressor: none, deadband or swinging door (PI form), with HIST's cyclic records.
 *
 * A segment starts at the last archived point `last`; raw samples after it are held (`held` is
 * the newest, PI's snapshot) until the next one proves the held one must be archived. Breaks
 * (status change, non-finite values) close the segment: the held point and the new one are
 * both archived, so the reconstruction never bridges good to bad or a number to NaN.
 * See README.md for the rules and the guarantee they give.
 */
import { conditionOf, isBad, marksEvent } from '../status.js';
import { Flag, type ArchivedSample, type Sample } from '../types.js';
import type { AnalogSettings } from './settings.js';
import { outsideBand } from './settings.js';
import { checkState, fromStatePoint, restartPoints, toStatePoint } from './state.js';
import { NOTHING, type Compressor, type CompressorState, type PointSink, type StateSink } from './types.js';

type Point = ArchivedSample & { value: number };
const copyPoint = (p: Point): Point => ({ ...p });

export class AnalogCompressor implements Compressor {
  private last: Point | null = null;
  private held: Point | null = null;
  /** The sample restart() archived (not archived twice). */
  private restartedOn: ArchivedSample | null = null;
  private latest: Point | null = null;
  /** Raw samples since `last` not archived: deadband decides between the held sample and a hold record. */
  private suppressed = 0;
  private doorMin = -Infinity;
  private doorMax = Infinity;
  private excLast: Point | null = null;
  private excHeld: Point | null = null;
  /** A point object no field may hold any more (pointOf checks): reused for the next sample. */
  private spare: Point | null = null;
  /** Where push() and pushTo() collect the points they archive (the points themselves; emptied as they return). */
  private readonly out: Point[] = [];

  constructor(private readonly name: string, private readonly cfg: AnalogSettings, state?: CompressorState) {
    // undefined means a fresh compressor; anything else (null included) must be a valid state.
    if (state !== undefined) this.restore(state);
  }

  push(s: Sample, cyclic = true): readonly ArchivedSample[] {
    const out = this.out;
    this.feed(s, cyclic);
    if (out.length === 0) return NOTHING;
    const copies = out.map(copyPoint);
    out.length = 0;
    return copies;
  }

  /**
   * push() with the points handed to `sink` one by one, as numbers (the store's ingest): no copy
   * of each point, no array of them.
   */
  pushTo(s: Sample, sink: PointSink, cyclic = true): void {
    const out = this.out;
    this.feed(s, cyclic);
    // Most samples archive nothing: setting an array's length is a call into the runtime, skipped then.
    if (out.length === 0) return;
    try {
      for (let i = 0; i < out.length; i++) {
        const p = out[i]!;
        sink(p.t, p.value, p.status, p.flags);
      }
    } finally {
      out.length = 0;
    }
  }

  /** Runs one sample through; what it archives is left in `out`. */
  private feed(s: Sample, cyclic: boolean): void {
    if (typeof s.value !== 'number') {
      throw new Error(`tag '${this.name}': analog sample at t=${s.t} must have a number value, got ${typeof s.value}`);
    }
    if (!Number.isSafeInteger(s.t)) throw new Error(`tag '${this.name}': sample t must be an integer ms timestamp, got ${s.t}`);
    const prev = this.latest;
    if (prev !== null && s.t <= prev.t) {
      throw new Error(`tag '${this.name}': samples must have strictly increasing t: got t=${s.t} after t=${prev.t}`);
    }
    const out = this.out;
    const cycle = this.cfg.cycleMs;
    // HIST cyclic record: a gap of more than two cycles means the value held (report by
    // exception); the previous value stands one cycle before the new one, as an implied sample.
    // Not a Bad one: a bad stretch holds to the next point anyway, and a copy of the station's loss
    // marker would stand Bad inside the gap after the server's history filled it (a backfill).
    // The new sample's point is taken before the cyclic record goes through: `out` holds the
    // points themselves until push() returns, and one the record archived and let go (a held
    // point archived at CompMax, the next one archived too) may be the spare pointOf reuses.
    const p = this.pointOf(s.t, s.value, s.status >>> 0);
    if (prev !== null && cycle > 0 && s.t - prev.t > 2 * cycle && cyclic && !isBad(prev.status)) {
      this.accept({ t: s.t - cycle, value: prev.value, status: prev.status, flags: Flag.Cyclic }, out);
    }
    this.accept(p, out);
    this.spare = prev;
  }

  private notANumber(s: Sample): Error {
    return new Error(`tag '${this.name}': analog sample at t=${s.t} must have a number value, got ${typeof s.value}`);
  }

  private notATime(t: number): Error {
    return new Error(`tag '${this.name}': sample t must be an integer ms timestamp, got ${t}`);
  }

  pushLate(s: Sample): readonly ArchivedSample[] {
    if (typeof s.value !== 'number') throw this.notANumber(s);
    if (!Number.isSafeInteger(s.t)) throw this.notATime(s.t);
    const t = s.t;
    const latest = this.latest;
    // Nothing seen (new, or a new configuration's): its next sample starts afresh anyway.
    if (latest === null) return NOTHING;
    const p: Point = { t, value: s.value, status: s.status >>> 0, flags: 0 };
    const { last, held, excHeld } = this;
    if (t < latest.t && last?.t !== t && held?.t !== t && excHeld?.t !== t) {
      // Between or before its points: it replaces none of them. The exception filter measures
      // from the value the archive now holds.
      if (this.excLast?.t === t) this.excLast = p;
      return NOTHING;
    }
    if (last === null && t === latest.t) {
      // After restart(): the newest sample is archived (the store replaces it) and the next starts afresh.
      if (this.restartedOn === latest) this.restartedOn = p;
      this.latest = p;
      return NOTHING;
    }
    // It replaces a point of the segment, or comes after them all: what is held at other times is
    // real (a sample, or a hold record of an anchor that stands) and is archived now, and the
    // segment starts again from the newest point archived. The door and band were measured from
    // or through the replaced point: nothing of them is kept.
    const out: Point[] = [];
    if (held !== null && held.t !== t) out.push(last !== null && last.t !== t ? this.closingPoint(held) : held);
    if (excHeld !== null && excHeld.t !== t) out.push(excHeld);
    let anchor = p;
    for (const q of out) if (q.t > anchor.t) anchor = q;
    this.last = anchor;
    this.held = null;
    this.suppressed = 0;
    this.doorMin = -Infinity;
    this.doorMax = Infinity;
    this.excLast = this.cfg.excDev === null ? null : anchor;
    this.excHeld = null;
    if (t >= latest.t) this.latest = p;
    return out.length === 0 ? NOTHING : out.map((q) => ({ ...q }));
  }

  /**
   * The point of a new sample: the sample before last's object when nothing holds it any more
   * (a door's held sample is usually let go by the next one), else a new one. An object per
   * sample was most of what an ingest's collector swept; what push() returns is always a copy.
   */
  private pointOf(t: number, value: number, status: number): Point {
    const p = this.spare;
    if (p === null || p === this.last || p === this.held || p === this.latest || p === this.excLast || p === this.excHeld || p === this.restartedOn) {
      return { t, value, status, flags: 0 };
    }
    p.t = t;
    p.value = value;
    p.status = status;
    p.flags = 0;
    return p;
  }

  setCycle(cycleMs: number): void {
    this.cfg.cycleMs = this.cfg.stepped ? 0 : cycleMs;
  }

  pending(): ArchivedSample | null {
    if (this.excHeld !== null) return { ...this.excHeld };
    if (this.held === null) return null;
    return { ...this.closingPoint(this.held) };
  }

  flush(): ArchivedSample[] {
    const out: Point[] = [];
    this.closeSegment(out);
    return out.map(copyPoint);
  }

  restart(): ArchivedSample[] {
    const latest = this.latest;
    // Something held: archive what flush() would (the newest sample, or a deadband's hold record
    // at its time), so the block ends within dev of every sample it suppressed.
    const holds = this.held !== null || this.excHeld !== null;
    const out = holds ? this.flush() : restartPoints(latest, this.restartedOn, this.last);
    this.restartedOn = latest;
    this.last = null;
    this.held = null;
    this.suppressed = 0;
    this.doorMin = -Infinity;
    this.doorMax = Infinity;
    this.excLast = null;
    this.excHeld = null;
    return out;
  }

  snapshot(): CompressorState {
    return {
      version: 1,
      family: 'analog',
      last: toStatePoint(this.last),
      held: toStatePoint(this.held),
      latest: toStatePoint(this.latest),
      suppressed: this.suppressed,
      doorMin: this.doorMin === -Infinity ? null : this.doorMin,
      doorMax: this.doorMax === Infinity ? null : this.doorMax,
      excLast: toStatePoint(this.excLast),
      excHeld: toStatePoint(this.excHeld),
    };
  }

  saveState(sink: StateSink): void {
    sink.state('analog', this.last, this.held, this.latest, this.suppressed, this.doorMin, this.doorMax, this.excLast, this.excHeld);
  }

  private restore(state: CompressorState): void {
    checkState(state, 'analog');
    const point = (p: CompressorState['last'], field: string) => fromStatePoint(p, field, true) as Point | null;
    this.last = point(state.last, 'last');
    this.held = point(state.held, 'held');
    this.latest = point(state.latest, 'latest');
    this.excLast = point(state.excLast, 'excLast');
    this.excHeld = point(state.excHeld, 'excHeld');
    this.suppressed = state.suppressed;
    this.doorMin = state.doorMin ?? -Infinity;
    this.doorMax = state.doorMax ?? Infinity;
    if (this.last === null && (this.held !== null || this.excHeld !== null)) {
      throw new Error('compressor state: held points without a last archived point');
    }
  }

  private accept(p: Point, out: Point[]): void {
    this.latest = p;
    const last = this.last;
    if (last === null) return this.archiveFresh(p, out);
    if (conditionOf(p.status) !== conditionOf(last.status) || marksEvent(p.status) || !Number.isFinite(p.value) || !Number.isFinite(last.value)) {
      this.closeSegment(out);
      return this.archiveFresh(p, out);
    }
    const excDev = this.cfg.excDev;
    if (excDev !== null) {
      // PI exception filter: hold back samples within ExcDev of the last passed one; when one
      // passes, the sample held back before it passes too, so the slope into it is kept.
      const ref = this.excLast ?? last;
      if (!outsideBand(p.value, ref.value, excDev) && p.t - last.t <= this.cfg.maxMs) {
        this.excHeld = p;
        return;
      }
      this.passExcHeld(out);
      this.excLast = p;
    }
    this.compress(p, out);
  }

  private passExcHeld(out: Point[]): void {
    const h = this.excHeld;
    if (h === null) return;
    this.excHeld = null;
    this.compress(h, out);
  }

  private compress(p: Point, out: Point[]): void {
    switch (this.cfg.kind) {
      case 'none': return this.archive(p, out);
      case 'deadband': return this.deadband(p, out);
      case 'swinging-door': return this.swingingDoor(p, out);
    }
  }

  /** Deadband, and the door of stepped tags (slope 0): stay within dev of the last archived value. */
  private deadband(p: Point, out: Point[]): void {
    if (this.held !== null && p.t - this.last!.t > this.cfg.maxMs) this.closeSegment(out);
    const last = this.last!;
    if (outsideBand(p.value, last.value, this.cfg.dev)) {
      if ((this.held ?? p).t - last.t >= this.cfg.minMs) {
        this.closeSegment(out);
        if (p.t - this.last!.t >= this.cfg.minMs) return this.archive(p, out);
      }
    } else if (p.t - last.t > this.cfg.maxMs) {
      return this.archive(p, out);
    }
    this.held = p;
    this.suppressed++;
  }

  private swingingDoor(p: Point, out: Point[]): void {
    if (this.cfg.stepped) return this.deadband(p, out);
    const held = this.held;
    if (held === null) return this.holdOrArchive(p, out);
    const last = this.last!;
    if (p.t - last.t > this.cfg.maxMs) {
      this.archive(held, out); // CompMax
      return this.holdOrArchive(p, out);
    }
    if (this.outsideDoor(p, last) && held.t - last.t >= this.cfg.minMs) {
      this.archive(held, out);
    }
    // Inside CompMin the door may close completely; the held point is archived once allowed.
    this.held = p;
    this.closeDoor(p);
  }

  /** The first sample after an archived point: hold it, unless CompMax already ran out. */
  private holdOrArchive(p: Point, out: Point[]): void {
    if (p.t - this.last!.t > this.cfg.maxMs) return this.archive(p, out);
    this.held = p;
    this.closeDoor(p);
  }

  private outsideDoor(p: Point, last: Point): boolean {
    const slope = (p.value - last.value) / (p.t - last.t);
    return slope < this.doorMin || slope > this.doorMax;
  }

  /** Narrows the door (slopes from `last`) so the line to any later point passes within dev of p. */
  private closeDoor(p: Point): void {
    const last = this.last!;
    const dt = p.t - last.t;
    const upper = (p.value + this.cfg.dev - last.value) / dt;
    const lower = (p.value - this.cfg.dev - last.value) / dt;
    if (upper < this.doorMax) this.doorMax = upper;
    if (lower > this.doorMin) this.doorMin = lower;
  }

  /**
   * What archiving the held point means. Deadband on a linear tag, after two or more suppressed
   * samples: a hold record (the last archived value re-stamped at the held
   * sample's time, flagged Cyclic), so the reconstruction stays flat, within dev of every
   * suppressed sample, up to the step. Otherwise the held sample itself.
   */
  private closingPoint(held: Point): Point {
    const c = this.cfg;
    if (c.kind !== 'deadband' || c.stepped || this.suppressed < 2) return held;
    const last = this.last!;
    return { t: held.t, value: last.value, status: held.status, flags: held.flags | Flag.Cyclic };
  }

  /** Archives what the segment needs before a break, a step or the end of the stream. */
  private closeSegment(out: Point[]): void {
    this.passExcHeld(out);
    if (this.held !== null) this.archive(this.closingPoint(this.held), out);
  }

  /** Collects p itself: push() and flush() hand out copies, pushTo() its numbers. */
  private archive(p: Point, out: Point[]): void {
    out.push(p);
    this.last = p;
    this.held = null;
    this.suppressed = 0;
    this.doorMin = -Infinity;
    this.doorMax = Infinity;
  }

  /** Archives a point that starts a new segment (first sample, or after a break). */
  private archiveFresh(p: Point, out: Point[]): void {
    this.archive(p, out);
    // Only the exception filter reads excLast: without one it stays null, so that a tag at rest
    // has the resting state (store/tag-state.ts) and costs no state bytes in the catalog.
    this.excLast = this.cfg.excDev === null ? null : p;
    this.excHeld = null;
  }
}
