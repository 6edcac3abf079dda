/**
 * The condition a value calls for, as a level (see types.ts), with the
 * deadband applied to leaving a level: a level once reached holds until the
 * value is back inside its limit by more than the deadband. Plain numbers in,
 * a small integer out: this runs for every sample of every tag.
 */
import type { ConditionSpec, Evaluator, Value } from './types.js';

/** Thresholds of an exclusive limit alarm; NaN where a limit is absent (every comparison with NaN is false). */
export interface Thresholds {
  hh: number;
  h: number;
  l: number;
  ll: number;
}

export function limitLevel(v: number, current: number, t: Thresholds, deadband: number): number {
  if (v >= t.hh || (current >= 2 && v > t.hh - deadband)) return 2;
  if (v >= t.h || (current >= 1 && v > t.h - deadband)) return 1;
  if (v <= t.ll || (current <= -2 && v < t.ll + deadband)) return -2;
  if (v <= t.l || (current <= -1 && v < t.l + deadband)) return -1;
  return 0;
}

export function thresholdsOf(e: Evaluator, setpoint: number): Thresholds {
  const at = (c: ConditionSpec | null, base: number, sign: number) => (c && c.limit !== null ? base + sign * c.limit : NaN);
  switch (e.kind) {
    case 'limit':
      return { hh: at(e.hh, 0, 1), h: at(e.h, 0, 1), l: at(e.l, 0, 1), ll: at(e.ll, 0, 1) };
    case 'deviation':
      // DEVH/DEVL are single limits either side of the setpoint: levels +1 and -1.
      return { hh: NaN, h: at(e.high, setpoint, 1), l: at(e.low, setpoint, -1), ll: NaN };
    default:
      return { hh: NaN, h: NaN, l: NaN, ll: NaN };
  }
}

/** The condition behind a level, for what the row shows. */
export function specOf(e: Evaluator, level: number): ConditionSpec | null {
  switch (e.kind) {
    case 'limit':
      return level === 2 ? e.hh : level === 1 ? e.h : level === -1 ? e.l : level === -2 ? e.ll : null;
    case 'deviation':
      return level === 1 ? e.high : level === -1 ? e.low : null;
    default:
      return level === 0 ? null : e.spec;
  }
}

/** The most urgent condition a definition has: what a normal row shows. */
export function firstSpec(e: Evaluator): ConditionSpec {
  const all = specsOf(e);
  return all.reduce((a, b) => (b.priority < a.priority ? b : a), all[0]!);
}

export function specsOf(e: Evaluator): ConditionSpec[] {
  switch (e.kind) {
    case 'limit':
      return [e.hh, e.h, e.l, e.ll].filter((c): c is ConditionSpec => c !== null);
    case 'deviation':
      return [e.high, e.low].filter((c): c is ConditionSpec => c !== null);
    default:
      return [e.spec];
  }
}

/** Discrete comparison that tolerates a server sending 0/1 for a Boolean. */
export function stateMatches(value: Value, when: boolean | number | string): boolean {
  if (value === null) return false;
  if (typeof when === 'boolean' && typeof value === 'number') return (value !== 0) === when;
  if (typeof when === 'number' && typeof value === 'boolean') return value === (when !== 0);
  return value === when;
}

/** Is a move from level `from` to level `to` an annunciation (activation, escalation, change of side)? */
export function isRise(from: number, to: number): boolean {
  if (to === 0) return false;
  if (from === 0) return true;
  return Math.sign(from) !== Math.sign(to) || Math.abs(to) > Math.abs(from);
}
