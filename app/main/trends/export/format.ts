/**
 * The text of a trend export, apart from reading and writing: the header
 * block, wide rows, the spreadsheet-formula guard and the closing hash line.
 *
 *   # Vigil trend export,1                         <- header block: records whose first field starts with '#'
 *   # station,Tank Farm North
 *   ...
 *   time,tag,value,unit,status,status_code,flags   <- column names (raw) or time,<tag>...,status (resampled)
 *   ...rows...
 *   # sha256,<hex of every byte above this line>,rows,<n>
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

export function headerBlock(h: ExportHeader, time: TimeText): string {
  const iso = (t: number) => time.format(Math.trunc(t));
  const lines = [
    record(['# Vigil trend export', String(FORMAT_VERSION)]),
    record(['# station', h.station]),
    record(['# exported by', h.user]),
    record(['# exported at', iso(h.exportedAt)]),
    record(['# range', iso(h.start), iso(h.end)]),
    record(['# times', h.timeZone === null ? 'UTC' : `${h.timeZone}, each with its UTC offset`]),
    record(
      h.shape === 'raw'
        ? ['# shape', 'raw', 'one row per archived value']
        : ['# shape', 'resampled', `${h.aggregate} every ${h.intervalMs} ms`, 'empty cell: Bad or no data; status: cells not Good'],
    ),
  ];
  for (const pen of h.pens) {
    for (const v of pen.versions) {
      lines.push(
        record([
          '# pen', pen.tag, v.unit, pen.kind, v.description, describeCompression(v.compression, v.unit), v.stepped ? 'stepped' : 'linear',
          v.range ? `range ${v.range[0]} to ${v.range[1]}` : 'no range',
          `version ${v.version} from ${iso(Math.max(v.validFrom, -62_135_596_800_000))}${v.validTo === null ? '' : ` to ${iso(v.validTo)}`}`,
        ]),
      );
    }
  }
  lines.push(h.shape === 'raw' ? EXPORT_COLUMNS.join(',') + CRLF : record(['time', ...h.pens.map((p) => p.tag), 'status']));
  return lines.join('');
}

export function hashLine(sha256: string, rows: number): string {
  return `# sha256,${sha256},rows,${rows}${CRLF}`;
}

/** One wide row: time, a value per tag (empty when Bad or missing), then the statuses that are not Good. */
export class WideLines {
  constructor(
    private readonly time: TimeText,
    private readonly tags: readonly string[],
  ) {}

  line(t: number, values: ArrayLike<number>, statuses: ArrayLike<number>): string {
    let out = this.time.format(t);
    let notes = '';
    for (let i = 0; i < this.tags.length; i++) {
      const s = statuses[i]!, v = values[i]!;
      out += isBad(s) || v !== v ? ',' : `,${v}`;
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
