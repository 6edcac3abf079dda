/**
 * Each tag's span of values in a CSV file: the EU range given to analog tags an import creates
 * when the engineer names none (`--range data`), so that a deviation in % of span means a share
 * of each tag's own span. One range for a whole file cannot: its tags run from 0.02 to 4,500.
 */
import { createReadStream } from 'node:fs';
import { isBad } from '../status.js';
import { readCsv, type CsvReadOptions } from './read.js';

export interface Span { low: number; high: number }

/**
 * The lowest and highest number each tag holds in the file, Bad values left out (a sensor's -9999
 * is no part of its span). A first reading pass: rejected lines and words are left to the
 * import's own pass, which reports them. A tag whose values never change gets low .. low + 1:
 * a range needs low < high, and a constant passes any deviation.
 */
export async function valueSpans(path: string, opts: CsvReadOptions): Promise<Map<string, Span>> {
  const spans = new Map<string, Span>();
  for await (const batch of readCsv(createReadStream(path), opts)) {
    for (const [tag, rows] of batch.tags) {
      let span = spans.get(tag);
      for (const s of rows.samples) {
        if (typeof s.value !== 'number' || !Number.isFinite(s.value) || isBad(s.status)) continue;
        if (!span) spans.set(tag, (span = { low: s.value, high: s.value }));
        else if (s.value < span.low) span.low = s.value;
        else if (s.value > span.high) span.high = s.value;
      }
    }
  }
  for (const span of spans.values()) if (span.high <= span.low) span.high = span.low + 1;
  return spans;
}
