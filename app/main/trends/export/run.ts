/**
 * One export from reads to bytes: the header block and the rows (raw pages or
 * resampled windows) in chunks (exportBody), then a SHA-256 over all of it and
 * the hash line last (ExportHash). The station runs the body in a worker and
 * hashes in its main thread as the chunks pass, so the two share the work;
 * runExport does both in one thread. A cancel is seen between chunks.
 */
import { createHash } from 'node:crypto';
import type { ProcessedQuery, RawColumnsPage, RawColumnsQuery, TagValues } from '../../../../historian/index.js';
import { RawRowWriter } from '../../../../historian/csv/raw-rows.js';
import { zoneOffset } from '../../../../historian/csv/zone.js';
import type { AggregateName } from '../../../../historian/aggregates/config.js';
import { nextMidnight, planIntervals, type IntervalPlan } from './intervals.js';
import { guardCell, hashLine, hasSampleTimes, headerBlock, penAggregate, TimeText, UTF8_BOM, WideLines, type ExportHeader, type PenInfo, type TimeOffset } from './format.js';

export interface ExportReader {
  readRawColumns(q: RawColumnsQuery): RawColumnsPage;
  readProcessed(q: ProcessedQuery): TagValues[];
}

export interface ExportHooks {
  write(bytes: Uint8Array): Promise<void> | void;
  cancelled(): boolean;
  progress(p: { rows: number; bytes: number; fraction: number }): void;
}

export interface ExportResult {
  rows: number;
  bytes: number;
  sha256: string;
}

/** A running SHA-256 of what passes, and the line that closes the file with it. */
export class ExportHash {
  private readonly hash = createHash('sha256');
  private hex: string | null = null;

  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }

  /** The closing line (not part of what it hashes); after it, `sha256` holds the digest. */
  closing(rows: number): Uint8Array {
    this.hex = this.hash.digest('hex');
    return Buffer.from(hashLine(this.hex, rows), 'utf8');
  }

  get sha256(): string {
    if (this.hex === null) throw new Error('export hash: not closed yet');
    return this.hex;
  }
}

/** The whole export in this thread: body, hash, closing line. */
export async function runExport(reader: ExportReader, spec: ExportHeader, hooks: ExportHooks): Promise<ExportResult> {
  const hash = new ExportHash();
  const body = await exportBody(reader, spec, {
    ...hooks,
    write: (b) => {
      hash.update(b);
      return hooks.write(b);
    },
  });
  const last = hash.closing(body.rows);
  await hooks.write(last);
  hooks.progress({ rows: body.rows, bytes: body.bytes + last.length, fraction: 1 });
  return { rows: body.rows, bytes: body.bytes + last.length, sha256: hash.sha256 };
}

export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
  }
}

const CHUNK_CHARS = 1 << 18;
const CHUNK_BYTES = 1 << 20;
const RAW_PAGE = 50_000;
const WIDE_WINDOW = 20_000;

