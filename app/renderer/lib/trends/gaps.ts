/**
 * Whose gap is it: each pen's bad, stale, unreadable and empty spans, told apart by pen.
 *
 * On a trend of several pens a band across the whole plot cannot say whether the level or the
 * temperature went bad. So each pen with a gap in view gets a lane of its own along the plot's
 * top (in pen order): its gaps hatched there in the quality colour, edged in the pen's colour and
 * labelled with the pen's tag and what the gap is. A band covers the plot's height only where
 * every pen has that gap (one pen: all of its gaps, as before). The pen panel writes the same
 * spans, so the canvas is not the only place that says it.
 */
import { BadDataUnavailable, BadWaitingForInitialData, codeOf, isNoLiveData } from '../../../../historian/status.js';
import { gapSpans } from './overlays.js';
import { isGap, Kind, type Trace } from './trace.js';

/** What a gap is, as the operator is told: the catalog's `trends.gap.<word>`. */
export type GapWord = 'bad' | 'stale' | 'waiting' | 'unavailable' | 'noData';

export interface Gap {
  t0: number;
  t1: number;
  word: GapWord;
}

/**
 * The link to the value was lost (the station's watchdog, a dead connection): the value went stale
 * (status.ts: no live data). A server that is connected but has no value for the tag yet
 * (BadWaitingForInitialData, a restarted server's first minutes) is waiting: told as a lost link,
 * an investigation would read minutes of a connected server as an outage.
 */
export function gapWord(kind: Kind, status: number): GapWord {
  if (kind === Kind.NoData) return 'noData';
  if (codeOf(status) === BadDataUnavailable) return 'unavailable';
  if (codeOf(status) === BadWaitingForInitialData) return 'waiting';
  return isNoLiveData(status) ? 'stale' : 'bad';
}

/**
 * A pen's gaps that show in [x0, x1], in time order, neighbours of the same word as one; before
 * the trace's first point nothing is known either (no data from x0).
 */
export function penGaps(tr: Trace, x0: number, x1: number, liveUntil: number, now: number): Gap[] {
  const out: Gap[] = [];
  if (tr.n === 0) return out;
  if (tr.t[0]! > x0) out.push({ t0: x0, t1: tr.t[0]!, word: 'noData' });
  // A gap under the view's start may have begun at an earlier gap point (another bad status): from there.
  let i = tr.indexAfter(x0) - 1;
  while (i > 0 && isGap(tr.k[i]!) && isGap(tr.k[i - 1]!)) i--;
  for (const [t0, t1, kind, status] of gapSpans(tr, Math.min(x0, tr.t[Math.max(0, i)]!), x1, liveUntil, now)) {
    const word = gapWord(kind, status);
    const last = out.at(-1);
    if (last && last.word === word && last.t1 >= t0) last.t1 = Math.max(last.t1, t1);
    else out.push({ t0, t1, word });
  }
  return out.filter((g) => g.t1 > x0 && g.t0 < x1);
}

/**
 * Names short enough for a lane or a limit label: the last two parts of each tag
 * ("Area1.TK101.Level" → "TK101.Level"), more while two pens would read the same.
 */
export function shortNames(tags: readonly string[]): string[] {
  const parts = tags.map((t) => t.split('.'));
  const take = parts.map((p) => Math.min(2, p.length));
  for (let changed = true; changed; ) {
    changed = false;
    const names = parts.map((p, i) => p.slice(-take[i]!).join('.'));
    names.forEach((name, i) => {
      const clash = names.some((other, j) => j !== i && other === name && tags[j] !== tags[i]);
      if (clash && take[i]! < parts[i]!.length) {
        take[i]!++;
        changed = true;
      }
    });
  }
  return parts.map((p, i) => p.slice(-take[i]!).join('.'));
}

export interface Lanes {
  /** Each pen's lane from the top (0 the first), null for a pen without a gap in view. */
  lane: (number | null)[];
  /** A lane's height (the unit of plotHeight). */
  height: number;
  /** Whether a lane is tall enough for its label. */
  text: boolean;
}

/** Lane heights in CSS px: tall enough for an 11 px label; never thinner than a bar one sees. */
export const LANE_MAX = 16, LANE_TEXT = 13, LANE_MIN = 4;

/**
 * A lane for each pen with a gap in view, from the plot's top in pen order; together at most a
 * quarter of the plot's height (lanes thin out, and lose their labels, before they cover more).
 */
