/**
 * Processed reads (Part 13 aggregates over equal intervals): the raw values of
 * the range with a bounding value on each side go to H2's computeProcessed
 * (as columns for analog tags). After the last archived value, the writer's
 * newest sample not archived (a compressed tag's held value) is the last value
 * known, as PI's snapshot: a steady tag's intervals are not left without data.
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
    else withUnarchived(data, src.unarchived(tag), lo);
    const last = data[data.length - 1]; // the last value known: later time is not known yet
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
  if (before) cols.put(0, before.t, before.value as number, before.status, before.flags);
  const after = src.after(tag, hi);
  if (after) cols.put(cols.length++, after.t, after.value as number, after.status, after.flags);
  else {
    const u = src.unarchived(tag);
    if (u) {
      // Newer than every archived value: in the range, its bound after it, or the bound before it.
      if (u.t < lo && cols.length > 0) cols.length--;
      cols.put(cols.length++, u.t, u.value as number, u.status, u.flags);
    }
  }
  // The last value known: later time is not known yet.
  const endOfData = cols.length > 0 ? cols.t[cols.length - 1] : undefined;
  const config = { stepped: tag.versionAt(lo).config.stepped, ...q.config };
  return computeProcessedColumns(cols, q.start, q.end, q.intervalMs, q.aggregate, config, endOfData);
}

/**
 * Adds the writer's newest unarchived sample (ReadSource.unarchived) to a range's values and
 * bounds, with no archived value after the range: in the range or after it, it is the newest
 * value; before the range it replaces the older bound.
 */
function withUnarchived(data: HistValue[], u: HistValue | undefined, lo: number): void {
  if (!u) return;
  if (u.t < lo) data.length = 0;
  data.push(u);
}
