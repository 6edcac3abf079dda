/**
 * The station config's alarm blocks compiled into the engine's definitions
 * (delays in ms, deadbands in units, one definition per kind per tag, one
 * COMM alarm per server), and the definitions as a console reads them.
 */
import type { AlarmDefinition, AlarmDefinitions, AlarmKeyAction } from '../../shared/api.js';
import type { StationConfig, TagConfigEntry } from '../../shared/config.js';
import type { LimitConfig, SuppressRule as RuleConfig, TagAlarms } from '../../shared/config/alarms.js';
import { specsOf } from './engine/levels.js';
import type { AlarmDef, ConditionSpec, Rationalization, SuppressRule } from './engine/types.js';

type Behaviour = { onDelayS?: number | undefined; offDelayS?: number | undefined; latching?: boolean | undefined; shelvable?: boolean | undefined };
type Rationale = { cause?: string | undefined; consequence?: string | undefined; action?: string | undefined };

function rationalization(r: Rationale): Rationalization | null {
  if (!r.cause && !r.consequence && !r.action) return null;
  return { cause: r.cause ?? '', consequence: r.consequence ?? '', action: r.action ?? '' };
}

function spec(condition: ConditionSpec['condition'], c: LimitConfig): ConditionSpec {
  return { condition, limit: c.value, priority: c.priority, message: c.message, rationalization: rationalization(c) };
}

function rule(r: RuleConfig): SuppressRule {
  if (r.equals !== undefined) return { tag: r.tag, test: { equals: r.equals } };
  if (r.below !== undefined) return { tag: r.tag, test: { below: r.below } };
  return { tag: r.tag, test: { above: r.above as number } };
}

export function suppressRulesOf(a: TagAlarms): SuppressRule[] {
  if (a.suppressWhen === undefined) return [];
  return (Array.isArray(a.suppressWhen) ? a.suppressWhen : [a.suppressWhen]).map(rule);
}

/** The deadband in engineering units. */
export function deadbandOf(tag: TagConfigEntry, a: TagAlarms): number {
  if (a.deadbandPercent !== undefined && tag.range) return (a.deadbandPercent * (tag.range[1] - tag.range[0])) / 100;
  return a.deadband ?? 0;
}

function tagDefs(tag: TagConfigEntry, a: TagAlarms): AlarmDef[] {
  const base = {
    tag: tag.name, server: tag.server, area: tag.area, equipment: tag.equipment ?? null, unit: tag.unit, suppress: suppressRulesOf(a),
  };
  const make = (kind: AlarmDef['kind'], evaluator: AlarmDef['evaluator'], own: Behaviour, deadband = 0): AlarmDef => ({
    id: `${tag.name}/${kind}`, kind, ...base, evaluator, deadband,
    onDelayMs: (own.onDelayS ?? a.onDelayS) * 1000, offDelayMs: (own.offDelayS ?? a.offDelayS) * 1000,
    latching: own.latching ?? a.latching, shelvable: own.shelvable ?? a.shelvable,
  });
  const defs: AlarmDef[] = [];
  const l = a.limits;
  if (l) {
    const at = (c: ConditionSpec['condition'], x: LimitConfig | undefined) => (x ? spec(c, x) : null);
    defs.push(make('limit', { kind: 'limit', hh: at('HH', l.HH), h: at('H', l.H), l: at('L', l.L), ll: at('LL', l.LL) }, {}, deadbandOf(tag, a)));
  }
  const d = a.deviation;
  if (d) {
    defs.push(make('deviation', {
      kind: 'deviation', setpoint: d.setpoint ?? null, setpointTag: d.setpointTag ?? null,
      high: d.high ? spec('DEVH', d.high) : null, low: d.low ? spec('DEVL', d.low) : null,
    }, d, deadbandOf(tag, a)));
  }
  const r = a.rateOfChange;
  if (r) {
    const s: ConditionSpec = { condition: 'ROC', limit: r.limit, priority: r.priority, message: r.message, rationalization: rationalization(r) };
    defs.push(make('rateOfChange', { kind: 'rateOfChange', spec: s, direction: r.direction, windowMs: r.windowS * 1000 }, r));
  }
  const st = a.state;
  if (st) {
    const s: ConditionSpec = { condition: 'STATE', limit: null, priority: st.priority, message: st.message, rationalization: rationalization(st) };
    defs.push(make('state', { kind: 'state', when: st.when, spec: s }, st));
  }
  const q = a.badQuality;
  if (q) {
    const s: ConditionSpec = {
      condition: 'BAD', limit: null, priority: q.priority, message: q.message ?? `${tag.name}: bad quality`, rationalization: rationalization(q),
      ...(q.message ? {} : { text: { key: 'alarms.quality.bad', params: { tag: tag.name } } }),
    };
    defs.push(make('quality', { kind: 'quality', spec: s }, q));
  }
  const f = a.frozen;
  if (f) {
    const s: ConditionSpec = {
      condition: 'FROZEN', limit: null, priority: f.priority, message: f.message ?? `${tag.name}: value frozen (not changing)`, rationalization: rationalization(f),
      ...(f.message ? {} : { text: { key: 'alarms.quality.frozen', params: { tag: tag.name } } }),
    };
    defs.push(make('frozen', { kind: 'frozen', spec: s, afterMs: f.afterS * 1000 }, f));
  }
  return defs;
}