/** The header block and the rows, in chunks to hooks.write; resolves with the rows and bytes written. */
export async function exportBody(reader: ExportReader, spec: ExportHeader, hooks: ExportHooks): Promise<{ rows: number; bytes: number }> {
  const offset = spec.timeZone === null ? 0 : zoneOffset(spec.timeZone);
  if (offset === undefined) throw new Error(`export: unknown time zone "${spec.timeZone}"`);
  const time = new TimeText(offset);
  // Resampled rows are whole intervals on round clock times: the range they cover is the header's.
  const plan = spec.shape === 'resampled' ? planIntervals(spec.start, spec.end, spec.intervalMs!, offset) : null;
  let text = UTF8_BOM + headerBlock(plan ? { ...spec, start: plan.start, end: plan.end } : spec, time);
  let rows = 0, bytes = 0, fraction = 0;

  const flushBytes = async (buf: Uint8Array): Promise<void> => {
    if (hooks.cancelled()) throw new ExportCancelled();
    bytes += buf.length;
    await hooks.write(buf);
    hooks.progress({ rows, bytes, fraction });
  };
  const flush = async (): Promise<void> => {
    const buf = Buffer.from(text, 'utf8');
    text = '';
    await flushBytes(buf);
  };

  if (spec.shape === 'raw') {
    // Rows are written as bytes from the columns; the header goes first as text.
    await flush();
    const out = new RawRowWriter(offset, guardCell, CHUNK_BYTES);
    const span = spec.end - spec.start;
    for (let i = 0; i < spec.pens.length; i++) {
      const pen = spec.pens[i]!;
      const unitAt = unitFinder(pen);
      let continuation: string | null = null;
      do {
        const page: RawColumnsPage = reader.readRawColumns({ tags: [pen.tag], start: spec.start, end: spec.end - 1, pageSize: RAW_PAGE, continuation });
        for (const s of page.series) {
          for (let k = 0; k < s.length;) {
            const next = out.rows(s, k, s.length, unitAt);
            rows += next - k;
            k = next;
            if (out.full) {
              fraction = (i + (s.t[k - 1]! - spec.start) / span) / spec.pens.length;
              await flushBytes(out.take());
            }
          }
        }
        continuation = page.continuation;
      } while (continuation !== null);
      fraction = (i + 1) / spec.pens.length;
    }
    await flushBytes(out.take());
    return { rows, bytes };
  }
  const tags = spec.pens.map((p) => p.tag);
  const aggregates = spec.pens.map((p) => penAggregate(spec.aggregate, p) as AggregateName);
  // Start, End, ...ActualTime stamp each value with its sample's time, one per pen: a column each.
  const timed = aggregates.map(hasSampleTimes);
  const wide = new WideLines(time, tags, timed);
  const values = new Float64Array(tags.length), statuses = new Uint32Array(tags.length);
  const times = timed.some(Boolean) ? new Float64Array(tags.length) : null;
  // A text tag's aggregates (Interpolative, Start, End, ...) return its text: written as such, not as NaN.
  const texts = new Array<string | null>(tags.length).fill(null);
  for (const { start: s, end: e, intervalMs: interval } of readWindows(plan!, spec.intervalMs!, offset)) {
    const result = readByAggregate(reader, tags, aggregates, { start: s, end: e, intervalMs: interval });
    const n = result[0]?.values.length ?? 0;
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < tags.length; i++) {
        const v = result[i]!.values[k]!;
        values[i] = typeof v.value === 'number' ? v.value : typeof v.value === 'boolean' ? +v.value : NaN;
        texts[i] = typeof v.value === 'string' ? v.value : null;
        statuses[i] = v.status;
        if (times) times[i] = v.t;
      }
      // The row is the interval (Part 13 Table 12: the k-th starts k intervals after the read's start).
      text += wide.line(s + k * interval, values, statuses, times, texts);
      rows++;
      if (text.length >= CHUNK_CHARS) await flush();
    }
    fraction = (e - plan!.start) / (plan!.end - plan!.start);
  }
  fraction = 1;
  await flush();
  return { rows, bytes };
}

/** The processed reads of a plan: many fixed intervals at a time, or one local day (23, 24 or 25 h) at a time. */
function* readWindows(plan: IntervalPlan, intervalMs: number, offset: TimeOffset): Generator<{ start: number; end: number; intervalMs: number }> {
  for (let s = plan.start; s < plan.end;) {
    const e = plan.days === null ? Math.min(plan.end, s + WIDE_WINDOW * intervalMs) : nextMidnight(s, plan.days, offset);
    yield { start: s, end: e, intervalMs: plan.days === null ? intervalMs : e - s };
    s = e;
  }
}

/** One processed read per aggregate in use, the results back in the pens' order. */
function readByAggregate(
  reader: ExportReader, tags: readonly string[], aggregates: readonly AggregateName[], range: { start: number; end: number; intervalMs: number },
): TagValues[] {
  const out: TagValues[] = new Array(tags.length);
  for (const aggregate of new Set(aggregates)) {
    const which = tags.map((_, i) => i).filter((i) => aggregates[i] === aggregate);
    const result = reader.readProcessed({ tags: which.map((i) => tags[i]!), ...range, aggregate });
    which.forEach((i, j) => (out[i] = result[j]!));
  }
  return out;
}

/** The unit of the version valid at t; times come in order, so a pointer walks the versions. */
function unitFinder(pen: PenInfo): (t: number) => string {
  const versions = pen.versions;
  let i = 0;
  return (t) => {
    while (i + 1 < versions.length && versions[i + 1]!.validFrom <= t) i++;
    while (i > 0 && versions[i]!.validFrom > t) i--;
    return versions[i]!.unit;
  };
}
