/**
 * The alarms' console-API handlers. The dispatcher has already checked the
 * permission and will write the audit entry; a handler checks what the
 * alarm's state allows (through the engine), adds target, old and new value
 * and comment to the audit entry, and publishes the change at once.
 */
import type { Handlers, CallContext } from '../api/dispatcher.js';
import { ApiFailure } from '../api/dispatcher.js';
import { can } from '../../shared/permissions.js';
import type { ApiErrorCode, AlarmCondition, Params } from '../../shared/api.js';
import { ConfigError } from '../station/config-file.js';
import { MAX_DEADBAND_PERCENT, MAX_FROZEN_S, tagAlarmsSchema } from '../../shared/config/alarms.js';
import { FROZEN_MIN_UPDATES, updateIntervalMs } from '../../shared/config/station-checks.js';
import { AlarmRefusal, type RefusalReason } from './engine/refusal.js';
import type { AlarmDef } from './engine/types.js';
import { definitionOf, definitionsOf } from './definitions.js';
import { deadbandPaths, delayPath, frozenAfterPath, limitPath, priorityPath, setter, valueAt, type YamlPath } from './config-edits.js';
import { JournalCsvFile, kpiCsv } from './journal/csv.js';
import type { AlarmsModule } from './module.js';

const codeOf: Record<RefusalReason, ApiErrorCode> = {
  changed: 'conflict', unknownAlarm: 'bad_request', notShelvable: 'bad_request', shelveTooLong: 'forbidden', notShelved: 'conflict', notActive: 'conflict',
  notLatched: 'conflict', ackFirst: 'conflict', conditionPresent: 'conflict', suspect: 'conflict', alreadyOutOfService: 'conflict',
  notOutOfService: 'conflict', notConfirmable: 'bad_request', noSuchCondition: 'bad_request', notConfigurable: 'bad_request',
};

/** Runs an engine action; a refusal becomes the API's error with its message key. */
function refusing<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof AlarmRefusal) throw new ApiFailure(codeOf[err.reason], err.message, { key: `alarms.refused.${err.reason}`, params: err.params });
    throw err;
  }
}

/** refusing, for an action that waits on a condition's server. */
async function refusingAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AlarmRefusal) throw new ApiFailure(codeOf[err.reason], err.message, { key: `alarms.refused.${err.reason}`, params: err.params });
    throw err;
  }
}

/** The audit's detail of a shelve or unshelve made at a condition's server (its ShelvingState): where it was made. */
const atServerDetail = (server: string | null) => (server === null ? {} : { detail: `at server ${server} (OPC UA)` });

const user = (ctx: CallContext): string => ctx.session?.user ?? 'station';

/** A value to set at a path of the station config (undefined: the key goes). */
type Change = { path: YamlPath; value: unknown };
type LimitCondition = Params<'alarms.setLimit'>['condition'];
/** The YAML's own rule for tags[i].alarms.frozen.afterS (> 0, at most MAX_FROZEN_S): an edit is held to the same bounds. */
const frozenAfterRule = tagAlarmsSchema.shape.frozen.unwrap().shape.afterS;