export function laneLayout(hasGap: readonly boolean[], plotHeight: number, ratio = 1): Lanes {
  let next = 0;
  const lane = hasGap.map((g) => (g ? next++ : null));
  const height = next === 0 ? 0 : Math.max(LANE_MIN * ratio, Math.min(LANE_MAX * ratio, Math.floor(plotHeight / 4 / next)));
  return { lane, height, text: height >= LANE_TEXT * ratio };
}

/** A gap's label placed in its lane: its text and where it runs (px, left to right). */
export interface LaneLabel {
  /** The gap's index in the lane. */
  gap: number;
  text: string;
  x0: number;
  x1: number;
  /** Starting at the gap's start, or ending at its end. */
  side: 'after' | 'before';
}

interface Step {
  score: number;
  /** Where the last label placed ends (px). */
  end: number;
  label: LaneLabel | null;
  prev: Step | null;
}

/** Steps kept per gap: enough for every lane an operator could read, bounded for a lane of many tiny gaps. */
const MAX_STEPS = 64;

/**
 * The labels of one pen's lane, none covering another. Each gap's label lies in the gap and the
 * free lane beside it, `pad` from any other gap and the plot's edges (as labelPlace places it),
 * and at least `space` from the next label: a short gap's label that runs on into the lane ends
 * before the next gap's label begins. Chosen over the whole lane: as many gaps named as can be,
 * whole ("TK101.Level: stale: no communication") where that fits, else shorter (the pen's name):
 * two short labels rather than one whole label and a gap unnamed; a label starts at its gap
 * rather than ends at it where both fit. A gap with no room for even its shortest text has no
 * label (the pen panel lists every gap whole, with its times).
 * `texts[k]` are gap k's texts, the whole first; `spans` in time order, [a, b) px.
 */
export function laneLabels(
  spans: readonly { a: number; b: number }[],
  texts: readonly (readonly string[])[],
  measure: (s: string) => number,
  edges: { left: number; right: number; pad: number; space: number },
): LaneLabel[] {
  const { left, right, pad, space } = edges;
  const n = spans.length;
  // One more gap named outweighs every whole text there could be (n + 2 > n), a whole text a short
  // one; starting at the gap breaks ties (the bonuses of n labels sum under 1/2).
  const named = n + 2;
  const bonus = 1 / (2 * (n + 1));
  let steps: Step[] = [{ score: 0, end: -Infinity, label: null, prev: null }];
  spans.forEach(({ a, b }, k) => {
    const from = (spans[k - 1]?.b ?? left) + pad, to = (spans[k + 1]?.a ?? right) - pad;
    const options: { label: LaneLabel; score: number }[] = [];
    (texts[k] ?? []).forEach((text, j) => {
      const w = measure(text), worth = named + (j === 0 ? 1 : 0);
      if (a + pad + w <= to) options.push({ label: { gap: k, text, x0: a + pad, x1: a + pad + w, side: 'after' }, score: worth + bonus });
      if (b - pad - w >= from) options.push({ label: { gap: k, text, x0: b - pad - w, x1: b - pad, side: 'before' }, score: worth });
    });
    const next: Step[] = [...steps];
    for (const s of steps) {
      for (const o of options) {
        if (o.label.x0 >= s.end + space) next.push({ score: s.score + o.score, end: o.label.x1, label: o.label, prev: s });
      }
    }
    // Keep the steps no other beats (ending no later with a score as high): the rest can only do worse.
    next.sort((x, y) => x.end - y.end || y.score - x.score);
    steps = [];
    for (const s of next) if (steps.length === 0 || s.score > steps[steps.length - 1]!.score) steps.push(s);
    if (steps.length > MAX_STEPS) steps = steps.slice(-MAX_STEPS);
  });
  let best = steps[0]!;
  for (const s of steps) if (s.score > best.score) best = s;
  const out: LaneLabel[] = [];
  for (let s: Step | null = best; s; s = s.prev) if (s.label) out.push(s.label);
  return out.reverse();
}

export interface GapSummary extends Gap {
  /** How many more gaps of this word the pen has in view. */
  more: number;
}

/** A pen's gaps for its line in the pen panel: the first of each word, and how many more of it. */
export function gapSummary(gaps: readonly Gap[]): GapSummary[] {
  const out: GapSummary[] = [];
  for (const g of gaps) {
    const seen = out.find((s) => s.word === g.word);
    if (seen) seen.more++;
    else out.push({ ...g, more: 0 });
  }
  return out;
}
