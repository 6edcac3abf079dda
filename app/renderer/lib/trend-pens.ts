/**
 * Trend pens: muted, distinguishable colours that avoid the reserved ones
 * (alarm red/orange/yellow, quality magenta/teal); pens 5-8 repeat the hues dashed.
 */
const COLOURS = ['#1f4e9c', '#2e6b30', '#6d4c2f', '#222222'];

export interface Pen {
  stroke: string;
  dash: number[] | undefined;
}

export function penFor(index: number): Pen {
  return { stroke: COLOURS[index % COLOURS.length], dash: index >= COLOURS.length ? [8, 4] : undefined };
}

export const MAX_PENS = 8;
