/**
 * The labels of a value axis and the width they need. Ticks of very small or very large
 * magnitudes (a trace concentration of 1e-9 mol/L, an energy counter of 1e12 J) are written
 * against one power of ten, a multiple of 3, with as many decimals as the step needs; fixed
 * decimals there would read "0" for every tick or run 17 digits wide.
 */
import type { Formats } from '../../../shared/i18n/format.js';

/** Outside [1e-4, 1e10) ticks are written against a power of ten, as values are (value-view.ts). */
const SCALED_BELOW = 1e-4;
const SCALED_FROM = 1e10;

/** The step's mantissa digits and exponent: 2.5e5 -> [2, 5], 0.30000000000000004 -> [1, -1]. */
function stepParts(incr: number): [digits: number, exponent: number] {
  // Six digits drop floating-point noise; what remains of a 1-2-2.5-5 step is one or two digits.
  const [mantissa, exponent] = Number(incr.toPrecision(6)).toExponential().split('e') as [string, string];
  return [mantissa.replace('-', '').replace('.', '').length, Number(exponent)];
}

/** Decimals that write every multiple of `incr` scaled by 10^-shift exactly. */
function decimalsOf(incr: number, shift = 0): number {
  const [digits, exponent] = stepParts(incr);
  return Math.max(0, digits - 1 - (exponent - shift));
}

export function valueTickLabels(fmt: Formats, splits: readonly number[], incr: number): string[] {
  if (!(incr > 0) || !Number.isFinite(incr)) return splits.map((v) => fmt.number(v, 0));
  let biggest = 0;
  for (const v of splits) biggest = Math.max(biggest, Math.abs(v));
  if (biggest === 0 || (biggest >= SCALED_BELOW && biggest < SCALED_FROM)) return splits.map((v) => fmt.number(v, decimalsOf(incr)));
  const exponent = 3 * Math.floor(Math.floor(Math.log10(biggest)) / 3);
  const decimals = decimalsOf(incr, exponent);
  return splits.map((v) => fmt.scaled(v, exponent, decimals));
}

/** Air between the labels and the chart's edge, so the widest does not touch it. */
const AIR = 4;

/** An axis's size across: its ticks, the gap, the widest label (CSS px) and some air; never below `least`. */
export function axisSize(labelWidths: readonly number[], tickSize: number, gap: number, least: number): number {
  let widest = 0;
  for (const w of labelWidths) widest = Math.max(widest, w);
  return labelWidths.length === 0 ? least : Math.max(least, Math.ceil(tickSize + gap + widest + AIR));
}
