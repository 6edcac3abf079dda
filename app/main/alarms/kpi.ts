/**
 * Alarm performance figures (EEMUA 191 / ISA-18.2) over a period, computed
 * from journal lines: annunciation rate per operator per 10 min, flood
 * (starts above 10 in 10 min, ends below 5), chattering (>= 3 activations in
 * 60 s), fleeting, stale (active > 24 h), priority split against 80/15/5, the
 * ten most frequent. Pure: the journal supplies the lines, and the
 * annunciations of the day before the period for the flood state it starts in.
 */
import type { AlarmCondition, JournalEvent, KpiReport } from '../../shared/api.js';

export type KpiLine = { t: number; alarmId: string; tag: string | null; condition: AlarmCondition; event: JournalEvent; state: string; priority: number };

/** An alarm already active when the period starts (from the journal before it). */
export interface ActiveAtStart {
  alarmId: string;
  tag: string | null;
  condition: AlarmCondition;
  since: number;
}

export interface KpiSettings {
  operators: number;
  fleetingSeconds: number;
  staleHours: number;
  chatteringCount: number;
  chatteringWindowS: number;
  flood: { windowMinutes: number; startAbove: number; endBelow: number };
}

const PERIOD_MS = 600_000;
/**
 * How far before a period its flood state is worked out from: a flood that began in this time and
 * still runs at the period's start counts from the start. A flood older than this (a day without
 * once falling below the end threshold) is taken as starting when this look-back does.
 */
export const FLOOD_LOOKBACK_MS = 24 * 3_600_000;
const annunciating = new Set<JournalEvent>(['activated', 'escalated', 'reannunciated']);
const ending = new Set<JournalEvent>(['returned', 'cleared', 'latched']);

/** Annunciated = shown with the horn (B), not while shelved, suppressed or out of service. */
const isAnnunciation = (l: KpiLine) => annunciating.has(l.event) && l.state === 'B';

/** What a period is judged against besides its own lines. */
export interface KpiContext {
  /** Annunciation times in the FLOOD_LOOKBACK_MS before `from`: the flood an operator is in at the start. */
  earlier?: readonly number[];
  /** The time now: a period typed to end later ends now (no alarms to average over in the future). */
  now?: number;
}

/**
 * The figures over [from, to), ended at `now` if that is earlier. ISA-18.2 counts the flood an
 * operator is in at the period's start, not only one begun inside it (context.earlier).
 */
export function computeKpi(from: number, until: number, lines: readonly KpiLine[], activeAtStart: readonly ActiveAtStart[], s: KpiSettings, context: KpiContext = {}): KpiReport {
  const to = Math.min(until, Math.max(from, context.now ?? until));
  const inPeriod = lines.filter((l) => l.t >= from && l.t <= to && l.t < until).sort((a, b) => a.t - b.t);
  const ann = inPeriod.filter(isAnnunciation);
  const periods = Math.max(1, Math.ceil((to - from) / PERIOD_MS));
  const buckets = new Array<number>(periods).fill(0);
  for (const l of ann) buckets[Math.min(periods - 1, Math.floor((l.t - from) / PERIOD_MS))]!++;
  const byPriority: [number, number, number, number] = [0, 0, 0, 0];
  for (const l of ann) byPriority[Math.min(4, Math.max(1, l.priority)) - 1]!++;
  const total = ann.length;
  const pct = (n: number) => (total === 0 ? 0 : (100 * n) / total);
  const flood = floodTime([...(context.earlier ?? []).filter((t) => t < from), ...ann.map((l) => l.t)], from, to, s.flood);
  return {
    from, to, operators: s.operators, annunciations: total,
    ratePer10Min: { average: total / periods / s.operators, peak: Math.max(...buckets) / s.operators },
    flood: {
      periods, periodsInFlood: buckets.filter((n) => n > s.flood.startAbove).length,
      percentPeriods: (100 * buckets.filter((n) => n > s.flood.startAbove).length) / periods,
      timeMs: flood, percentTime: to > from ? (100 * flood) / (to - from) : 0,
    },
    chattering: chattering(inPeriod, s),
    fleeting: fleeting(inPeriod, s.fleetingSeconds * 1000),
    stale: stale(inPeriod, activeAtStart, to, s.staleHours * 3_600_000),
    byPriority,
    split: { high: pct(byPriority[0]), medium: pct(byPriority[1]), low: pct(byPriority[2] + byPriority[3]), target: { high: 5, medium: 15, low: 80 } },
    top: top(ann, 10),
  };
}

