/**
 * Local times read as UTC (no --tz) across a DST fall-back: the clocks' repeated hour comes back as
 * rows that step back less than an hour and give times the file gave already, rejected as
 * duplicates. Rightly refused, but "duplicate of line 182" alone does not say why: this finds the
 * step (records.ts) so that those rejections and the summary name local time and --tz (import.ts).
 */
import { formatTime } from './time.js';

const HOUR_MS = 3_600_000;
/** Rows going forward before the step: a run of times, not a shuffled file's first rows. */
const RUN_BEFORE = 2;

/** Where a series of times read as UTC stepped back into the hour before, as a fall-back repeats it. */
export interface RepeatedHour {
  /** The long file's tag whose times stepped back; undefined in a wide file (its rows are one series). */
  tag?: string;
  /** The first row of the repeat, and the times it stepped back from and to. */
  line: number;
  from: number;
  to: number;
  /** Duplicates rejected within the repeat (import.ts counts them): the summary names --tz when there are any. */
  duplicates: number;
}

interface SeriesState {
  last: number;
  forward: number;
  stepped: boolean;
}

/** Watches each series' times (read as UTC) for the first step back of under an hour after a run forward, the run going on after it. */
export class RepeatedHourWatch {
  found: RepeatedHour | undefined;
  private candidate: RepeatedHour | undefined;
  private readonly series = new Map<string, SeriesState>();

  see(key: string, tag: string | undefined, t: number, line: number): void {
    let s = this.series.get(key);
    if (s === undefined) this.series.set(key, (s = { last: NaN, forward: 0, stepped: false }));
    const c = this.candidate;
    if (c !== undefined && (c.tag ?? '') === key) {
      this.candidate = undefined;
      if (t > c.to) this.found = c; // the times go forward again from the step: a repeated stretch
    }
    if (this.found === undefined && !s.stepped && t < s.last) {
      s.stepped = true;
      if (s.forward >= RUN_BEFORE && s.last - t < HOUR_MS) this.candidate = { tag, line, from: s.last, to: t, duplicates: 0 };
    } else if (t > s.last || Number.isNaN(s.last)) s.forward++;
    s.last = t;
  }
}

/** A duplicate of tag's at t on line `line` lies within the repeat: the stretch the clocks went over twice. */
export function inRepeat(r: RepeatedHour | undefined, tag: string, t: number, line: number): boolean {
  return r !== undefined && (r.tag === undefined || r.tag === tag) && line >= r.line && t >= r.to && t <= r.from;
}

/** What a duplicate within the repeat adds to its rejection. */
export function repeatedHourHint(r: RepeatedHour): string {
  return `; the times look like local time across a daylight-saving change: from line ${r.line} they go back from ${formatTime(r.from)} ` +
    `to ${formatTime(r.to)} and give that stretch again, as clocks going back repeat an hour; times without an offset are read as UTC: ` +
    'import the file with --tz <zone> (the zone of its clocks, such as --tz Europe/Berlin)';
}

/** The summary's note, once duplicates fell within the repeat. */
export function repeatedHourNote(r: RepeatedHour | undefined): string {
  if (r === undefined || r.duplicates === 0) return '';
  return `; the times look like local time across a daylight-saving change (from line ${r.line} they go back less than an hour and ` +
    `repeat it: ${r.duplicates} samples rejected as duplicates): import the file with --tz <zone>`;
}
