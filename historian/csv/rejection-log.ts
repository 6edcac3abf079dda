/**
 * The rejections of an import, kept in bounded memory. A file whose every row is refused (5 M
 * rows of day-first dates without --date-order) made 5 M Rejection objects, ~2 GB, for a digest
 * that lists 100 lines of each problem (rejection-digest.ts). The log keeps what that digest and
 * the counts need, whatever the order of the pushes (the windows of time of a file out of order
 * report value rejections after the first pass reported times):
 * - per problem (problemKey: field and what it says, digits aside), the `limit` + 1 rejections
 *   first in line order (the listed ones and the first of the rest, whose text the digest shows),
 *   the count and the last line;
 * - the first day-first and month-first date refused for want of --date-order, and whether an
 *   undecided one was seen;
 * - the count of rejections and of distinct rejected lines (a bitset by line number: 1 bit a line).
 * Rejections on one line are ordered as pushed, as the stable sort of the array they were before.
 */
import type { Rejection } from './records.js';
import { dateOrderOf, LISTED_PER_PROBLEM, problemKey, problemOf, type MoreRejected, type RejectionDigest } from './rejection-digest.js';

interface Entry {
  r: Rejection;
  /** Push order: rejections of one line come out as they were pushed. */
  seq: number;
}

interface Problem {
  /** The first `limit` + 1 entries in line order. */
  kept: Entry[];
  total: number;
  lastLine: number;
  /**
   * Its lines, once it has more than `limit` rejections (before, `kept` holds them all): a problem of
   * samples (a duplicate time of every tag of a row) has several a line, and its rest is said as
   * samples on so many lines, not as so many lines.
   */
  lines?: LineSet;
}

/** Distinct line numbers: a bitset (1 bit a line) and a Set for lines it does not take. */
class LineSet {
  size = 0;
  private bits = new Uint32Array(64);
  private odd: Set<number> | undefined;

  add(line: number): void {
    if (!isBitLine(line)) {
      const odd = (this.odd ??= new Set());
      if (!odd.has(line)) {
        odd.add(line);
        this.size++;
      }
      return;
    }
    const w = line >>> 5;
    if (w >= this.bits.length) {
      const bigger = new Uint32Array(Math.max(w + 1, this.bits.length * 2));
      bigger.set(this.bits);
      this.bits = bigger;
    }
    const bit = 1 << (line & 31);
    if ((this.bits[w]! & bit) === 0) {
      this.bits[w] = this.bits[w]! | bit;
      this.size++;
    }
  }

  has(line: number): boolean {
    if (!isBitLine(line)) return this.odd?.has(line) ?? false;
    const w = line >>> 5;
    return w < this.bits.length && (this.bits[w]! & (1 << (line & 31))) !== 0;
  }

  each(fn: (line: number) => void): void {
    for (let w = 0; w < this.bits.length; w++) {
      const word = this.bits[w]!;
      if (word === 0) continue;
      for (let b = 0; b < 32; b++) if (word & (1 << b)) fn(w * 32 + b);
    }
    if (this.odd) for (const line of this.odd) fn(line);
  }
}

const before = (a: Entry, b: Entry): boolean => a.r.line < b.r.line || (a.r.line === b.r.line && a.seq < b.seq);

export class RejectionLog {
  private readonly problems = new Map<string, Problem>();
  private seq = 0;
  private total = 0;
  /** Every line rejected. */
  private readonly rejectedLines = new LineSet();
  private dmy: Entry | undefined;
  private mdy: Entry | undefined;
  private undecided = false;
  private listedCache: Rejection[] | undefined;

  /** `limit`: the rejections listed per problem (the digest's LISTED_PER_PROBLEM). */
  constructor(readonly limit = LISTED_PER_PROBLEM) {}

  /** Rejections pushed. */
  get count(): number {
    return this.total;
  }

  /** Distinct lines rejected (a line may have several rejected fields). */
  get lines(): number {
    return this.rejectedLines.size;
  }

  /** The rejections listed (up to `limit` per problem), in line order: every one when no problem had more. */
  get listed(): Rejection[] {
    if (this.listedCache === undefined) {
      const all: Entry[] = [];
      for (const p of this.problems.values()) for (let i = 0; i < Math.min(this.limit, p.kept.length); i++) all.push(p.kept[i]!);
      this.listedCache = all.sort((a, b) => a.r.line - b.r.line || a.seq - b.seq).map((e) => e.r);
    }
    return this.listedCache;
  }

  /** Rejections held in memory (at most `limit` + 1 per problem): what the log costs. */
  get retained(): number {
    let n = 0;
    for (const p of this.problems.values()) n += p.kept.length;
    return n;
  }

  push(r: Rejection): void {
    this.add({ r, seq: this.seq++ }, 1, r.line);
    this.total++;
    this.mark(r.line);
  }

