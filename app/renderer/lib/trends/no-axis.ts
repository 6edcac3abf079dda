/**
 * What the chart writes for a pen drawn without an axis (axis-groups.ts pensWithoutAxis), under
 * the plot where it covers no line and no label: its name and its scale's ends, bottom to top,
 * as an axis would label them, with its unit ("TK201.Level 0.0 – 20.0 m"). Without it a line
 * past the axes that fit said nothing of its values but what the readout gave at one time.
 */
import type { Lang } from '../value-view.js';
import { valueTickLabels } from './axis-labels.js';

export interface AxislessEnds {
  low: number;
  high: number;
}

/**
 * The ends to the decimals a hundredth of the span needs (a 0–20 m scale reads 0.0 and 20.0, a
 * 0–1,000 mbar one 0 and 1,000), against a power of ten where an axis would write them so. A
 * discrete pen's ends are the states the state axis numbers: its quarter step of air is no state.
 */
export function axislessEnds(a: AxislessEnds, discrete: boolean, lang: Lang): [string, string] {
  // + 0: Math.ceil(-0.25) is -0, which reads "-0".
  if (discrete) return [lang.fmt.number(Math.ceil(a.low) + 0, 0), lang.fmt.number(Math.floor(a.high) + 0, 0)];
  const span = a.high - a.low;
  const step = span > 0 && Number.isFinite(span) ? 10 ** Math.floor(Math.log10(span / 100)) : 1;
  const [low, high] = valueTickLabels(lang.fmt, [a.low, a.high], step);
  return [low!, high!];
}

/** "<pen> <low> – <high> <unit>": a pen's entry in the line of pens without an axis. */
export function axislessText(a: AxislessEnds, pen: { short: string; unit: string; discrete: boolean }, lang: Lang): string {
  const [low, high] = axislessEnds(a, pen.discrete, lang);
  const unit = pen.discrete ? '' : pen.unit.trim();
  return lang.t('trends.noAxis.pen', { tag: pen.short, min: low, max: unit ? `${high}\u202f${unit}` : high });
}
