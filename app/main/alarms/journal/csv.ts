/**
 * CSV (RFC 4180, via csv-stringify) of the alarm journal and of a KPI report.
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
 * is prefixed with an apostrophe: comments and messages are typed by people.
 * Numbers stay numbers; times are ISO 8601 UTC. Each file starts with a UTF-8 BOM (UTF8_BOM).
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { JournalEntry, KpiReport } from '../../../shared/api.js';
import { hashLine, UTF8_BOM } from '../../trends/export/format.js';

export function guardCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const iso = (t: number) => new Date(t).toISOString();
const cell = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? '' : typeof v === 'string' ? guardCell(v) : String(v);

export const journalHeader = ['seq', 'time', 'alarm', 'tag', 'area', 'condition', 'event', 'state', 'value', 'value_suspect', 'priority', 'user', 'comment', 'message'];

const journalRow = (e: JournalEntry): string[] =>
  [e.seq, iso(e.t), e.alarmId, e.tag, e.area, e.condition, e.event, e.state, e.value, e.valueSuspect, e.priority, e.user, e.comment, e.message].map(cell);

/**
 * The journal's CSV export built a page at a time, closed as the trend export closes its files:
 * `# sha256,<hex of every byte above>,rows,<n>`. A file without that line, or whose count or
 * digest does not match, is not the whole export.
 */
export class JournalCsvFile {
  private readonly parts: string[] = [];
  private readonly hash = createHash('sha256');
  rows = 0;

  constructor() {
    // The BOM is hashed with the rest, as the trend export's is: the digest is of every byte above.
    this.append(UTF8_BOM + stringify([journalHeader], { record_delimiter: '\r\n' }));
  }

  add(entries: readonly JournalEntry[]): void {
    if (entries.length === 0) return;
    this.append(stringify(entries.map(journalRow), { record_delimiter: '\r\n' }));
    this.rows += entries.length;
  }

  /** The whole file, with its closing line. */
  close(): string {
    return this.parts.join('') + hashLine(this.hash.digest('hex'), this.rows);
  }

  private append(text: string): void {
    this.hash.update(text, 'utf8');
    this.parts.push(text);
  }
}

/** A figure to `decimals` places: the report's float noise (33.333333333333336) is not a finding. */
const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;
const rate = (x: number) => round(x, 3);
const percent = (x: number) => round(x, 2);

/** One table: section, item, tag, condition, value, detail. Rates to 3 decimals, percentages to 2. */
export function kpiCsv(r: KpiReport): string {
  const rows: (string | number | null)[][] = [['section', 'item', 'tag', 'condition', 'value', 'detail']];
  const add = (...row: (string | number | null)[]) => rows.push(row);
  add('period', 'from', null, null, iso(r.from), null);
  add('period', 'to', null, null, iso(r.to), null);
  add('rate', 'annunciations', null, null, r.annunciations, null);
  add('rate', 'per operator per 10 min (average)', null, null, rate(r.ratePer10Min.average), `${r.operators} operator(s)`);
  add('rate', 'per operator per 10 min (peak)', null, null, rate(r.ratePer10Min.peak), null);
  add('flood', '10-min periods in flood (%)', null, null, percent(r.flood.percentPeriods), `${r.flood.periodsInFlood} of ${r.flood.periods}`);
  add('flood', 'time in flood (%)', null, null, percent(r.flood.percentTime), `${Math.round(r.flood.timeMs / 1000)} s`);
  r.byPriority.forEach((n, i) => add('priority', `P${i + 1}`, null, null, n, null));
  add('split', 'high (P1) %', null, null, percent(r.split.high), `target ${r.split.target.high}`);
  add('split', 'medium (P2) %', null, null, percent(r.split.medium), `target ${r.split.target.medium}`);
  add('split', 'low (P3+P4) %', null, null, percent(r.split.low), `target ${r.split.target.low}`);
  for (const c of r.chattering) add('chattering', c.alarmId, c.tag, c.condition, c.maxIn60s, `${c.activations} activations`);
  for (const f of r.fleeting) add('fleeting', f.alarmId, f.tag, f.condition, f.count, null);
  for (const s of r.stale) add('stale', s.alarmId, s.tag, s.condition, Math.round(s.activeMs / 3_600_000), `active since ${iso(s.activeSince)} (hours)`);
  for (const t of r.top) add('top', t.alarmId, t.tag, t.condition, t.count, null);
  return UTF8_BOM + stringify(rows.map((row) => row.map(cell)), { record_delimiter: '\r\n' });
}
