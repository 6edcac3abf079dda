/**
 * Processed reads (Part 13 aggregates over equal intervals): the raw values of
 * the range with a bounding value on each side go to H2's computeProcessed.
 */
import { computeProcessed } from '../aggregates/index.js';
import type { HistValue } from '../types.js';
import type { ReadSource } from './source.js';
import type { ProcessedQuery, TagValues } from './types.js';

export function readProcessed(src: ReadSource, q: ProcessedQuery): TagValues[] {
  src.refresh();
  const lo = Math.min(q.start, q.end), hi = Math.max(q.start, q.end);
  return src.resolve(q.tags).map((tag) => {
    const data: HistValue[] = src.collect(tag, lo, hi);
    const before = src.before(tag, lo);
    if (before) data.unshift(before);
    const after = src.after(tag, hi);
    if (after) data.push(after);
    const last = after ?? data[data.length - 1]; // the last archived value: later time is not known yet
    const config = { stepped: tag.kind !== 'analog' || tag.versionAt(lo).config.stepped, ...q.config };
    return { tag: tag.name, values: computeProcessed(data, q.start, q.end, q.intervalMs, q.aggregate, config, last?.t) };
  });
}
