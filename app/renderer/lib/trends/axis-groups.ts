/**
 * Which pens share a value axis, and how many axes the chart shows.
 *
 * Pens of one unit share an axis (their values compare on it); discrete pens share the state axis.
 * A pen without a unit (PI, Ignition and DCS exports carry none, so imported tags have unit '')
 * says nothing about what it compares with: a level of 2.15 and a flow of 3,700 would lie on one
 * 0-4,000 axis, the level flat at 0. Each gets a scale of its own.
 */

export interface AxisPen {
  tag: string;
  unit: string;
  discrete: boolean;
}

/** The state axis of discrete pens (0 / 1 and the states in view). */
export const STATE_SCALE = 'state';

/** The scale a pen is drawn on: the state axis, its unit's, or its own when it has no unit. */
export function scaleKeyOf(p: AxisPen): string {
  if (p.discrete) return STATE_SCALE;
  return p.unit.trim() === '' ? `t:${p.tag}` : `u:${p.unit}`;
}

/** The chart's value scales in the order their first pen comes. */
export function scaleKeys(pens: readonly AxisPen[]): string[] {
  return [...new Set(pens.map(scaleKeyOf))];
}

/**
 * An axis's title, written along it (rotated): the state axis's word, the unit, or for a pen
 * without a unit the pen's name as its lane gives it (`short`), which says whose axis it is. A '—'
 * there stood on end as a stray bar.
 */
export function axisTitle(first: AxisPen & { short: string }, stateLabel: string): string {
  if (first.discrete) return stateLabel;
  return first.unit.trim() || first.short;
}

/** What an axis takes across at the least: its labels (56 px, axis-labels.ts axisSize) and its title (18 px), and air. */
const AXIS_PX = 80;

/**
 * How many value axes the chart shows at `width` CSS px: as many as take at most half of it, at
 * least one. The rest of the scales draw without an axis (the readout gives their pens' values):
 * sixteen axes of 74 px and more left no plot between them.
 */
export function shownAxisCount(width: number): number {
  return Math.max(1, Math.floor(width / 2 / AXIS_PX));
}

/** A pen drawn on a scale whose axis is not shown, and that scale's ends: the values at the plot's bottom and top edges. */
export interface AxislessPen<P> {
  pen: P;
  low: number;
  high: number;
}

/**
 * The pens whose scale shows no axis (past the first `shown` scales in scaleKeys order), in pen
 * order, with their scale's range as last drawn (`range` of a scale key; null: none yet). The chart
 * writes these beside the plot: an operator reading such a line had no way to tell its values.
 */
export function pensWithoutAxis<P extends AxisPen>(pens: readonly P[], shown: number, range: (key: string) => readonly [number, number] | null): AxislessPen<P>[] {
  const hidden = new Set(scaleKeys(pens).slice(Math.max(0, shown)));
  const out: AxislessPen<P>[] = [];
  for (const pen of pens) {
    const key = scaleKeyOf(pen);
    const r = hidden.has(key) ? range(key) : null;
    if (r && Number.isFinite(r[0]) && Number.isFinite(r[1])) out.push({ pen, low: r[0], high: r[1] });
  }
  return out;
}
