/**
 * Links to the Trends page, for every page that opens a tag's trend (the
 * overview, the tags page, the alarm list):
 *
 *   #/trends?tags=Area1.TK101.Level,Area1.TK101.Temperature&range=1h
 *
 *   tags    pens, comma-separated (each name URI-encoded; at most 16)
 *   range   the last 15m | 1h | 8h | 24h | 7d | 30d | 1y up to now (history mode)
 *   live    a live window ending now: 1m .. 24h, e.g. live=10m
 *   from,to fixed times: ISO 8601 with offset, or ms since the epoch
 *   at      a moment to look at (an alarm's time): shown ¾ of the way along a
 *           window of `range` (default 1h)
 *   group   a saved trend group by name (its pens and range)
 *
 * With no range, live or from/to the page opens live over 10 minutes.
 */
import { quickRanges, type QuickRange } from './api/trends.js';

export type TrendLinkView =
  | { live: number }
  | { last: QuickRange }
  | { from: number; to: number }
  | { at: number; span?: QuickRange };

export interface TrendLink {
  tags?: readonly string[];
  group?: string;
  view?: TrendLinkView;
}

export const TREND_LINK_MAX_TAGS = 16;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function trendHref(link: TrendLink): string {
  const q: string[] = [];
  if (link.tags?.length) q.push(`tags=${link.tags.map(encodeURIComponent).join(',')}`);
  if (link.group) q.push(`group=${encodeURIComponent(link.group)}`);
  const v = link.view;
  if (v && 'live' in v) q.push(`live=${durationText(v.live)}`);
  else if (v && 'last' in v) q.push(`range=${v.last}`);
  else if (v && 'from' in v) q.push(`from=${new Date(v.from).toISOString()}`, `to=${new Date(v.to).toISOString()}`);
  else if (v && 'at' in v) q.push(`at=${new Date(v.at).toISOString()}`, ...(v.span ? [`range=${v.span}`] : []));
  return `#/trends${q.length ? `?${q.join('&')}` : ''}`;
}

export interface ParsedTrendLink {
  tags: string[];
  group: string | null;
  view: TrendLinkView | null;
  /** What could not be read, in English for the log; the page shows what it could. */
  problems: string[];
}

/** The part after '?' of #/trends?... */
export function parseTrendQuery(query: string): ParsedTrendLink {
  const params = new URLSearchParams(query);
  const out: ParsedTrendLink = { tags: [], group: params.get('group'), view: null, problems: [] };
  const tags = params.get('tags');
  if (tags) {
    // URLSearchParams already decoded %xx once; names were encoded before joining, so split the raw text.
    const raw = /(?:^|&)tags=([^&]*)/.exec(query)?.[1] ?? '';
    out.tags = raw.split(',').map((s) => decode(s.replace(/\+/g, ' '))).filter((s) => s !== '');
    if (out.tags.length > TREND_LINK_MAX_TAGS) {
      out.problems.push(`tags: at most ${TREND_LINK_MAX_TAGS}, got ${out.tags.length}; the first ${TREND_LINK_MAX_TAGS} are shown`);
      out.tags = out.tags.slice(0, TREND_LINK_MAX_TAGS);
    }
  }
  const range = params.get('range');
  const quick = range === null ? null : (quickRanges as readonly string[]).includes(range) ? (range as QuickRange) : null;
  if (range !== null && quick === null) out.problems.push(`range: expected one of ${quickRanges.join(', ')}; got "${range}"`);
  const live = params.get('live'), from = params.get('from'), to = params.get('to'), at = params.get('at');
  if (from !== null || to !== null) {
    const f = timeOf(from), t = timeOf(to);
    if (f === null || t === null || !(t > f)) out.problems.push(`from/to: expected two times (ISO 8601 or ms), from before to; got "${from}", "${to}"`);
    else out.view = { from: f, to: t };
  } else if (at !== null) {
    const a = timeOf(at);
    if (a === null) out.problems.push(`at: expected a time (ISO 8601 or ms); got "${at}"`);
    else out.view = quick ? { at: a, span: quick } : { at: a };
  } else if (live !== null) {
    const ms = durationOf(live);
    if (ms === null || ms < 60_000 || ms > 86_400_000) out.problems.push(`live: expected a window of 1m to 24h (e.g. 10m); got "${live}"`);
    else out.view = { live: ms };
  } else if (quick) out.view = { last: quick };
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function timeOf(text: string | null): number | null {
  if (text === null || text === '') return null;
  if (/^-?\d{10,}$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

function durationOf(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text);
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!]!) : null;
}

function durationText(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}
