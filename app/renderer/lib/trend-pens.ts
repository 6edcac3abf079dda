/**
 * Trend pens: muted, distinguishable colours that avoid the reserved ones
 * (alarm red/orange/yellow, quality magenta/teal); pens 9-16 repeat the hues dashed.
 */
const COLOURS = ['#1f4e9c', '#2e6b30', '#7a4a1c', '#222222', '#5b4a9b', '#3f7fbf', '#6b6b1f', '#4d6b7a'];

export interface Pen {
  stroke: string;
  dash: number[] | undefined;
}

export function penFor(index: number): Pen {
  return { stroke: COLOURS[index % COLOURS.length]!, dash: index >= COLOURS.length ? [8, 4] : undefined };
}

export const MAX_PENS = 16;