export function compileAlarms(config: StationConfig): AlarmDef[] {
  const defs = config.tags.flatMap((t) => (t.alarms ? tagDefs(t, t.alarms) : []));
  const c = config.alarms.communication;
  for (const server of config.servers) {
    const s: ConditionSpec = {
      condition: 'COMM', limit: null, priority: c.priority, message: `Communication lost with server ${server.id}`,
      rationalization: rationalization(c), text: { key: 'alarms.comm.lost', params: { server: server.id } },
    };
    defs.push({
      id: `comm/${server.id}`, kind: 'communication', tag: null, server: server.id, area: null, equipment: null, unit: '',
      evaluator: { kind: 'communication', spec: s }, deadband: 0, onDelayMs: 0, offDelayMs: 0, latching: false, shelvable: c.shelvable, suppress: [],
    });
  }
  return [...defs, ...syncDefs(config)];
}

/** One sync alarm per enabled upstream, and one for archive data that aged out unsent. */
function syncDefs(config: StationConfig): AlarmDef[] {
  const c = config.alarms.sync;
  const def = (id: string, message: string, text: NonNullable<ConditionSpec['text']>): AlarmDef => ({
    id, kind: 'sync', tag: null, server: null, area: null, equipment: null, unit: '',
    evaluator: { kind: 'sync', spec: { condition: 'SYNC', limit: null, priority: c.priority, message, rationalization: rationalization(c), text } },
    deadband: 0, onDelayMs: 0, offDelayMs: 0, latching: false, shelvable: c.shelvable, suppress: [],
  });
  const upstreams = config.sync.upstreams.filter((u) => u.enabled);
  if (upstreams.length === 0) return [];
  return [
    ...upstreams.map((u) => def(syncAlarmId(u.id), `Data are not reaching upstream ${u.id}`, { key: 'alarms.sync.upstream', params: { upstream: u.id } })),
    def(SYNC_LOST, 'Data missing upstream (aged out of the archive unsent, or lost by the upstream)', { key: 'alarms.sync.lost', params: {} }),
  ];
}

export const syncAlarmId = (upstream: string): string => `sync/${upstream}`;
/** Data missing upstream: aged out of the archive before any upstream had them, or lost by one that had (for no upstream in particular). */
export const SYNC_LOST = 'sync-lost';

function describeRules(rules: SuppressRule[]): string | null {
  if (rules.length === 0) return null;
  return rules
    .map((r) => ('equals' in r.test ? `${r.tag} = ${String(r.test.equals)}` : 'below' in r.test ? `${r.tag} < ${r.test.below}` : `${r.tag} > ${r.test.above}`))
    .join(' or ');
}

export function definitionOf(def: AlarmDef, config: StationConfig): AlarmDefinition {
  const a = def.tag === null ? undefined : config.tags.find((t) => t.name === def.tag)?.alarms;
  const percent = a?.deadbandPercent !== undefined;
  return {
    id: def.id, kind: def.kind, tag: def.tag, server: def.server, area: def.area, unit: def.unit,
    conditions: specsOf(def.evaluator).map((s) => ({ condition: s.condition, limit: s.limit, priority: s.priority, message: s.message, rationalization: s.rationalization })),
    deadband: def.kind === 'limit' || def.kind === 'deviation' ? (percent ? a!.deadbandPercent! : def.deadband) : 0,
    deadbandPercentOfSpan: (def.kind === 'limit' || def.kind === 'deviation') && percent,
    onDelayS: def.onDelayMs / 1000, offDelayS: def.offDelayMs / 1000, latching: def.latching, shelvable: def.shelvable,
    suppressWhen: describeRules(def.suppress),
    ...(def.evaluator.kind === 'frozen' ? { frozenAfterS: def.evaluator.afterMs / 1000 } : {}),
  };
}

export function definitionsOf(config: StationConfig, defs: readonly AlarmDef[]): AlarmDefinitions {
  const s = config.alarms;
  return {
    priorities: ([1, 2, 3, 4] as const).map((level) => ({ level, ...s.priorities[level] })),
    alarms: defs.filter((d) => d.kind !== 'server').map((d) => definitionOf(d, config)),
    keys: s.keys as Record<AlarmKeyAction, string[]>,
    shelveMaxMinutes: { ...s.shelving.maxMinutes } as Record<string, number>,
    flood: { ...s.flood },
  };
}
