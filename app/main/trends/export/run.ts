/**
 * One export from reads to bytes: the header block, the rows (raw pages or
 * resampled windows), a SHA-256 over all of it, and the hash line last.
 * Chunks go to `write` as they fill; a cancel is seen between chunks.
 */
import { createHash } from 'node:crypto';
import type { ProcessedQuery, RawPage, RawQuery, TagValues } from '../../../../historian/index.js';
import { ExportLines } from '../../../../historian/csv/write.js';
import { zoneOffset } from '../../../../historian/csv/zone.js';
import type { AggregateName } from '../../../../historian/aggregates/config.js';
import { guardCell, hashLine, headerBlock, TimeText, WideLines, type ExportHeader, type PenInfo } from './format.js';

export interface ExportReader {
  readRaw(q: RawQuery): RawPage;
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

export class ExportCancelled extends Error {
  constructor() {
    super('export cancelled');
  }
}

const CHUNK_CHARS = 1 << 18;
const RAW_PAGE = 50_000;
const WIDE_WINDOW = 20_000;

export async function runExport(reader: ExportReader, spec: ExportHeader, hooks: ExportHooks): Promise<ExportResult> {
  const offset = spec.timeZone === null ? 0 : zoneOffset(spec.timeZone);
  if (offset === undefined) throw new Error(`export: unknown time zone "${spec.timeZone}"`);
  const time = new TimeText(offset);
  const hash = createHash('sha256');
  let text = headerBlock(spec, time);
  let rows = 0, bytes = 0, fraction = 0;

  const flush = async (): Promise<void> => {
    if (hooks.cancelled()) throw new ExportCancelled();
    const buf = Buffer.from(text, 'utf8');
    text = '';
    hash.update(buf);
    bytes += buf.length;
    await hooks.write(buf);
    hooks.progress({ rows, bytes, fraction });
  };

  if (spec.shape === 'raw') {
    const lines = new ExportLines({ offsetMinutes: offset, guard: guardCell });
    const span = spec.end - spec.start;
    for (let i = 0; i < spec.pens.length; i++) {
      const pen = spec.pens[i]!;
      const unitAt = unitFinder(pen);
      let continuation: string | null = null;
      do {
        const page: RawPage = reader.readRaw({ tags: [pen.tag], start: spec.start, end: spec.end - 1, pageSize: RAW_PAGE, continuation });
        for (const r of page.rows) {
          text += lines.lineFor(pen.tag, unitAt(r.t), r);
          rows++;
          if (text.length >= CHUNK_CHARS) {
            fraction = (i + (r.t - spec.start) / span) / spec.pens.length;
            await flush();
          }
        }
        continuation = page.continuation;
      } while (continuation !== null);
      fraction = (i + 1) / spec.pens.length;
    }
  } else {
    const tags = spec.pens.map((p) => p.tag);
    const wide = new WideLines(time, tags);
    const interval = spec.intervalMs!;
    const values = new Float64Array(tags.length), statuses = new Uint32Array(tags.length);
    for (let s = spec.start; s < spec.end; s += WIDE_WINDOW * interval) {
      const e = Math.min(spec.end, s + WIDE_WINDOW * interval);
      const result = reader.readProcessed({ tags, start: s, end: e, intervalMs: interval, aggregate: spec.aggregate as AggregateName });
      const n = result[0]?.values.length ?? 0;
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < tags.length; i++) {
          const v = result[i]!.values[k]!;
          values[i] = typeof v.value === 'number' ? v.value : typeof v.value === 'boolean' ? +v.value : NaN;
          statuses[i] = v.status;
        }
        text += wide.line(result[0]!.values[k]!.t, values, statuses);
        rows++;
        if (text.length >= CHUNK_CHARS) await flush();
      }
      fraction = (e - spec.start) / (spec.end - spec.start);
    }
  }
  await flush();
  const sha256 = hash.digest('hex');
  // The hash line is not part of what it hashes.
  const last = Buffer.from(hashLine(sha256, rows), 'utf8');
  await hooks.write(last);
  bytes += last.length;
  hooks.progress({ rows, bytes, fraction: 1 });
  return { rows, bytes, sha256 };
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
