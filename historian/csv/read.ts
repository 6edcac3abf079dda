/**
 * Streaming CSV reader for historian samples.
 *
 * Long format:  time,tag,value[,status]   (header names, any order; other columns
 *               such as unit, status_code, flags are allowed: an export reads back)
 * Wide format:  <time>,<tag1>,<tag2>,...  (the time column found by name or by content;
 *               an empty, NaN, null or NA cell is "no sample")
 * The delimiter (, ; tab |) is sniffed from the header line unless given.
 *
 * Every bad record or cell becomes a Rejection naming file, line, field and what
 * was expected; good records are yielded anyway, grouped per tag. Problems that
 * make the whole file unusable (no header, no time column, UTF-16 without a byte-order mark) throw
 * CsvFileError. A file in another encoding is read as UTF-8 once turned into it (transcode.ts).
 */
import type { Readable } from 'node:stream';
import type { TagKind } from '../types.js';
import type { EpochUnit } from './time.js';
import type { LocalToUtc } from './zone.js';
import { EncodingError, Utf8Check } from './utf8-check.js';
import { Transcode } from './transcode.js';
import { CsvTokenizer } from './tokenize.js';
import type { CsvFormat } from './layout.js';
import type { UnitSpan } from './unit-history.js';
import { CsvFileError, RecordReader, type CsvBatch } from './records.js';

export type { CsvFormat } from './layout.js';
export { CsvFileError, formatRejection, type CsvBatch, type CsvSummary, type Rejection, type TagRows } from './records.js';

export interface CsvReadOptions {
  /** Named in every rejection. */
  file: string;
  format?: CsvFormat;
  /** The archive's kind for a tag, undefined when unknown. */
  kindOf: (tag: string) => TagKind | undefined;
  /** The archive's unit for a tag ('' none; with `t`, the one in force then), undefined when unknown: a file's unit that disagrees is refused. */
  unitOf?: (tag: string, t?: number) => string | undefined;
  /**
   * The archive's units of a tag over time (each configuration version's), undefined when the tag is new to it
   * (unit-history.ts): a wide file's units row is checked against the unit in force at each row's time.
   */
  unitHistory?: (tag: string) => readonly UnitSpan[] | undefined;
  /** Kind given to tags unknown to kindOf; 'auto' infers it from the first value (number or true/false). */
  newTagKind?: TagKind | 'auto';
  /** Read times without offset as UTC (default true) when no zone is given; false rejects them. */
  assumeUtc?: boolean;
  /** Zone of times without an offset. */
  zone?: LocalToUtc;
  /**
   * With no zone: a time without an offset refuses the whole file, this said of it (the station's
   * inbox, whose files nobody reads with --tz: archived as UTC, local times were hours off).
   */
  zoneMissing?: string;
  /** Unit of epoch times; 'auto' (default): by magnitude, < 1e11 is seconds. */
  epoch?: EpochUnit | 'auto';
  /** Day first or month first in nn/nn/YYYY dates; undefined refuses them. */
  dateOrder?: 'dmy' | 'mdy';
  /** Field delimiter; sniffed from the header line when absent. */
  delimiter?: string;
  /**
   * The file's encoding, a decoder's name (transcode.ts encodingOf: windows-1251, gb18030, utf-16le, ...);
   * undefined: UTF-8, or UTF-16 when a byte-order mark says so.
   */
  encoding?: string;
  /** Wide: tags are named <prefix>.<column>. */
  tagPrefix?: string;
  /** The time column by header name or 1-based number, instead of finding it. */
  timeColumn?: string;
  /** Samples per yielded batch (about). */
  batchSize?: number;
  /**
   * The latest time a row may have (ms UTC; import.ts: when the import started + FUTURE_TOLERANCE_MS):
   * a later one is a rejected line. Undefined: no limit.
   */
  notAfter?: number;
  /**
   * Rows whose time this returns false for are skipped once their time is read: no samples, no
   * value rejections (a pass over one time window of a file, import.ts). Every row's time is read,
   * so the times come out the same in every pass.
   */
  timeFilter?: (t: number) => boolean;
  /** A pass over a window (timeFilter): rejections of records and times are left to the pass that reports them. */
  windowPass?: boolean;
  /** Stops reading (a signal): what was read is yielded, with summary.interruptedAfter. */
  signal?: AbortSignal;
}

/** Rejections yielded in a batch of their own once this many wait (a file of refused rows yields no samples). */
export const REJECTIONS_PER_BATCH = 10_000;

export async function* readCsv(input: Readable, opts: CsvReadOptions): AsyncGenerator<CsvBatch> {
  const transcode = new Transcode(opts.encoding);
  const check = new Utf8Check(() => transcode.readAs);
  input.on('error', (e) => check.destroy(e));
  transcode.on('error', (e) => check.destroy(e));
  input.pipe(transcode).pipe(check);
  check.setEncoding('utf8');
  const reader = new RecordReader(opts, check);
  const tokenizer = new CsvTokenizer(reader, opts.delimiter);
  reader.delimiterOf = () => tokenizer.delimiter ?? ',';
  const batchSize = opts.batchSize ?? 50_000;
  const signal = opts.signal;
  // A signal while the stream waits for data (a pipe, a slow disk) ends the wait at once.
  const stop = () => check.destroy(new Interrupted());
  signal?.addEventListener('abort', stop, { once: true });
  let interrupted = signal?.aborted ?? false;
  let done = false;
  try {
    if (!interrupted) {
      for await (const chunk of check as AsyncIterable<string>) {
        tokenizer.push(chunk);
        if (reader.pending >= batchSize) yield reader.take();
        else if (reader.rejected >= REJECTIONS_PER_BATCH) yield reader.takeRejections();
        if (signal?.aborted) {
          interrupted = true;
          break;
        }
      }
    }
    if (!interrupted) {
      tokenizer.end();
      reader.end();
    }
    done = !interrupted;
  } catch (e) {
    if (e instanceof Interrupted || signal?.aborted) interrupted = true;
    else if (e instanceof CsvFileError) throw e;
    else if (e instanceof EncodingError) throw new CsvFileError(opts.file, 1, e.message);
    else throw new CsvFileError(opts.file, 0, (e as Error).message);
  } finally {
    signal?.removeEventListener('abort', stop);
    if (!done) { // interrupted, failed, or left early by the consumer: the file is read no further
      input.unpipe(transcode);
      transcode.unpipe(check);
      input.destroy();
      transcode.destroy();
      check.destroy();
    }
  }
  if (interrupted) reader.interrupt(tokenizer.linesRead);
  yield reader.take();
}

class Interrupted extends Error {}