  /** Takes in another log's rejections as pushed after this one's (the other is not to be used after). */
  absorb(other: RejectionLog): void {
    if (other.limit < this.limit) throw new RangeError(`a log keeping ${other.limit} lines per problem absorbed by one keeping ${this.limit}`);
    const offset = this.seq;
    for (const [key, p] of other.problems) {
      const before = this.problems.get(key);
      if (before && before.total + p.total > this.limit) this.linesOf(before); // its own lines, before the other's entries push some out of kept
      for (const e of p.kept) this.addTo(key, { r: e.r, seq: e.seq + offset }, 0, e.r.line);
      this.addTo(key, undefined, p.total, p.lastLine);
      const mine = this.problems.get(key)!;
      if (mine.total > this.limit) {
        const lines = this.linesOf(mine);
        for (const e of p.kept) lines.add(e.r.line);
        p.lines?.each((line) => lines.add(line));
      }
    }
    for (const e of [other.dmy, other.mdy]) if (e) this.evidence({ r: e.r, seq: e.seq + offset });
    this.undecided ||= other.undecided;
    this.seq += other.seq;
    this.total += other.total;
    other.rejectedLines.each((line) => this.rejectedLines.add(line));
  }

  /** Whether `line` has a rejection. */
  has(line: number): boolean {
    return this.rejectedLines.has(line);
  }

  /** What digestRejections makes of all the rejections sorted by line; `limit` at most the log's. */
  digest(limit = this.limit): RejectionDigest {
    if (limit > this.limit) throw new RangeError(`a digest of ${limit} lines per problem from a log keeping ${this.limit}`);
    const listed: Entry[] = [];
    const more: { at: Entry; m: MoreRejected }[] = [];
    for (const p of this.problems.values()) {
      for (let i = 0; i < Math.min(limit, p.kept.length); i++) listed.push(p.kept[i]!);
      const first = p.kept[limit];
      if (first) {
        const m = { file: first.r.file, field: first.r.field, problem: problemOf(first.r), count: p.total - limit, first: first.r.line, last: p.lastLine };
        more.push({ at: first, m: { ...m, lines: restLines(p, limit) } });
      }
    }
    listed.sort((a, b) => a.r.line - b.r.line || a.seq - b.seq);
    more.sort((a, b) => a.at.r.line - b.at.r.line || a.at.seq - b.at.seq);
    const digest: RejectionDigest = { listed: listed.map((e) => e.r), more: more.map((x) => x.m) };
    const { dmy, mdy } = this;
    if (dmy && !mdy) digest.dateOrder = { order: 'dmy', line: dmy.r.line, got: dmy.r.got };
    else if (mdy && !dmy) digest.dateOrder = { order: 'mdy', line: mdy.r.line, got: mdy.r.got };
    else if (!dmy && !mdy && this.undecided) digest.dateOrder = { order: 'unknown' };
    return digest;
  }

  private add(e: Entry, total: number, line: number): void {
    this.addTo(problemKey(e.r), e, total, line);
    this.evidence(e);
  }

  /** `e` among the problem's first ones if it is; `total` more rejections of it, the last on `line` or before. */
  private addTo(key: string, e: Entry | undefined, total: number, line: number): void {
    let p = this.problems.get(key);
    if (p === undefined) this.problems.set(key, (p = { kept: [], total: 0, lastLine: -Infinity }));
    p.total += total;
    // A push past `limit`: its lines from now on (those before are all kept); absorb adds its own.
    if (e !== undefined && total > 0 && p.total > this.limit) this.linesOf(p).add(e.r.line);
    if (line > p.lastLine) p.lastLine = line;
    if (e === undefined) return;
    const kept = p.kept;
    const room = this.limit + 1;
    if (kept.length >= room && !before(e, kept[kept.length - 1]!)) return; // the common case: lines pushed in order
    this.listedCache = undefined;
    let i = kept.length;
    while (i > 0 && before(e, kept[i - 1]!)) i--;
    kept.splice(i, 0, e);
    if (kept.length > room) kept.pop();
  }

  /** A date refused for want of --date-order: the order it shows. */
  private evidence(e: Entry): void {
    const order = dateOrderOf(e.r);
    if (order === undefined) return;
    if (order === 'dmy') { if (this.dmy === undefined || before(e, this.dmy)) this.dmy = e; }
    else if (order === 'mdy') { if (this.mdy === undefined || before(e, this.mdy)) this.mdy = e; }
    else this.undecided = true;
  }

  private mark(line: number): void {
    this.rejectedLines.add(line);
  }

  /** The problem's line set, made from the lines kept when it starts (they are then all its lines). */
  private linesOf(p: Problem): LineSet {
    if (p.lines === undefined) {
      p.lines = new LineSet();
      for (const k of p.kept) p.lines.add(k.r.line);
    }
    return p.lines;
  }
}

/** Lines of a problem's rest (beyond its first `limit` rejections in line order): its lines less those listed, the one they share counted. */
function restLines(p: Problem, limit: number): number {
  const all = p.lines?.size ?? new Set(p.kept.map((k) => k.r.line)).size;
  let listed = 0;
  for (let i = 0; i < limit; i++) if (i === 0 || p.kept[i]!.r.line !== p.kept[i - 1]!.r.line) listed++;
  return all - listed + (p.kept[limit]!.r.line === p.kept[limit - 1]?.r.line ? 1 : 0);
}

const isBitLine = (line: number): boolean => Number.isInteger(line) && line >= 0 && line < 2 ** 31;
