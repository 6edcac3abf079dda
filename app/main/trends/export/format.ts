/**
 * The text of a trend export, apart from reading and writing: the header
 * block, wide rows, the spreadsheet-formula guard and the closing hash line.
 *
 *   <UTF-8 BOM># Vigil trend export,1              <- header block: records whose first field starts with '#'
 *   # station,Tank Farm North
 *   ...
 *   time,tag,value,unit,status,status_code,flags   <- column names (raw) or time,<tag>...,status (resampled;
 *                                                     time is the interval's start, with "<tag> sample time"
 *                                                     beside each tag for Start, End and the ActualTime aggregates)
 *   ...rows...
 *   # sha256,<hex of every byte above this line, the BOM too>,rows,<n>
 *
 * The hash line comes last, so a file cut short (a cancelled or broken
 * download) has none and cannot pass for complete.
 */
import { CRLF, csvField, EXPORT_COLUMNS, TimeText, type TimeOffset } from '../../../../historian/csv/write.js';
import { statusName } from '../../../../historian/csv/status-text.js';
import { isBad, isGood } from '../../../../historian/status.js';
import type { CompressionInfo, TagVersionInfo } from '../../../shared/api/history.js';

export const FORMAT_VERSION = 1;

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start) gets a leading apostrophe (OWASP "CSV injection"). Numbers are
 * written by us and never guarded: -1.5 stays a number.
 */
export function guardCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** A record of text fields, guarded and quoted. */
export function record(fields: readonly string[]): string {
  return fields.map((f) => csvField(guardCell(f))).join(',') + CRLF;
}

export interface PenInfo {
  tag: string;
  kind: string;
  versions: TagVersionInfo[];
}

export interface ExportHeader {
  station: string;
  user: string;
  exportedAt: number;
  start: number;
  end: number;
  /** null: UTC. */
  timeZone: string | null;
  shape: 'raw' | 'resampled';
  /** The aggregate chosen; none for a resampled export: automatic, per pen (penAggregate). */
  aggregate?: string;
  intervalMs?: number;
  pens: PenInfo[];
}

export function describeCompression(c: CompressionInfo, unit: string): string {
  if (c.kind === 'none') return 'none';
  const dev = c.percentOfSpan ? `${c.deviation} % of span` : `${c.deviation}${unit ? ` ${unit}` : ''}`;
  const parts = [`${c.kind} ${dev}`];
  if (c.minIntervalMs) parts.push(`min interval ${c.minIntervalMs} ms`);
  if (c.maxIntervalMs) parts.push(`max interval ${c.maxIntervalMs} ms`);
  if (c.exceptionDeviation) parts.push(`exception deviation ${c.exceptionDeviation}`);
  return parts.join('; ');
}

/**
 * Aggregates whose value carries the time of the archived value it is (Part 13 Tables 36-37,
 * 60-61: "Time of Raw Value"); every other one is stamped with its interval's start.
 */
const SAMPLE_TIMED: ReadonlySet<string> = new Set(['Start', 'End', 'MinimumActualTime', 'MaximumActualTime']);

/** A resampled export of this aggregate has a "<tag> sample time" column beside each tag's value. */
export function hasSampleTimes(aggregate: string | undefined): boolean {
  return aggregate !== undefined && SAMPLE_TIMED.has(aggregate);
}

/**
 * The aggregate a pen's column is computed with. Chosen (`requested`): that one for every pen, as
 * the engineer asked, a discrete pen's TimeAverage too (its sloped lines and all). Not chosen (the
 * dialog's Automatic): TimeAverage, which draws sloped lines between values whatever the tag's
 * Stepped (Part 13 §5.4.3.6): for a discrete or stepped pen, a state held until the next sample,
 * it would give made-up fractions (a pump off all interval read as 0.16), so such a pen gets
 * Interpolative, which honours Stepped (the state held at the interval's start; the historian
 * reads discrete tags as stepped, Annex A.1.4). TimeAverage2 (a duty cycle: it honours Stepped too)
 * is offered in the list; Automatic keeps Interpolative.
 */
export function penAggregate(requested: string | undefined, pen: PenInfo): string {
  if (requested !== undefined) return requested;
  const stepped = pen.kind !== 'analog' || pen.versions.some((v) => v.stepped);
  return stepped ? 'Interpolative' : 'TimeAverage';
}

/** The name of a tag's sample-time column. */
export const sampleTimeColumn = (tag: string): string => `${tag} sample time`;

function shapeRecord(h: ExportHeader): string[] {
  if (h.shape === 'raw') return ['# shape', 'raw', 'one row per archived value'];
  return [
    '# shape', 'resampled', `${h.aggregate ?? 'automatic'} every ${h.intervalMs} ms`,
    // planIntervals (intervals.ts) cuts them so.
    h.intervalMs! % 86_400_000 === 0 ? 'intervals from local midnight (a day across a DST change is 23 h or 25 h)' : 'intervals on round clock times',
    h.pens.some((p) => hasSampleTimes(penAggregate(h.aggregate, p)))
      ? 'time: the start of each interval; <tag> sample time: the time of the archived value returned'
      : 'time: the start of each interval',
    'empty cell: Bad or no data; status: cells not Good',
  ];
}

/**
 * The unit of an aggregate whose value is not in the tag's unit (Part 13: Total and Total2 are time
 * integrals in value·seconds §5.4.3.8-9, the durations in state are milliseconds §5.4.3.22-23,
 * NumberOfTransitions a count §5.4.3.24); undefined for the others.
 */