/** Time in flood: a sliding window over annunciation times, with the start/end hysteresis. */
export function floodTime(times: readonly number[], from: number, to: number, f: KpiSettings['flood']): number {
  const window = f.windowMinutes * 60_000;
  // A flood wholly before (or after) the period adds nothing; one across its start counts from it.
  const inPeriod = (start: number, end: number) => Math.max(0, Math.min(end, to) - Math.max(start, from));
  // Count changes: +1 at each annunciation, -1 when it leaves the window.
  const steps = [...times.map((t) => ({ t, d: 1 })), ...times.map((t) => ({ t: t + window, d: -1 }))].sort((a, b) => a.t - b.t || a.d - b.d);
  let count = 0;
  let since: number | null = null;
  let total = 0;
  for (const { t, d } of steps) {
    count += d;
    if (since === null && count > f.startAbove) since = t;
    else if (since !== null && count < f.endBelow) {
      total += inPeriod(since, t);
      since = null;
    }
  }
  if (since !== null) total += inPeriod(since, to);
  return total;
}

function byAlarm(lines: readonly KpiLine[]): Map<string, KpiLine[]> {
  const m = new Map<string, KpiLine[]>();
  for (const l of lines) (m.get(l.alarmId) ?? m.set(l.alarmId, []).get(l.alarmId)!).push(l);
  return m;
}

function chattering(lines: readonly KpiLine[], s: KpiSettings): KpiReport['chattering'] {
  const out: KpiReport['chattering'] = [];
  const window = s.chatteringWindowS * 1000;
  for (const [alarmId, list] of byAlarm(lines.filter((l) => l.event === 'activated'))) {
    let best = 0;
    for (let i = 0, j = 0; i < list.length; i++) {
      while (list[i]!.t - list[j]!.t >= window) j++;
      best = Math.max(best, i - j + 1);
    }
    const last = list[list.length - 1]!;
    if (best >= s.chatteringCount) out.push({ alarmId, tag: last.tag, condition: last.condition, maxIn60s: best, activations: list.length });
  }
  return out.sort((a, b) => b.maxIn60s - a.maxIn60s || b.activations - a.activations);
}

function fleeting(lines: readonly KpiLine[], limitMs: number): KpiReport['fleeting'] {
  const out: KpiReport['fleeting'] = [];
  for (const [alarmId, list] of byAlarm(lines)) {
    let start: KpiLine | null = null;
    let count = 0;
    for (const l of list) {
      if (l.event === 'activated') start = l;
      else if (ending.has(l.event) && start) {
        if (l.t - start.t < limitMs) count++;
        start = null;
      }
    }
    if (count > 0) out.push({ alarmId, tag: list[0]!.tag, condition: list[0]!.condition, count });
  }
  return out.sort((a, b) => b.count - a.count);
}

/** Alarms whose activation lasted longer than the stale limit, at any time in the period. */
function stale(lines: readonly KpiLine[], atStart: readonly ActiveAtStart[], to: number, limitMs: number): KpiReport['stale'] {
  const open = new Map<string, ActiveAtStart>(atStart.map((a) => [a.alarmId, a]));
  const found = new Map<string, KpiReport['stale'][number]>();
  const note = (a: ActiveAtStart, end: number) => {
    if (end - a.since > limitMs) found.set(a.alarmId, { alarmId: a.alarmId, tag: a.tag, condition: a.condition, activeSince: a.since, activeMs: end - a.since });
  };
  for (const l of lines) {
    if (l.event === 'activated' && !open.has(l.alarmId)) open.set(l.alarmId, { alarmId: l.alarmId, tag: l.tag, condition: l.condition, since: l.t });
    else if (ending.has(l.event) && open.has(l.alarmId)) {
      note(open.get(l.alarmId)!, l.t);
      open.delete(l.alarmId);
    }
  }
  for (const a of open.values()) note(a, to);
  return [...found.values()].sort((a, b) => b.activeMs - a.activeMs);
}

function top(ann: readonly KpiLine[], n: number): KpiReport['top'] {
  return [...byAlarm(ann)]
    .map(([alarmId, list]) => ({ alarmId, tag: list[0]!.tag, condition: list[list.length - 1]!.condition, count: list.length }))
    .sort((a, b) => b.count - a.count || (a.alarmId < b.alarmId ? -1 : 1))
    .slice(0, n);
}
