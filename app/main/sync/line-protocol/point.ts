/**
 * One line-protocol point put together from named parts, for the record
 * streams (alarm journal, audit trail): tags sorted by key (what InfluxDB
 * prefers), absent tags left out, string fields only where the flavour takes
 * them, and the first part that cannot be written named as the reason.
 */
import { text, type SyncText } from '../../../shared/sync-text.js';
import { type Dialect, Unwritable, escapeMeasurement, escapeTag, quoteString } from './escape.js';

/** Line breaks cannot ride in a string field: they become one space (the record at the station keeps them). */
export const oneLine = (s: string): string => s.replace(/\r\n|[\r\n]/g, ' ');

export class PointBuilder {
  private readonly tags: [string, string][] = [];
  private readonly fields: string[] = [];
  /** The first part that cannot be written, as a catalog message. */
  problem: SyncText | null = null;

  constructor(private readonly dialect: Dialect, private readonly stringFields: boolean) {}

  /** A tag; null or empty values are left out (InfluxDB refuses an empty tag value). */
  tag(key: string, value: string | number | null): this {
    if (value === null || value === '') return this;
    const v = escapeTag(String(value), this.dialect, text('sync.cause.part.tag', { key }));
    if (v instanceof Unwritable) this.problem ??= v.said;
    else this.tags.push([key, v]);
    return this;
  }

  /** A tag where it can be one; false (and nothing written) when it cannot: the caller carries it in a field. */
  softTag(key: string, value: string | null): boolean {
    if (value === null || value === '') return true;
    const v = escapeTag(value, this.dialect, text('sync.cause.part.tag', { key }));
    if (v instanceof Unwritable) return false;
    this.tags.push([key, v]);
    return true;
  }

  int(key: string, v: number): this {
    this.fields.push(`${key}=${Math.trunc(v)}i`);
    return this;
  }

  float(key: string, v: number): this {
    if (!Number.isFinite(v)) this.problem ??= text('sync.cause.refused.notFinite', { part: text('sync.cause.part.name', { key }), value: String(v) });
    else this.fields.push(`${key}=${Object.is(v, -0) ? '0' : String(v)}`);
    return this;
  }

  bool(key: string, v: boolean): this {
    this.fields.push(`${key}=${v}`);
    return this;
  }

  /** A string field where the flavour takes them (null: left out), line breaks as spaces. */
  text(key: string, v: string | null): this {
    if (v === null || !this.stringFields) return this;
    const q = quoteString(oneLine(v), key);
    if (q instanceof Unwritable) this.problem ??= q.said;
    else this.fields.push(`${key}=${q}`);
    return this;
  }

  /** The line, or Unwritable naming the first part that could not be written. */
  line(measurement: string, t: number): string | Unwritable {
    const m = escapeMeasurement(measurement, this.dialect);
    if (m instanceof Unwritable) return m;
    if (this.problem !== null) return new Unwritable(this.problem);
    const tags = this.tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `,${k}=${v}`).join('');
    return `${m}${tags} ${this.fields.join(',')} ${Math.trunc(t)}`;
  }
}