export function alarmHandlers(m: AlarmsModule): Partial<Handlers> {
  const config = () => m.config.current;

  /** The caller's longest timed shelve: the largest of their roles' maxima, capped at the operator's without alarms.shelveLong. */
  const shelveMax = (ctx: CallContext): number => {
    const roles = ctx.session?.roles ?? [];
    const max = config().alarms.shelving.maxMinutes;
    const own = Math.max(0, ...roles.map((r) => max[r] ?? 0));
    if (own === 0) throw new ApiFailure('forbidden', 'your role may not shelve alarms', { key: 'alarms.refused.shelveNotAllowed', params: {} });
    return can(roles, 'alarms.shelveLong') ? own : Math.min(own, max.operator ?? own);
  };

  const edit = (ctx: CallContext, id: string, changes: Change[], comment: string) => {
    const def = refusing(() => m.definition(id));
    const before = changes.map((c) => valueAt(config(), c.path));
    try {
      m.config.edit(setter(changes));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const problem = err.problems.map((p) => `${p.field}: ${p.message}`).join('; ') || err.message;
      // A check that gives its words as a key (a limit out of range or order) is said in the console's language.
      const text = err.problems.find((p) => p.text)?.text;
      throw new ApiFailure('bad_request', `${id}: ${problem}`, text ? { key: text.key, params: { alarm: id, ...text.params } } : { key: 'alarms.refused.invalidChange', params: { problem } });
    }
    const path = (c: { path: YamlPath }) => c.path.join('.');
    ctx.setAudit({
      target: id, comment,
      oldValue: Object.fromEntries(changes.map((c, i) => [path(c), before[i]])),
      newValue: Object.fromEntries(changes.map((c) => [path(c), c.value ?? null])),
    });
    return definitionOf(m.definition(def.id), config());
  };

  // The changes of the engineer's edits, each checked by the config's own rules said in a console's words before the file is touched.
  const limitChange = (def: AlarmDef, condition: LimitCondition, value: number): Change => {
    // A deviation or a rate is above 0.
    if (condition !== 'HH' && condition !== 'H' && condition !== 'L' && condition !== 'LL' && !(value > 0)) {
      throw new ApiFailure('bad_request', `${def.id}: expected ${condition} above 0, got ${value}`, { key: 'alarms.refused.notPositive', params: { alarm: def.id, condition } });
    }
    return { path: refusing(() => limitPath(config(), def, condition)), value };
  };
  const priorityChange = (def: AlarmDef, condition: AlarmCondition, priority: number): Change =>
    ({ path: refusing(() => priorityPath(config(), def, condition)), value: priority });
  const delayChanges = (def: AlarmDef, p: { onDelayS?: number | undefined; offDelayS?: number | undefined }): Change[] =>
    (['onDelayS', 'offDelayS'] as const)
      .filter((k) => p[k] !== undefined)
      .map((k) => ({ path: refusing(() => delayPath(config(), def, k)), value: p[k] }));
  /** One setting of the tag's block, units or percent: the other one goes. */
  const deadbandChanges = (def: AlarmDef, deadband: number, percentOfSpan: boolean): Change[] => {
    const paths = refusing(() => deadbandPaths(config(), def));
    if (percentOfSpan && deadband > MAX_DEADBAND_PERCENT) {
      throw new ApiFailure('bad_request', `${def.id}: expected a deadband of at most ${MAX_DEADBAND_PERCENT} % of span, got ${deadband}`,
        { key: 'alarms.refused.deadbandPercentTooBig', params: { alarm: def.id, max: MAX_DEADBAND_PERCENT } });
    }
    return percentOfSpan
      ? [{ path: paths.units, value: undefined }, { path: paths.percent, value: deadband }]
      : [{ path: paths.percent, value: undefined }, { path: paths.units, value: deadband }];
  };

  /** The frozen-value window: refused by the YAML's bounds, naming the field and the range allowed, before the file is touched. */
  const frozenAfterChange = (def: AlarmDef, afterS: number): Change => {
    const path = refusing(() => frozenAfterPath(config(), def));
    if (!frozenAfterRule.safeParse(afterS).success) {
      throw new ApiFailure('bad_request', `${def.id}: ${path.join('.')}: expected seconds > 0 and at most ${MAX_FROZEN_S} (a week), got ${afterS}`,
        { key: 'alarms.refused.frozenAfterRange', params: { alarm: def.id, value: afterS, max: MAX_FROZEN_S } });
    }
    // As the config check (station-checks.ts): shorter, a moving value would read frozen between two publishes.
    const tag = config().tags.find((t) => t.name === def.tag);
    const server = tag && config().servers.find((s) => s.id === tag.server);
    const least = server ? (FROZEN_MIN_UPDATES * updateIntervalMs(server, tag)) / 1000 : 0;
    if (afterS < least) {
      throw new ApiFailure('bad_request', `${def.id}: ${path.join('.')}: expected at least ${least} s (${FROZEN_MIN_UPDATES} of the tag's update intervals), got ${afterS}`,
        { key: 'alarms.refused.frozenAfterShort', params: { alarm: def.id, value: afterS, least } });
    }
    return { path, value: afterS };
  };

  return {
    'alarms.snapshot': () => m.snapshot(),
    'alarms.journalHealth': () => m.journalHealth,
    'alarms.definitions': () => definitionsOf(config(), m.engine.definitions()),

    'alarms.acknowledge': async (p, ctx) => {
      const rows = refusing(() => m.engine.checkRevisions(p.ids, p.revisions));
      ctx.setAudit({ target: p.ids.join(', '), oldValue: rows.map((r) => r.state), newValue: 'acknowledged', comment: p.comment ?? null, detail: `${p.scope}: ${p.ids.length}` });
      const acknowledged = await m.acknowledge(p.ids, p.revisions, user(ctx), p.comment ?? null);
      return { acknowledged };
    },
    'alarms.confirm': async (p, ctx) => {
      refusing(() => m.engine.checkRevisions(p.ids, p.revisions));
      ctx.setAudit({ target: p.ids.join(', '), newValue: 'confirmed', comment: p.comment ?? null });
      return { confirmed: await m.confirm(p.ids, user(ctx), p.comment ?? null) };
    },
    'alarms.silence': (_p, ctx) => {
      const silenced = m.engine.silence();
      ctx.setAudit({ target: 'horn', newValue: 'silenced', detail: `${silenced} sounding` });
      m.flush();
      return { silenced };
    },
    'alarms.shelve': async (p, ctx) => {
      const minutes = p.minutes ?? null;
      const old = m.engine.get(p.id)?.state ?? null;
      const maxMinutes = shelveMax(ctx);
      // A server's condition is shelved at its server (module.ts shelve): the audit says where.
      const server = m.shelvedAt(p.id);
      // One-shot too: it ends at the role's maximum if the alarm has not returned to normal by then.
      const until = await refusingAsync(() => m.shelve(p.id, { minutes, maxMinutes, reason: p.reason, by: user(ctx) }));
      const ends = until === null ? '' : `until ${new Date(until).toISOString()}`;
      ctx.setAudit({ target: p.id, oldValue: old, newValue: minutes === null ? `shelved one-shot${ends && `, at most ${ends}`}` : `shelved ${ends}`, comment: p.reason, ...atServerDetail(server) });
      m.flush();
      return { until };
    },
    'alarms.unshelve': async (p, ctx) => {
      const server = m.shelvedAt(p.id);
      await refusingAsync(() => m.unshelve(p.id, user(ctx), p.comment ?? null));
      ctx.setAudit({ target: p.id, oldValue: 'shelved', newValue: m.engine.get(p.id)?.state ?? null, comment: p.comment ?? null, ...atServerDetail(server) });
      m.flush();
      return {};
    },
    'alarms.reset': (p, ctx) => {
      const reset = refusing(() => m.engine.reset(p.ids, user(ctx), p.comment ?? null));
      ctx.setAudit({ target: p.ids.join(', '), oldValue: 'latched', newValue: 'reset', comment: p.comment ?? null });
      m.flush();
      return { reset };
    },
    'alarms.outOfService': (p, ctx) => {
      const old = m.engine.get(p.id)?.state ?? null;
      refusing(() => m.engine.outOfService(p.id, p.reason, user(ctx)));
      ctx.setAudit({ target: p.id, oldValue: old, newValue: 'out of service', comment: p.reason });
      m.flush();
      return {};
    },
    'alarms.returnToService': (p, ctx) => {
      refusing(() => m.engine.returnToService(p.id, user(ctx), p.comment ?? null));
      ctx.setAudit({ target: p.id, oldValue: 'out of service', newValue: m.engine.get(p.id)?.state ?? null, comment: p.comment ?? null });
      m.flush();
      return {};
    },
    'alarms.setLimit': (p, ctx) => {
      const def = refusing(() => m.definition(p.id));
      return edit(ctx, p.id, [limitChange(def, p.condition, p.value)], p.comment);
    },
    'alarms.setPriority': (p, ctx) => {
      const def = refusing(() => m.definition(p.id));
      return edit(ctx, p.id, [priorityChange(def, p.condition, p.priority)], p.comment);
    },
    'alarms.setDelays': (p, ctx) => {
      const def = refusing(() => m.definition(p.id));
      return edit(ctx, p.id, delayChanges(def, p), p.comment);
    },
    'alarms.setDeadband': (p, ctx) => {
      const def = refusing(() => m.definition(p.id));
      return edit(ctx, p.id, deadbandChanges(def, p.deadband, p.percentOfSpan), p.comment);
    },
    'alarms.editSettings': (p, ctx) => {
      const def = refusing(() => m.definition(p.id));
      // Every change checked as its single edit checks it, then all written in one edit: the config
      // is validated once, as it will be, and nothing is kept unless all of it is.
      const changes = [
        ...Object.entries(p.limits ?? {}).map(([condition, value]) => limitChange(def, condition as LimitCondition, value)),
        ...Object.entries(p.priorities ?? {}).map(([condition, priority]) => priorityChange(def, condition as AlarmCondition, priority)),
        ...delayChanges(def, p),
        ...(p.deadband ? deadbandChanges(def, p.deadband.value, p.deadband.percentOfSpan) : []),
        ...(p.frozenAfterS !== undefined ? [frozenAfterChange(def, p.frozenAfterS)] : []),
      ];
      if (changes.length === 0) {
        throw new ApiFailure('bad_request', `${p.id}: no setting to change`, { key: 'alarms.refused.nothingToChange', params: { alarm: p.id } });
      }
      return edit(ctx, p.id, changes, p.comment);
    },
    'alarms.journal': (p) => m.journal.query(p),
    'alarms.journalExport': async (p, ctx) => {
      const csv = await journalExport(m, p);
      ctx.setAudit({ target: 'alarm journal', detail: `${JSON.stringify(p)}: ${csv.rows} lines` });
      return { filename: `alarm-journal-${stamp(p.from)}-${stamp(p.to)}.csv`, csv: csv.text };
    },
    'alarms.kpi': (p) => m.kpi(p.from, p.to),
    'alarms.kpiExport': (p, ctx) => {
      ctx.setAudit({ target: 'alarm KPI', detail: `${stamp(p.from)}..${stamp(p.to)}` });
      return { filename: `alarm-kpi-${stamp(p.from)}-${stamp(p.to)}.csv`, csv: kpiCsv(m.kpi(p.from, p.to)) };
    },
  };
}

