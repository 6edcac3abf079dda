/**
 * "Go to display" from an alarm opens its tag's trend around the alarm's activation, as
 * Ignition's and PI's alarm-to-trend links do: the operator asks "what led to this?". Without a
 * view the trend page kept whatever range it last had, which may not hold the alarm at all.
 * A recent alarm opens live (the operator also sees where it goes now), in the narrowest live
 * window that shows the activation with at least a quarter of the window before it; an older
 * one opens on the history around its activation (shared/trend-link.ts `at`: ¾ along an hour).
 */
import type { AlarmRow } from '../../../shared/api/alarms.js';
import { trendHref, type TrendLinkView } from '../../../shared/trend-link.js';

const MIN = 60_000;
/** The trend page's live windows (trends/view.ts LIVE_WINDOWS) narrow enough to see an activation's detail. */
const LIVE_CHOICES = [10 * MIN, 60 * MIN] as const;
/** The default window when there is no activation to show (the trend page's own default). */
const DEFAULT_LIVE = 10 * MIN;

/** The trend view around an activation at `activatedAt`, seen at `now` (both on the station's clock). */
export function alarmTrendView(activatedAt: number | null, now: number): TrendLinkView {
  if (activatedAt === null) return { live: DEFAULT_LIVE };
  const age = now - activatedAt;
  // A server's clock a little ahead of the station's: the activation is now.
  if (age < 0) return { live: DEFAULT_LIVE };
  const live = LIVE_CHOICES.find((w) => age <= (w * 3) / 4);
  return live !== undefined ? { live } : { at: activatedAt, span: '1h' };
}

/** The query (after '?') of the trend link for an alarm's tag, for router.go. */
export function alarmTrendQuery(row: Pick<AlarmRow, 'tag' | 'activatedAt'> & { tag: string }, now: number): string {
  return trendHref({ tags: [row.tag], view: alarmTrendView(row.activatedAt, now) }).replace(/^#\/trends\?/, '');
}
