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
 * make the whole file unusable (no header, no time column, UTF-16) throw CsvFileError.
 */
import type { Readable } from 'node:stream';
import type { TagKind } from '../types.js';
import type { EpochUnit } from './time.js';
import type { LocalToUtc } from './zone.js';
import { EncodingError, Utf8Check } from './utf8-check.js';
import { CsvTokenizer } from './tokenize.js';
import type { CsvFormat } from './layout.js';
import { CsvFileError, RecordReader, type CsvBatch } from './records.js';

export type { CsvFormat } from './layout.js';
export { CsvFileError, formatRejection, type CsvBatch, type CsvSummary, type Rejection, type TagRows } from './records.js';

export interface CsvReadOptions {
  /** Named in every rejection. */
  file: string;
  format?: CsvFormat;
  /** The archive's kind for a tag, undefined when unknown. */
  kindOf: (tag: string) => TagKind | undefined;
  /** Kind given to tags unknown to kindOf; 'auto' infers it from the first value (number or true/false). */
  newTagKind?: TagKind | 'auto';
  /** Read times without offset as UTC (default true) when no zone is given; false rejects them. */
  assumeUtc?: boolean;
  /** Zone of times without an offset. */
  zone?: LocalToUtc;
  /** Unit of epoch times; 'auto' (default): by magnitude, < 1e11 is seconds. */
  epoch?: EpochUnit | 'auto';
  /** Day first or month first in nn/nn/YYYY dates; undefined refuses them. */
  dateOrder?: 'dmy' | 'mdy';
  /** Field delimiter; sniffed from the header line when absent. */
  delimiter?: string;
  /** Wide: tags are named <prefix>.<column>. */
  tagPrefix?: string;
  /** The time column by header name or 1-based number, instead of finding it. */
  timeColumn?: string;
  /** Samples per yielded batch (about). */
  batchSize?: number;
}

export async function* readCsv(input: Readable, opts: CsvReadOptions): AsyncGenerator<CsvBatch> {
  const check = new Utf8Check();
  input.on('error', (e) => check.destroy(e));
  input.pipe(check);
  check.setEncoding('utf8');
  const reader = new RecordReader(opts, check);
  const tokenizer = new CsvTokenizer(reader, opts.delimiter);
  reader.delimiterOf = () => tokenizer.delimiter ?? ',';
  const batchSize = opts.batchSize ?? 50_000;
  try {
    for await (const chunk of check as AsyncIterable<string>) {
      tokenizer.push(chunk);
      if (reader.pending >= batchSize) yield reader.take();
    }
    tokenizer.end();
    reader.end();
  } catch (e) {
    if (e instanceof CsvFileError) throw e;
    if (e instanceof EncodingError) throw new CsvFileError(opts.file, 1, e.message);
    throw new CsvFileError(opts.file, 0, (e as Error).message);
  }
  yield reader.take();
}