/** Most lines one journal export takes: the whole file is built in the station's memory and sent as one answer. */
export const EXPORT_MAX_LINES = 500_000;
/** Lines read per page; the station's other work (the alarm timer) runs between pages. */
const EXPORT_PAGE = 5_000;

/**
 * Every matching line, oldest first, read a page at a time up to the last line written when the
 * export began; a period holding more than EXPORT_MAX_LINES is refused, saying so, rather than
 * exported in part.
 */
async function journalExport(m: AlarmsModule, q: Params<'alarms.journalExport'>): Promise<{ text: string; rows: number }> {
  const last = m.journal.lastSeq();
  const lines = m.journal.count(q, last);
  if (lines > EXPORT_MAX_LINES) {
    throw new ApiFailure('bad_request', `${lines} journal lines match; an export takes at most ${EXPORT_MAX_LINES}: choose a shorter period or filter`,
      { key: 'alarms.refused.exportTooLarge', params: { lines, max: EXPORT_MAX_LINES } });
  }
  const file = new JournalCsvFile();
  for (let after = 0; ;) {
    const page = m.journal.page(q, after, last, EXPORT_PAGE);
    file.add(page);
    if (page.length < EXPORT_PAGE) break;
    after = page[page.length - 1]!.seq;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { text: file.close(), rows: file.rows };
}

function stamp(t: number | undefined): string {
  return t === undefined ? 'all' : new Date(t).toISOString().slice(0, 16).replace(/[-:]/g, '');
}
