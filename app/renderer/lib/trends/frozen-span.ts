/**
 * A frozen pen on the live trend: a transmitter whose Good value has stood exactly still for its
 * frozen-value alarm's window draws a flat line that reads "steady" when the level is unknown.
 * While the alarm is active, its span from the value's last change to now is marked as the chart
 * marks values that are not good: in the pen's gap lane ("TK101.Level: frozen", cross-hatched,
 * gaps.ts / overlays.ts) and with the line over it dotted (paths.ts, overlays.ts drawMarks).
 * Only in a live window: a past view reads the archive, which the alarm active now says nothing
 * about (the same rule as the pen panel's FROZEN, readout-status.ts frozenSince).
 */
import type { ValueView } from '../value-view.js';
import type { Gap, GapWord } from './gaps.js';

/** What a lane span is: a gap's word, or the frozen span of a live pen. */
export type LaneWord = GapWord | 'frozen';

export interface LaneSpan {
  t0: number;
  t1: number;
  word: LaneWord;
}

/**
 * Since when the pen's line is drawn frozen on the chart (ms, its value's last change), or null.
 * `live` is the tag's live view made with its frozen-value alarm (viewOf with frozenBy): it says
 * frozen only for a current, usable value whose alarm is active (a lost link or server, a bad
 * value: not frozen, their own marks tell). `viewIsLive`: the chart shows a live window.
 */
export function chartFrozenSince(live: ValueView | null | undefined, viewIsLive: boolean): number | null {
  if (!viewIsLive || !live?.frozen || !live.live || live.heldSince === null) return null;
  return live.heldSince;
}

/**
 * A pen's lane: its gaps (gaps.ts penGaps, as they are) and, for a frozen pen, the span from
 * `frozenSince` to `now` where no gap is (a gap says more than frozen does), if it shows in
 * [x0, x1]; in time order.
 */
export function laneSpans(gaps: readonly Gap[], frozenSince: number | null, x0: number, x1: number, now: number): LaneSpan[] {
  const out: LaneSpan[] = gaps.map((g) => ({ ...g }));
  if (frozenSince === null || !(now > frozenSince) || now <= x0 || frozenSince >= x1) return out;
  let from = frozenSince;
  const cuts = [...gaps].sort((a, b) => a.t0 - b.t0);
  for (const g of cuts) {
    if (g.t1 <= from) continue;
    if (g.t0 >= now) break;
    if (g.t0 > from) out.push({ t0: from, t1: g.t0, word: 'frozen' });
    from = Math.max(from, g.t1);
  }
  if (now > from) out.push({ t0: from, t1: now, word: 'frozen' });
  return out.filter((s) => s.t1 > x0 && s.t0 < x1).sort((a, b) => a.t0 - b.t0 || a.t1 - b.t1);
}

/**
 * A lane span's label texts for laneLabels (gaps.ts), the whole first: "<pen>: <word>", then shorter.
 * A gap falls back to the pen's name (its hatching says bad or no data). A frozen span's name alone
 * drops what the lane means (its line is drawn, dotted, so nothing else reads "frozen" at a glance):
 * it falls back to its word alone where `word` gives it (the lane's colour says whose), and is
 * otherwise named whole or not at all (hovering it gives its whole name).
 */
export function laneTexts(span: LaneWord, pen: string, say: (pen: string, word: LaneWord) => string, word?: (word: LaneWord) => string): string[] {
  const whole = say(pen, span);
  if (span !== 'frozen') return [whole, pen];
  return word ? [whole, word(span)] : [whole];
}
