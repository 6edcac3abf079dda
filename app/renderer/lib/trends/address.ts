/**
 * The trend as an address (#/trends?tags=…&range=…, shared/trend-link.ts): the pens and the view the
 * operator has now, so that a reload, a bookmark or a link sent to a colleague opens the same trend.
 * The address kept the link the page was opened with: after pens were added and a range chosen, a
 * reload brought back the old ones. A quick range stays "the last 24 h" (anchored at now when opened
 * again), a pan or zoom its times, a live window its width.
 */
import { trendHref, type TrendLinkView } from '../../../shared/trend-link.js';
import { quickRanges, type QuickRange } from '../../../shared/api/trends.js';
import type { View } from './view.js';

export function linkViewOf(view: View, quick: string | null): TrendLinkView {
  if (view.mode === 'live') return { live: view.windowMs };
  if (quick !== null && (quickRanges as readonly string[]).includes(quick)) return { last: quick as QuickRange };
  return { from: view.start, to: view.end };
}

/** The query of the trend's address (after `#/trends?`); '' when there is nothing to say. */
export function trendQuery(pens: readonly string[], view: View, quick: string | null): string {
  const href = trendHref({ tags: pens, view: linkViewOf(view, quick) });
  const q = href.indexOf('?');
  return q < 0 ? '' : href.slice(q + 1);
}
