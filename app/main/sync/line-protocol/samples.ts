/**
 * Archived samples as line protocol: one line per sample, measurement per
 * station, tags site/area/tag/unit, ms timestamps. The field carrying the
 * value is named by the tag's kind, so a measurement never holds one field
 * with two types (InfluxDB refuses a type conflict per measurement, not per
 * series):
 *
 *   analog    value=<float>          discrete  state=<int>i (true 1, false 0)
 *   text      text="<string>"        always    status=<uint32>i,status_name="<name>"
 *
 * VictoriaMetrics stores a string field as 0, so for it status_name is left
 * out and a text value travels as the tag `text` (with status as the field).
 * A bad sample archived without a value (NaN placeholder) is written with its
 * status only; NaN or infinity with a good or uncertain status is refused. A
 * bad discrete or text sample carries a placeholder (false, "") and is written
 * with its status only too (no state field, no text field or tag). A text
 * longer than VictoriaMetrics keeps as a label value (MAX_LABEL_VALUE_BYTES)
 * is refused for it.
 */
import { statusName } from '../../../../historian/csv/status-text.js';
import { isBad } from '../../../../historian/status.js';
import type { Lines } from './batch.js';
import { text, type SyncText } from '../../../shared/sync-text.js';
import {
  type Dialect, MAX_LINE_BYTES, MAX_TIME_MS, MIN_TIME_MS, Unwritable, escapeMeasurement, escapeTag, formatFloat, quoteString,
} from './escape.js';

export type TagKind = 'analog' | 'discrete' | 'text';

/**
 * VictoriaMetrics' -maxLabelValueLen default (bytes): a longer label value is stored cut to it with
 * a 204 (measured on its single node; vm_too_long_label_values_total counts it). A text value
 * travels there as the label `text`, so a longer one is quarantined rather than falsified.
 */
export const MAX_LABEL_VALUE_BYTES = 16_384;
export type SampleValue = number | boolean | string;

export interface SampleEncoding {
  measurement: string;
  site: string;
  dialect: Dialect;
  /** Write status_name as a string field (not for VictoriaMetrics). */
  statusName: boolean;
  /** Where a text value goes: a string field, or a tag (VictoriaMetrics). */
  textAs: 'field' | 'tag';
  /**
   * Times the upstream keeps: outside, it drops lines silently (VictoriaMetrics:
   * beyond retention, more than 2 days ahead), so they are refused here with the reason (a catalog
   * message, or words of the caller's own).
   */
  acceptTime?: (t: number) => SyncText | string | null;
}

/** What the line's tags say about a tag at a time: its area (null when unknown) and unit. */
export interface SeriesInfo {
  area: string | null;
  unit: string;
}

export interface SampleChunk {
  tag: string;
  kind: TagKind;
  t: ArrayLike<number>;
  values: ArrayLike<SampleValue>;
  status: ArrayLike<number>;
}

/** A series' tags, and the bytes an analog line starts with: "<measurement and tags> value=". */
type Prefix = { text: string; valueHead: Buffer } | Unwritable;

export class SampleEncoder {
  private readonly measurement: string | Unwritable;
  private readonly site: string | Unwritable;
  private readonly prefixes = new Map<string, Prefix>();
  private readonly statusFields = new Map<number, string>();
  private readonly statusBytes = new Map<number, Buffer>();

  constructor(private readonly enc: SampleEncoding) {
    this.measurement = escapeMeasurement(enc.measurement, enc.dialect);
    this.site = escapeTag(enc.site, enc.dialect, 'site');
  }

  /** Appends one line per sample of the chunk to out (or its refusal). */
  encode(chunk: SampleChunk, seriesAt: (tag: string, t: number) => SeriesInfo, out: Lines): void {
    const { tag, kind, t, values, status } = chunk;
    let info: SeriesInfo | null = null;
    let prefix: Prefix = new Unwritable(text('sync.cause.part.name', { key: 'no prefix' }));
    for (let i = 0; i < t.length; i++) {
      const ti = t[i]!, v = values[i]!, s = status[i]!;
      const at = seriesAt(tag, ti);
      if (at !== info) { info = at; prefix = this.prefix(tag, at); }
      // The common case first: a finite analog value at a time every upstream keeps.
      if (kind === 'analog' && typeof v === 'number' && v - v === 0 && !(prefix instanceof Unwritable) &&
          Number.isInteger(ti) && ti >= MIN_TIME_MS && ti <= MAX_TIME_MS && (this.enc.acceptTime === undefined || this.enc.acceptTime(ti) === null)) {
        out.pushNumber(prefix.valueHead, v === 0 ? 0 : v, this.statusMiddle(s), ti, tag);
        continue;
      }
      const fields = prefix instanceof Unwritable ? prefix : this.fields(kind, v, s);
      let problem = fields instanceof Unwritable ? fields : this.timeProblem(ti);
      if (problem === null && !(prefix instanceof Unwritable) && typeof fields === 'string') {
        const line = this.enc.textAs === 'tag' && kind === 'text' && !isBad(s)
          ? this.textTagLine(prefix.text, v as string, fields, ti)
          : `${prefix.text} ${fields} ${ti}`;
        if (typeof line === 'string') {
          if (line.length * 3 <= MAX_LINE_BYTES || Buffer.byteLength(line) <= MAX_LINE_BYTES) { out.push(line, ti, tag); continue; }
          problem = new Unwritable(text('sync.cause.refused.lineTooLong', { bytes: Buffer.byteLength(line), max: MAX_LINE_BYTES }));
        } else problem = line;
      }
      out.refuse({
        line: `${this.enc.measurement},tag=${JSON.stringify(tag)} ${kindField(kind)}=${JSON.stringify(v) ?? String(v)},status=${s}i ${ti}`,
        reason: problem!.reason,
        said: problem!.said,
        t: ti,
        key: tag,
        record: JSON.stringify({ tag, t: ti, value: typeof v === 'number' && !Number.isFinite(v) ? String(v) : v, status: s }),
      });
    }
  }

