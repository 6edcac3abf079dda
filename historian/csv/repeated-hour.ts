/**
 * Which instant a wall time of a DST fall-back's repeated hour is, read from the order of the
 * file's rows, or that the order cannot say (records.ts then rejects the row: never a guess).
 *
 * A series is a run of times in file order: a wide file's rows, a long file's rows, or one tag's
 * rows of a long file. Each of its times is fixed (one instant) or held (two candidates). A series
 * runs forward if its times can be chosen so that they never go back, backward (newest first)
 * likewise; a held time is said by the order when, over every direction the series can run, one
 * candidate alone fits between its neighbours. Shuffled rows run neither way: then nothing is said.
 * The whole file is needed to know that (a shuffled file may start with a few rows in order), so
 * held rows wait for the end of the file; they are the repeated hour's only.
 */

/** Candidates: bit 1 the first occurrence, bit 2 the second. */
export type Fits = 0 | 1 | 2 | 3;

/** A held time: its candidates, those still possible (shared by the series it is in), and those one series lets fit. */
export interface Slot {
  first: number;
  second: number;
  /** What every series has left of it so far (the row's: records.ts narrows it series by series). */
  mask: { fits: Fits };
  /** What this series lets fit, over the directions it can run (settle). */
  fits: Fits;
}

/** Held slots between two fixed times (undefined: the start or the end of the series). */
interface Run {
  before?: number;
  slots: Slot[];
  next?: number;
}

export class SeriesOrder {
  private last: number | undefined;
  /** The fixed times alone never go back (forward), never on (backward). */
  private fixedUp = true;
  private fixedDown = true;
  private readonly runs: Run[] = [];
  private open: Run | undefined;
  /** The series can run forward (backward), as of the last settle. */
  private upOk = true;
  private downOk = true;

  /**
   * `strict`: two held times in a row are never equal (one tag's, or a wide file's rows: equal, they
   * are one time twice). A fixed time may equal the one before it: a duplicate, rejected on its own.
   */
  constructor(private readonly strict: boolean) {}

  /** The series can run in some direction, as of the last settle: its order says something. */
  get ordered(): boolean {
    return this.upOk || this.downOk;
  }

  fixed(t: number): void {
    if (this.last !== undefined) {
      if (t < this.last) this.fixedUp = false;
      if (t > this.last) this.fixedDown = false;
    }
    this.last = t;
    if (this.open) {
      this.open.next = t;
      this.open = undefined;
    }
  }

  held(first: number, second: number, mask: { fits: Fits }): Slot {
    const slot: Slot = { first, second, mask, fits: 0 };
    if (this.open === undefined) this.runs.push((this.open = { before: this.last, slots: [] }));
    this.open.slots.push(slot);
    return slot;
  }

  /** With the masks as they are: whether the series runs forward, backward, and each slot's fits over those. */
  settle(): void {
    this.upOk = this.fixedUp && this.runs.every((r) => this.walk(r, 1, false));
    this.downOk = this.fixedDown && this.runs.every((r) => this.walk(r, -1, false));
    for (const r of this.runs) for (const s of r.slots) s.fits = 0;
    for (const r of this.runs) {
      if (this.upOk) this.walk(r, 1, true);
      if (this.downOk) this.walk(r, -1, true);
    }
  }

  /**
   * One run in one direction (1 forward, -1 backward: times negated, so "later" is one test). Forward,
   * the least time each slot can reach from the run's start; then back from its end, the candidates
   * that fit between both (`mark`: added to each slot's fits). False: the run cannot go that way.
   */
  private walk(r: Run, dir: 1 | -1, mark: boolean): boolean {
    const at = (s: Slot, bit: 1 | 2) => dir * (bit === 1 ? s.first : s.second);
    const lows: number[] = [];
    let low = r.before === undefined ? -Infinity : dir * r.before;
    for (const s of r.slots) {
      lows.push(low);
      let next = Infinity;
      for (const bit of [1, 2] as const) if (s.mask.fits & bit && this.follows(at(s, bit), low) && at(s, bit) < next) next = at(s, bit);
      if (next === Infinity) return false;
      low = next;
    }
    if (r.next !== undefined && low > dir * r.next) return false;
    if (!mark) return true;
    let high = r.next === undefined ? Infinity : dir * r.next, fixedNext = true;
    for (let i = r.slots.length - 1; i >= 0; i--) {
      const s = r.slots[i]!;
      let top = -Infinity;
      for (const bit of [1, 2] as const) {
        const c = at(s, bit);
        if (!(s.mask.fits & bit) || !(fixedNext ? c <= high : this.follows(high, c))) continue;
        if (c > top) top = c;
        if (this.follows(c, lows[i]!)) s.fits = (s.fits | bit) as Fits;
      }
      high = top;
      fixedNext = false;
    }
    return true;
  }

  /** `b` may follow `a` (forward): later, or as late where held times may be equal. */
  private follows(b: number, a: number): boolean {
    return this.strict ? b > a : b >= a;
  }
}
