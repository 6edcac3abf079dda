/**
 * A tag's alarm limits for the trend (HH, H, L, LL): drawn as dashed lines
 * when "Limits" is on (overlays.ts draws them, the value axis includes them).
 *
 * The alarm definitions (app/shared/config/alarms.ts, `alarms.definitions`)
 * come with the alarms work; until they are on main no tag has limits here.
 * Wiring them is this function alone: return each definition's limits.
 */
import type { Limit } from './overlays.js';

let source: (tag: string) => Limit[] = () => [];

export function limitsFor(tag: string): Limit[] {
  return source(tag);
}

/** Installs where limits come from (the alarm definitions, once the station has them). */
export function useLimits(from: (tag: string) => Limit[]): void {
  source = from;
}