  private timeProblem(t: number): Unwritable | null {
    if (!Number.isInteger(t) || t < MIN_TIME_MS || t > MAX_TIME_MS) return new Unwritable(text('sync.cause.refused.timeOutOfRange', { t: String(t) }));
    const why = this.enc.acceptTime?.(t) ?? null;
    // Words of the caller's own stay as they are (kept as a message that is just them).
    return why === null ? null : new Unwritable(typeof why === 'string' ? text('sync.cause.part.name', { key: why }) : why);
  }

  /** "measurement,site=..,area=..,tag=..,unit=.." for a tag and what the config says about it, cached. */
  private prefix(tag: string, info: SeriesInfo): Prefix {
    const key = `${tag}\u0000${info.area ?? ''}\u0000${info.unit}`;
    let p = this.prefixes.get(key);
    if (p === undefined) {
      p = this.buildPrefix(tag, info);
      this.prefixes.set(key, p);
    }
    return p;
  }

  private buildPrefix(tag: string, info: SeriesInfo): Prefix {
    const { dialect } = this.enc;
    if (this.measurement instanceof Unwritable) return this.measurement;
    if (this.site instanceof Unwritable) return this.site;
    const name = escapeTag(tag, dialect, 'tag name');
    if (name instanceof Unwritable) return name;
    // Tags in key order (what InfluxDB sorts them to anyway); an empty area or unit is left out.
    let text = `${this.measurement}`;
    if (info.area) {
      const area = escapeTag(info.area, dialect, 'area');
      if (area instanceof Unwritable) return area;
      text += `,area=${area}`;
    }
    text += `,site=${this.site},tag=${name}`;
    if (info.unit) {
      const unit = escapeTag(info.unit, dialect, 'unit');
      if (unit instanceof Unwritable) return unit;
      text += `,unit=${unit}`;
    }
    return { text, valueHead: Buffer.from(`${text} value=`, 'utf8') };
  }

  /** The fields of one sample, or why they cannot be written. */
  private fields(kind: TagKind, v: SampleValue, status: number): string | Unwritable {
    const st = this.statusField(status);
    if (kind === 'analog') {
      if (typeof v !== 'number') return new Unwritable(text('sync.cause.refused.notNumber', { value: JSON.stringify(v) }));
      if (!Number.isFinite(v)) {
        // The archive keeps NaN as the placeholder of a bad sample that carried no value.
        if (Number.isNaN(v) && isBad(status)) return st;
        return new Unwritable(text('sync.cause.refused.notFiniteStatus', { value: String(v), status: statusName(status) }));
      }
      return `value=${formatFloat(v) as string},${st}`;
    }
    if (kind === 'discrete') {
      // A bad sample carries a placeholder (false), not a state: its status only, as for analog.
      if (isBad(status)) return st;
      if (typeof v === 'boolean') return `state=${v ? 1 : 0}i,${st}`;
      if (typeof v === 'number' && Number.isSafeInteger(v)) return `state=${v}i,${st}`;
      return new Unwritable(text('sync.cause.refused.notState', { value: JSON.stringify(v) ?? String(v) }));
    }
    // A bad sample carries a placeholder (""), not a text: its status only (on VictoriaMetrics, no `text` tag).
    if (isBad(status)) return st;
    if (typeof v !== 'string') return new Unwritable(text('sync.cause.refused.notString', { value: JSON.stringify(v) ?? String(v) }));
    if (this.enc.textAs === 'tag') return st;
    const q = quoteString(v, 'text value');
    return q instanceof Unwritable ? q : `text=${q},${st}`;
  }

  /** VictoriaMetrics: the text as the tag `text` (left out when empty). */
  private textTagLine(prefix: string, value: string, fields: string, t: number): string | Unwritable {
    let tags = prefix;
    if (value !== '') {
      const bytes = Buffer.byteLength(value);
      if (bytes > MAX_LABEL_VALUE_BYTES) {
        return new Unwritable(text('sync.cause.refused.labelTooLong', { bytes, max: MAX_LABEL_VALUE_BYTES }));
      }
      const e = escapeTag(value, this.enc.dialect, 'text value');
      if (e instanceof Unwritable) return e;
      tags += `,text=${e}`;
    }
    return `${tags} ${fields} ${t}`;
  }

  /** ",<status fields> ": what follows an analog value, as bytes. */
  private statusMiddle(status: number): Buffer {
    let m = this.statusBytes.get(status);
    if (m === undefined) this.statusBytes.set(status, (m = Buffer.from(`,${this.statusField(status)} `, 'utf8')));
    return m;
  }

  private statusField(status: number): string {
    let f = this.statusFields.get(status);
    if (f === undefined) {
      f = this.enc.statusName ? `status=${status >>> 0}i,status_name=${quoteString(statusName(status)) as string}` : `status=${status >>> 0}i`;
      this.statusFields.set(status, f);
    }
    return f;
  }
}

function kindField(kind: TagKind): string {
  return kind === 'analog' ? 'value' : kind === 'discrete' ? 'state' : 'text';
}
