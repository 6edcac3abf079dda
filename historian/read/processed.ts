/**
 * Processed reads (Part 13 aggregates over equal intervals): the raw values of
 * the range with a bounding value on each side go to H2's computeProcessed
 * (as columns for analog tags).
 */
import { computeProcessed, computeProcessedColumns } from '../aggregates/index.js';
import type { HistValue } from '../types.js';
import type { ReadSource, TagInfo } from './source.js';
import type { ProcessedQuery, TagValues } from './types.js';

export function readProcessed(src: ReadSource, q: ProcessedQuery): TagValues[] {
  src.refresh();
  const lo = Math.min(q.start, q.end), hi = Math.max(q.start, q.end);
  return src.resolve(q.tags).map((tag) => {
    if (tag.kind === 'analog') return { tag: tag.name, values: analog(src, tag, q, lo, hi) };
    const data: HistValue[] = src.collectEvents(tag, lo, hi);
    const before = src.before(tag, lo);
    if (before) data.unshift(before);
    const after = src.after(tag, hi);
    if (after) data.push(after);
    const last = after ?? data[data.length - 1]; // the last archived value: later time is not known yet
    const config = { stepped: true, ...q.config }; // discrete and text values hold
    return { tag: tag.name, values: computeProcessed(data, q.start, q.end, q.intervalMs, q.aggregate, config, last?.t) };
  });
}

/**
 * The same for an analog tag, through columns: the decoded blocks are copied a range at a time
 * into typed arrays and handed to computeProcessedColumns (the same series, so the same results,
 * without an object per value).
 */
function analog(src: ReadSource, tag: TagInfo, q: ProcessedQuery, lo: number, hi: number): HistValue[] {
  const before = src.before(tag, lo);
  const cols = src.collectColumns(tag, lo, hi, before ? 1 : 0);
  if (before) cols.put(0, before.t, before.value as number, before.status);
  const after = src.after(tag, hi);
  if (after) cols.put(cols.length++, after.t, after.value as number, after.status);
  // The last archived value: later time is not known yet.
  const endOfData = cols.length > 0 ? cols.t[cols.length - 1] : undefined;
  const config = { stepped: tag.versionAt(lo).config.stepped, ...q.config };
  return computeProcessedColumns(cols, q.start, q.end, q.intervalMs, q.aggregate, config, endOfData);
}
