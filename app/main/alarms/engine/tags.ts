/**
 * What the engine keeps per tag (latest value, the alarms that read it) and
 * the per-sample arithmetic that needs it: the level a value calls for, and
 * whether a design-suppression rule holds.
 */
import type { AlarmRuntime } from './alarm.js';
import { limitLevel, stateMatches, thresholdsOf } from './levels.js';
import type { SuppressRule, Value } from './types.js';

export interface TagEntry {
  value: Value;
  status: number;
  t: number;
  seen: boolean;
  /** The latest sample is a loss marker the station made (AcquiredSample.marker). */
  marker: boolean;
  /** The alarms of this tag. */
  alarms: AlarmRuntime[];
  /** Alarms of other tags whose suppression or setpoint reads this tag. */
  dependents: AlarmRuntime[];
  /** The tag's frozen-value alarm (first in `alarms`: its verdict on a sample comes before the others'). */
  frozen?: AlarmRuntime | null;
}

/** Indexes alarms by the tags they read (their own, suppression and setpoint tags) and by server. */
export function indexAlarms(alarms: Iterable<AlarmRuntime>, tags: Map<string, TagEntry>): { byServer: Map<string, AlarmRuntime[]>; comm: Map<string, AlarmRuntime> } {
  for (const e of tags.values()) {
    // Two arrays: one shared by both made every alarm of a reloaded config a dependent of its own tag, and
    // a suppression or setpoint tag's samples evaluated against the alarms that read it.
    e.alarms = [];
    e.dependents = [];
    e.frozen = null;
  }
  const byServer = new Map<string, AlarmRuntime[]>();
  const comm = new Map<string, AlarmRuntime>();
  const entry = (tag: string): TagEntry => {
    let e = tags.get(tag);
    if (!e) tags.set(tag, (e = { value: null, status: 0, t: 0, seen: false, marker: false, alarms: [], dependents: [] }));
    return e;
  };
  for (const rt of alarms) {
    const d = rt.def;
    if (d.tag !== null && d.kind === 'frozen') {
      const e = entry(d.tag);
      e.alarms.unshift(rt);
      e.frozen = rt;
    } else if (d.tag !== null && d.kind !== 'server') entry(d.tag).alarms.push(rt);
    for (const rule of d.suppress) entry(rule.tag).dependents.push(rt);
    if (d.evaluator.kind === 'deviation' && d.evaluator.setpointTag) entry(d.evaluator.setpointTag).dependents.push(rt);
    if (d.evaluator.kind === 'deviation' && d.evaluator.setpoint !== null) {
      rt.setpoint = d.evaluator.setpoint;
      rt.thresholds = thresholdsOf(d.evaluator, rt.setpoint);
    }
    if (d.kind === 'communication' && d.server) comm.set(d.server, rt);
    else if (d.server) (byServer.get(d.server) ?? byServer.set(d.server, []).get(d.server)!).push(rt);
  }
  return { byServer, comm };
}

/** The level the tag's latest value calls for (rate of change: once per window). */
export function levelOf(rt: AlarmRuntime, e: TagEntry): number {
  const ev = rt.def.evaluator;
  if (ev.kind === 'state') return stateMatches(e.value, ev.when) ? 1 : 0;
  const v = typeof e.value === 'number' ? e.value : typeof e.value === 'boolean' ? Number(e.value) : NaN;
  if (Number.isNaN(v)) return rt.level;
  if (ev.kind !== 'rateOfChange') return limitLevel(v, rt.level, rt.thresholds, rt.def.deadband);
  if (Number.isNaN(rt.refT)) {
    rt.refT = e.t;
    rt.refV = v;
    return rt.desired;
  }
  if (e.t - rt.refT < ev.windowMs) return rt.desired;
  const perMinute = ((v - rt.refV) * 60_000) / (e.t - rt.refT);
  rt.refT = e.t;
  rt.refV = v;
  const limit = ev.spec.limit ?? Infinity;
  if (ev.direction !== 'falling' && perMinute >= limit) return 1;
  if (ev.direction !== 'rising' && perMinute <= -limit) return -1;
  return 0;
}

/**
 * Whether a design-suppression rule holds; null when its tag has no fresh good value (not yet
 * seen, lost, bad or uncertain): nothing to decide by, the suppression stays as it is.
 */
export function ruleHolds(rule: SuppressRule, tags: ReadonlyMap<string, TagEntry>): boolean | null {
  const e = tags.get(rule.tag);
  if (!e?.seen || e.status >>> 30 !== 0) return null;
  const t = rule.test;
  if ('equals' in t) return stateMatches(e.value, t.equals);
  if (typeof e.value !== 'number') return false;
  return 'below' in t ? e.value < t.below : e.value > t.above;
}
