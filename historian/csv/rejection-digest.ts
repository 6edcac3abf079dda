/**
 * Rejected lines as the CLI and the inbox report list them. A file whose every row has one fault
 * (a date order not given, a column of units) printed a line per row: a million lines of one
 * message, 300 MB on a terminal, and the summary lost above them. So each problem lists its first
 * LISTED_PER_PROBLEM lines, then one line counting the rest with the first and last of them; and
 * nn/nn/YYYY dates refused for want of --date-order are looked at for the order they show.
 */
import { formatRejection, type Rejection } from './records.js';
import type { RejectionLog } from './rejection-log.js';
import { counted } from './counted.js';
import { DATE_ORDER_EXPECTED, dateOrderShown } from './time.js';

export const LISTED_PER_PROBLEM = 100;

/** The lines of one problem beyond those listed. */
export interface MoreRejected {
  file: string;
  field: string;
  /** What the first of them says after the field (expected ...; or the message). */
  problem: string;
  count: number;
  /** Distinct lines of them: fewer than count when a line has several (samples of one row: a duplicate time of each tag). */
  lines: number;
  first: number;
  last: number;
}

export interface RejectionDigest {
  listed: Rejection[];
  more: MoreRejected[];
  /** What to give --date-order, from the dates refused without one (undefined: none refused so). */
  dateOrder?: { order: 'dmy' | 'mdy' | 'unknown'; line?: number; got?: string };
}

/** The problem of a rejection: its field and what it says, digits aside (duplicate of line 12 / 13). */
export function problemKey(r: Rejection): string {
  return `${r.field}\u0000${(r.message ?? r.expected).replace(/\d+/g, '#')}`;
}

/** A date refused for want of --date-order: the order it shows ('unknown': none); undefined for any other rejection. */
export function dateOrderOf(r: Rejection): 'dmy' | 'mdy' | 'unknown' | undefined {
  if (r.message !== undefined || !r.expected.endsWith(DATE_ORDER_EXPECTED)) return undefined;
  const shown = dateOrderShown(r.got);
  return shown === 'dmy' || shown === 'mdy' ? shown : 'unknown';
}

/**
 * `rejections` in line order, or an import's RejectionLog (which keeps what this needs in bounded
 * memory: rejection-log.ts); the problem of a line is problemKey.
 */
export function digestRejections(rejections: readonly Rejection[] | RejectionLog, limit = LISTED_PER_PROBLEM): RejectionDigest {
  if (!isArray(rejections)) return rejections.digest(limit);
  const listed: Rejection[] = [];
  const seen = new Map<string, number>();
  const more = new Map<string, MoreRejected>();
  const moreLines = new Map<string, Set<number>>(); // per problem, the lines of the rest: the boundary line may be listed too
  let dmy: Rejection | undefined, mdy: Rejection | undefined, undecided = false;
  for (const r of rejections) {
    const key = problemKey(r);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n <= limit) listed.push(r);
    else {
      const m = more.get(key);
      if (m) { m.count++; m.last = r.line; }
      else more.set(key, { file: r.file, field: r.field, problem: problemOf(r), count: 1, lines: 0, first: r.line, last: r.line });
      const lines = moreLines.get(key) ?? new Set<number>();
      lines.add(r.line);
      moreLines.set(key, lines);
      more.get(key)!.lines = lines.size;
    }
    const order = dateOrderOf(r);
    if (order === 'dmy') dmy ??= r;
    else if (order === 'mdy') mdy ??= r;
    else if (order === 'unknown') undecided = true;
  }
  const digest: RejectionDigest = { listed, more: [...more.values()] };
  if (dmy && !mdy) digest.dateOrder = { order: 'dmy', line: dmy.line, got: dmy.got };
  else if (mdy && !dmy) digest.dateOrder = { order: 'mdy', line: mdy.line, got: mdy.got };
  else if (!dmy && !mdy && undecided) digest.dateOrder = { order: 'unknown' };
  return digest;
}

const isArray = (x: readonly Rejection[] | RejectionLog): x is readonly Rejection[] => Array.isArray(x);

/** A rejection's text after `file:line: field "...": `. */
export function problemOf(r: Rejection): string {
  const text = formatRejection(r);
  return text.slice(text.indexOf(': field "') + `: field "${r.field}": `.length);
}

/** The digest as lines of text: the listed rejections, the counts of the rest, the date-order hint. */
export function formatDigest(d: RejectionDigest): string[] {
  const out = d.listed.map(formatRejection);
  for (const m of d.more) {
    // Lines counted as lines; a problem with several rejections a line (a sample of each tag) says its samples and their lines.
    const what = m.lines === m.count ? `${counted(m.count, 'more line', 'more lines')} rejected`
      : `${counted(m.count, 'more sample', 'more samples')} rejected on ${counted(m.lines, 'line')}`;
    out.push(`${m.file}: ${what} for the same problem, lines ${m.first} to ${m.last}: field "${m.field}": ${m.problem}`);
  }
  const o = d.dateOrder;
  const file = d.listed[0]?.file;
  if (o?.order === 'unknown') {
    out.push(`${file}: the file writes dates as nn/nn/YYYY and none of them has a part above 12 to tell the day from the month: ` +
      'import it again with --date-order dmy or --date-order mdy, as the system that wrote it writes dates');
  } else if (o) {
    out.push(`${file}: the file writes dates as nn/nn/YYYY, ${o.order === 'dmy' ? 'day' : 'month'} first (line ${o.line}: ${JSON.stringify(o.got)}): ` +
      `import it again with --date-order ${o.order} (its lines archived already are not archived twice)`);
  }
  return out;
}