function aggregateUnit(aggregate: string, pen: PenInfo): string | undefined {
  const unit = pen.versions[pen.versions.length - 1]?.unit;
  if (aggregate === 'Total' || aggregate === 'Total2') return `unit: ${unit ? unit : 'value'}·s (time integral)`;
  if (aggregate === 'DurationInStateZero' || aggregate === 'DurationInStateNonZero') return 'unit: ms';
  if (aggregate === 'NumberOfTransitions') return 'unit: count';
  return undefined;
}

/** Which aggregate each column holds (with its unit where not the tag's), and why where the automatic choice did not take TimeAverage. */
function aggregateRecords(h: ExportHeader): string {
  return h.pens.map((p) => {
    const used = penAggregate(h.aggregate, p);
    const unit = aggregateUnit(used, p);
    if (unit !== undefined) return record(['# aggregate', p.tag, used, unit]);
    return record(h.aggregate !== undefined || used === 'TimeAverage'
      ? ['# aggregate', p.tag, used]
      : ['# aggregate', p.tag, used, `automatic: a ${p.kind === 'analog' ? 'stepped' : p.kind} tag holds its value, TimeAverage would slope it`]);
  }).join('');
}

export function headerBlock(h: ExportHeader, time: TimeText): string {
  const iso = (t: number) => time.format(Math.trunc(t));
  const lines = [
    record(['# Vigil trend export', String(FORMAT_VERSION)]),
    record(['# station', h.station]),
    record(['# exported by', h.user]),
    record(['# exported at', iso(h.exportedAt)]),
    record(['# range', iso(h.start), iso(h.end)]),
    record(['# times', h.timeZone === null ? 'UTC' : `${h.timeZone}, each with its UTC offset`]),
    record(shapeRecord(h)),
  ];
  for (const pen of h.pens) {
    pen.versions.forEach((v, i) => {
      let validity = `version ${v.version} from ${iso(Math.max(v.validFrom, -62_135_596_800_000))}${v.validTo === null ? '' : ` to ${iso(v.validTo)}`}`;
      // No version covers the range's start: this is the tag's first, and reads of earlier data use it.
      if (i === 0 && v.validFrom > h.start) validity += ', the earliest known configuration: applied to the data before it too';
      lines.push(
        record([
          '# pen', pen.tag, v.unit, pen.kind, v.description, describeCompression(v.compression, v.unit), v.stepped ? 'stepped' : 'linear',
          v.range ? `range ${v.range[0]} to ${v.range[1]}` : 'no range', validity,
        ]),
      );
    });
  }
  if (h.shape === 'resampled') lines.push(aggregateRecords(h));
  const columns = h.pens.flatMap((p) => (h.shape === 'resampled' && hasSampleTimes(penAggregate(h.aggregate, p)) ? [p.tag, sampleTimeColumn(p.tag)] : [p.tag]));
  lines.push(h.shape === 'raw' ? EXPORT_COLUMNS.join(',') + CRLF : record(['time', ...columns, 'status']));
  return lines.join('');
}

/**
 * First in every CSV the console exports: without a UTF-8 byte-order mark Excel (the supervisors'
 * tool) reads the file as ANSI and garbles Cyrillic and Chinese text (°C as Â°C). It is one of the
 * bytes above the hash line, so the digest covers it (`sed '$d' file | sha256sum` still matches).
 */
export const UTF8_BOM = '\uFEFF';

export function hashLine(sha256: string, rows: number): string {
  return `# sha256,${sha256},rows,${rows}${CRLF}`;
}

/**
 * One wide row: the interval's start, a value per tag (empty when Bad or missing) and, for the
 * tags whose aggregate keeps its sample's time (`timed`), that time beside it (empty with the
 * value); then the statuses that are not Good. A text tag's value comes in `texts` (its number
 * is NaN): a state such as RUNNING, quoted and guarded as every text cell.
 */
export class WideLines {
  constructor(
    private readonly time: TimeText,
    private readonly tags: readonly string[],
    private readonly timed: readonly boolean[] = tags.map(() => false),
  ) {}

  line(
    t: number, values: ArrayLike<number>, statuses: ArrayLike<number>, times: ArrayLike<number> | null = null,
    texts: ArrayLike<string | null> | null = null,
  ): string {
    let out = this.time.format(t);
    let notes = '';
    for (let i = 0; i < this.tags.length; i++) {
      const s = statuses[i]!, v = values[i]!, text = texts === null ? null : texts[i]!;
      const empty = isBad(s) || (text === null && v !== v);
      out += empty ? ',' : text !== null ? `,${csvField(guardCell(text))}` : `,${v}`;
      if (times && this.timed[i]) out += empty ? ',' : `,${this.time.format(times[i]!)}`;
      if (!isGood(s)) notes += `${notes ? '|' : ''}${this.tags[i]}=${statusName(s)}`;
    }
    return `${out},${notes === '' ? '' : csvField(guardCell(notes))}${CRLF}`;
  }
}

export { TimeText, type TimeOffset };

/** A file name without characters file systems refuse: vigil-trend-<station>-<start>.csv */
export function exportFileName(station: string, start: number, shape: string): string {
  const stamp = new Date(start).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const name = station.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 40) || 'station';
  return `vigil-trend-${name}-${stamp}Z-${shape}.csv`;
}
