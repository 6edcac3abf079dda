/**
 * Alarms (ISA-18.2 / IEC 62682, OPC UA Part 9 flags): the live alarm list,
 * operator actions, the journal, KPIs and the definitions a console shows
 * beside an alarm. The station owns the state; a console draws it and asks.
 *
 * Live list protocol: `alarms.snapshot` returns every listed row with the
 * list's `version`; each `alarms.changed` event carries the rows that changed
 * (whole rows), the ids that left the list, and version + 1. A console that
 * sees a gap in versions asks for a new snapshot.
 *
 * Revisions: a row's `revision` changes whenever anything an operator judges
 * by changes (state, condition, priority, shelving, ...), not when only
 * `value` or its data-quality flag (`suspect`: lost, bad or uncertain data)
 * moves: a status flickering between Uncertain and Good must not refuse acks.
 * An ack names the revisions the operator saw; if one moved (e.g. H
 * escalated to HH) the ack is refused with `conflict` ("alarm changed —
 * review") and nothing is acknowledged.
 */
import { z } from 'zod';
import { defineEvents, defineRequests, noParams } from './define.js';
import { sampleValue } from './station.js';
import { syncText } from './sync.js';

/** Priority 1 (most urgent) .. 4. */
export const alarmPriority = z.number().int().min(1).max(4);

/**
 * What an alarm row is about. HH/H/L/LL: limits (one exclusive row moves
 * between them); DEVH/DEVL: deviation from a setpoint; ROC: rate of change;
 * STATE: a discrete state (switch, ESD, pump trip); BAD: bad quality;
 * COMM: a server lost; SERVER: a condition raised by an OPC UA server (A&C);
 * SYNC: the store-and-forward to an upstream is behind, paused or stopped;
 * FROZEN: a Good analog value that has not changed for its window (a stuck transmitter).
 */
export const alarmConditions = ['HH', 'H', 'L', 'LL', 'DEVH', 'DEVL', 'ROC', 'STATE', 'BAD', 'COMM', 'SERVER', 'SYNC', 'FROZEN'] as const;
export const alarmCondition = z.enum(alarmConditions);

/** The kind of definition a row comes from (one row per kind per tag). */
export const alarmKinds = ['limit', 'deviation', 'rateOfChange', 'state', 'quality', 'communication', 'server', 'sync', 'frozen'] as const;
export const alarmKind = z.enum(alarmKinds);

/**
 * The spec's states. A normal; B unack-active; C ack-active; D RTN-unack;
 * E latched; F shelved; G suppressed by design; H out of service.
 * F, G, H overlay the process state (see `flags`); precedence H > F > G.
 */
export const alarmStates = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
export const alarmState = z.enum(alarmStates);

export const shelvingStates = ['Unshelved', 'TimedShelved', 'OneShotShelved'] as const;

/** OPC UA Part 9 condition flags: the process state under F/G/H. */
export const alarmFlags = z.object({
  active: z.boolean(),
  acked: z.boolean(),
  /** Server conditions with ConfirmedState; null where confirm does not apply. */
  confirmed: z.boolean().nullable(),
  latched: z.boolean(),
  shelving: z.enum(shelvingStates),
  suppressed: z.boolean(),
  outOfService: z.boolean(),
});

export const shelveInfo = z.object({
  /**
   * When the shelve ends at the latest (ms UTC): a timed one then; a one-shot one then or at the
   * return to normal, whichever comes first. Null: a one-shot shelve without a limit (none is made now).
   */
  until: z.number().nullable(),
  oneShot: z.boolean(),
  reason: z.string(),
  by: z.string(),
  at: z.number(),
});

/**
 * Why a condition's server still has it shelved after the station ended its shelve there (its time ran
 * out, priority 1, out of service) and sent the Unshelve: notConnected (sent once it is), accessDenied
 * (the station's OPC UA user may not), noMethod (no Unshelve for it), saysNotShelved (it answers "not
 * shelved" while its ShelvingState says shelved), refused (another Bad status), noAnswer (the call failed).
 */
export const serverShelvedReasons = ['notConnected', 'accessDenied', 'noMethod', 'saysNotShelved', 'refused', 'noAnswer'] as const;

/** The station ended a shelve made at the server, the server has not unshelved it yet: the two disagree. */
export const serverShelvedInfo = z.object({
  server: z.string(),
  /** When the station ended the shelve and owed the server the Unshelve (ms UTC). */
  since: z.number(),
  reason: z.enum(serverShelvedReasons),
  /** The server's status name (BadUserAccessDenied, …); null where it gave none. */
  status: z.string().nullable(),
});

export const outOfServiceInfo = z.object({ reason: z.string(), by: z.string(), at: z.number() });

/**
 * A text the station made up (COMM rows, server conditions, sync): key + params for the console's language.
 * `nested`: params that are catalog messages themselves (sync-lost's detail: the loss as the sync words it,
 * api/sync.ts syncText), by param name, said in the console's language in place of that param, which holds
 * the same in English. The params stay flat strings and numbers for every reader that knows no nested
 * message (a journal line written before, the sync stream's message_params, an older console).
 */
export const stationText = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  nested: z.record(z.string(), syncText).optional(),
});

export const alarmRow = z.object({
  /** Stable: "<tag>/<kind>" for tag alarms, "comm/<server>", "server/<server>/<condition node>", "sync/<upstream>", "sync-lost". */
  id: z.string(),
  source: z.enum(['station', 'server']),
  kind: alarmKind,
  tag: z.string().nullable(),
  /** The OPC UA server for COMM and SERVER rows (and the tag's server otherwise). */
  server: z.string().nullable(),
  area: z.string().nullable(),
  equipment: z.string().nullable(),
  /** The condition in effect, or the last one that was (for D, E and rows only listed while shelved...). */
  condition: alarmCondition,
  state: alarmState,
  flags: alarmFlags,
  priority: alarmPriority,
  /** The configured message (English or the plant's language, as the engineer wrote it). */
  message: z.string(),
  /** For messages the station generates; the console translates it, `message` is the fallback. */
  text: stationText.nullable(),
  /** The limit (or setpoint ± deviation, or rate) crossed; null for discrete, BAD, COMM, SERVER. */
  limit: z.number().nullable(),
  valueAtActivation: sampleValue,
  /** The latest value the engine saw (refreshed at most about once a second on the row). */
  value: sampleValue,
  unit: z.string(),
  /** First activation of this episode (ms UTC); null when never active since listed. */
  activatedAt: z.number().nullable(),
  /** Last annunciation: activation, escalation, or re-annunciation after unshelve. Sort newest first by this. */
  annunciatedAt: z.number().nullable(),
  ackedAt: z.number().nullable(),
  ackUser: z.string().nullable(),
  ackComment: z.string().nullable(),
  /** Return to normal (ms UTC); null while active. */
  returnedAt: z.number().nullable(),
  shelve: shelveInfo.nullable(),
  /**
   * Unshelved here, still shelved at its server (it refused the station's Unshelve, or is not connected):
   * the server and its other clients (the DCS display) hide it. The Unshelve is tried again meanwhile.
   */
  serverShelved: serverShelvedInfo.nullable(),
  outOfService: outOfServiceInfo.nullable(),
  latched: z.boolean(),
  /** Its data source is lost or its value is not good: the state may be out of date. */
  suspect: z.boolean(),
  suppressed: z.boolean(),
  shelvable: z.boolean(),
  /** Unacked, active, and its sound not silenced: this row calls for the horn. */
  audible: z.boolean(),
  revision: z.number().int().nonnegative(),
});

const perPriority = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const alarmSummary = z.object({
  /** Index 0 = priority 1. Unacked rows shown on the banner (not shelved, suppressed or out of service). */
  unacked: perPriority,
  /** Active rows shown on the banner (acked or not). */
  active: perPriority,
  shelved: z.number().int(),
  suppressed: z.number().int(),
  outOfService: z.number().int(),
  latched: z.number().int(),
  suspect: z.number().int(),
  flood: z.object({
    active: z.boolean(),
    /** Annunciations in the last flood window (10 min by default). */
    count: z.number().int(),
    since: z.number().nullable(),
  }),
  horn: z.object({
    /** The priority whose tone must sound now; null: quiet. */
    tone: alarmPriority.nullable(),
    /** Unacked active alarms exist but their sound was silenced. */
    silenced: z.boolean(),
  }),
});

export const alarmList = z.object({
  version: z.number().int().nonnegative(),
  /** Station time of the snapshot (ms UTC): count shelve time left from here. */
  now: z.number(),
  rows: z.array(alarmRow),
  summary: alarmSummary,
});

/**
 * Whether the alarm journal (alarms.sqlite) is writing: 'failing' while its writes fail (disk
 * full, the file locked or damaged); the lines are held and written, in order, when it can.
 */
export const alarmJournalHealth = z.object({
  state: z.enum(['writing', 'failing']),
  /** When the state began (ms UTC); null while writing since the start. */
  since: z.number().nullable(),
  /** The last failure, as SQLite gave it; null while writing. */
  error: z.string().nullable(),
});

export const alarmChanges = z.object({
  version: z.number().int().nonnegative(),
  now: z.number(),
  /** Rows added or changed, whole. */
  rows: z.array(alarmRow),
  /** Ids no longer listed (back to A and acked, not shelved, not out of service). */
  removed: z.array(z.string()),
  summary: alarmSummary,
});

// ---- definitions (what the console shows beside an alarm) ----

export const priorityShapes = ['square', 'triangle', 'diamond', 'circle'] as const;

export const priorityInfo = z.object({
  level: alarmPriority,
  name: z.string(),
  /** CSS colour, e.g. "#d32f2f". */
  colour: z.string(),
  shape: z.enum(priorityShapes),
});

/** ISA-18.2 rationalization: why it alarms, what happens if ignored, what to do. */
export const rationalization = z.object({ cause: z.string(), consequence: z.string(), action: z.string() });

export const conditionDefinition = z.object({
  condition: alarmCondition,
  /** The limit, or the deviation / rate; null for state, quality, communication. */
  limit: z.number().nullable(),
  priority: alarmPriority,
  message: z.string(),
  rationalization: rationalization.nullable(),
});

export const alarmDefinition = z.object({
  id: z.string(),
  kind: alarmKind,
  tag: z.string().nullable(),
  server: z.string().nullable(),
  area: z.string().nullable(),
  unit: z.string(),
  conditions: z.array(conditionDefinition),
  deadband: z.number(),
  deadbandPercentOfSpan: z.boolean(),
  onDelayS: z.number(),
  offDelayS: z.number(),
  latching: z.boolean(),
  shelvable: z.boolean(),
  /** Human-readable design-suppression rule, e.g. "Area1.TK101.PumpRunning = false"; null when none. */
  suppressWhen: z.string().nullable(),
  /** A frozen-value alarm's window (s, tags[i].alarms.frozen.afterS); absent for other kinds. */
  frozenAfterS: z.number().optional(),
});

/** Console actions the keyboard reaches; each a list of key names ("F10", "Space", "Shift+F10", "F22"). */
export const alarmKeyActions = ['silence', 'ackSelected', 'ackPage', 'summary', 'shelve', 'selectUp', 'selectDown', 'goToDisplay'] as const;

export const alarmDefinitions = z.object({
  priorities: z.array(priorityInfo),
  alarms: z.array(alarmDefinition),
  keys: z.record(z.enum(alarmKeyActions), z.array(z.string())),
  /** Longest timed shelve per role (minutes); a role not listed may not shelve. */
  shelveMaxMinutes: z.record(z.string(), z.number()),
  flood: z.object({ windowMinutes: z.number(), startAbove: z.number(), endBelow: z.number() }),
});

// ---- journal ----

export const journalEvents = [
  'activated', 'escalated', 'limitChanged', 'returned', 'cleared', 'latched', 'reannunciated',
  'acknowledged', 'confirmed', 'silenced', 'shelved', 'unshelved', 'shelveExpired', 'reset',
  'outOfService', 'returnedToService', 'suppressed', 'unsuppressed', 'suspect', 'fresh', 'configured',
  // An active alarm raised with the text of the moment (a sync alarm) now says something else: not a new activation.
  'messageChanged',
  // A shelve the station ended that its server still holds (it refused the Unshelve): once per reason; then its end there.
  'unshelveRefused', 'unshelvedAtServer',
] as const;

export const journalEntry = z.object({
  /** Durable, increasing, never reused: the sync stream's cursor. */
  seq: z.number().int().positive(),
  t: z.number(),
  alarmId: z.string(),
  tag: z.string().nullable(),
  area: z.string().nullable(),
  condition: alarmCondition,
  event: z.enum(journalEvents),
  /** The row's state after the event. */
  state: alarmState,
  value: sampleValue,
  /** The value is the last usable one of an uncertain sample (a suspect row's): not a sure reading. */
  valueSuspect: z.boolean(),
  priority: alarmPriority,
  user: z.string().nullable(),
  comment: z.string().nullable(),
  message: z.string(),
  /** A message the station made (COMM, bad quality, sync): its catalog key, for the console's language; null for an engineer's or a server's text. */
  text: stationText.nullable(),
});

export const journalQuery = z.strictObject({
  from: z.number().optional(),
  to: z.number().optional(),
  /** Exact tag names. */
  tags: z.array(z.string()).max(500).optional(),
  areas: z.array(z.string()).max(100).optional(),
  priorities: z.array(alarmPriority).max(4).optional(),
  events: z.array(z.enum(journalEvents)).optional(),
  /** Newest first: pass the last page's smallest seq to get the next (older) page. */
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});

// ---- KPIs ----

export const kpiReport = z.object({
  from: z.number(),
  to: z.number(),
  operators: z.number(),
  annunciations: z.number().int(),
  /** Annunciations per operator per 10 min: average over the period and the worst 10-min period. */
  ratePer10Min: z.object({ average: z.number(), peak: z.number() }),
  flood: z.object({
    periods: z.number().int(),
    periodsInFlood: z.number().int(),
    /** Percent of 10-min periods in flood (EEMUA target < 1 %). */
    percentPeriods: z.number(),
    /** Time in flood (sliding window, starts above 10, ends below 5). */
    timeMs: z.number(),
    percentTime: z.number(),
  }),
  chattering: z.array(z.object({ alarmId: z.string(), tag: z.string().nullable(), condition: alarmCondition, maxIn60s: z.number().int(), activations: z.number().int() })),
  fleeting: z.array(z.object({ alarmId: z.string(), tag: z.string().nullable(), condition: alarmCondition, count: z.number().int() })),
  stale: z.array(z.object({ alarmId: z.string(), tag: z.string().nullable(), condition: alarmCondition, activeSince: z.number(), activeMs: z.number() })),
  /** Annunciations per priority (index 0 = P1). */
  byPriority: perPriority,
  /** Grouped as EEMUA's split: high = P1, medium = P2, low = P3 + P4; percentages; target 5 / 15 / 80. */
  split: z.object({ high: z.number(), medium: z.number(), low: z.number(), target: z.object({ high: z.number(), medium: z.number(), low: z.number() }) }),
  top: z.array(z.object({ alarmId: z.string(), tag: z.string().nullable(), condition: alarmCondition, count: z.number().int() })),
});

const id = z.string().min(1).max(300);
const reason = z.string().trim().min(1, 'a reason is required').max(500);
const comment = z.string().trim().max(500).optional();
/** An engineer's change of an alarm says why (a management-of-change reference, a reason): audited with it. */
const changeReason = z.string().trim().min(1, 'a comment (why the setting changes) is required').max(500);
const csvFile = z.object({ filename: z.string(), csv: z.string() });
/** The conditions whose number an engineer sets: absolute limits, deviations, rate of change. */
const limitCondition = z.enum(['HH', 'H', 'L', 'LL', 'DEVH', 'DEVL', 'ROC']);
/** An on- or off-delay, seconds. */
const delayS = z.number().min(0).max(3600);

export const alarmsRequests = defineRequests({
  'alarms.snapshot': { params: noParams, result: alarmList, permission: null },
  'alarms.journalHealth': { params: noParams, result: alarmJournalHealth, permission: null },
  'alarms.definitions': { params: noParams, result: alarmDefinitions, permission: null },
  /** Selected rows or the visible page, never "all". Refused with conflict if a revision moved. */
  'alarms.acknowledge': {
    params: z
      .strictObject({ ids: z.array(id).min(1).max(200), revisions: z.array(z.number().int().nonnegative()), comment, scope: z.enum(['selected', 'page']) })
      .refine((p) => p.ids.length === p.revisions.length, { message: 'one revision per id', path: ['revisions'] }),
    result: z.object({ acknowledged: z.array(z.string()) }),
    permission: 'alarms.acknowledge',
  },
  /** OPC UA server conditions with ConfirmedState: confirm after ack. */
  'alarms.confirm': {
    params: z
      .strictObject({ ids: z.array(id).min(1).max(200), revisions: z.array(z.number().int().nonnegative()), comment })
      .refine((p) => p.ids.length === p.revisions.length, { message: 'one revision per id', path: ['revisions'] }),
    result: z.object({ confirmed: z.array(z.string()) }),
    permission: 'alarms.acknowledge',
  },
  /** Stops the horn; acknowledges nothing. A later annunciation sounds again. */
  'alarms.silence': { params: noParams, result: z.object({ silenced: z.number().int() }), permission: 'alarms.silence' },
  /**
   * Timed (minutes) or one-shot (until the alarm returns to normal, at most the role's maximum) shelve,
   * with a reason. Longer than the operator maximum needs alarms.shelveLong; an alarm marked not
   * shelvable is refused. `until`: when it ends at the latest.
   */
  'alarms.shelve': {
    params: z
      .strictObject({ id, minutes: z.number().positive().max(100_000).optional(), oneShot: z.literal(true).optional(), reason })
      .refine((p) => (p.minutes === undefined) !== (p.oneShot === undefined), { message: 'give either minutes or oneShot: true', path: ['minutes'] }),
    result: z.object({ until: z.number().nullable() }),
    permission: 'alarms.shelve',
  },
  'alarms.unshelve': { params: z.strictObject({ id, comment }), result: z.object({}), permission: 'alarms.shelve' },
  /** Latched rows (E), acknowledged, whose condition has cleared; refused while it is present. */
  'alarms.reset': { params: z.strictObject({ ids: z.array(id).min(1).max(200), comment }), result: z.object({ reset: z.array(z.string()) }), permission: 'alarms.reset' },
  'alarms.outOfService': { params: z.strictObject({ id, reason }), result: z.object({}), permission: 'alarms.outOfService' },
  /** Spec, H: "manual return to service only (engineer)". */
  'alarms.returnToService': { params: z.strictObject({ id, comment }), result: z.object({}), permission: 'alarms.returnToService' },
  /** Engineer edits: written to the station config (comments kept), effective at once, audited old/new with the required comment. */
  'alarms.setLimit': {
    params: z.strictObject({ id, condition: limitCondition, value: z.number().finite(), comment: changeReason }),
    result: alarmDefinition,
    permission: 'alarms.configure',
  },
  'alarms.setPriority': {
    params: z.strictObject({ id, condition: alarmCondition, priority: alarmPriority, comment: changeReason }),
    result: alarmDefinition,
    permission: 'alarms.configure',
  },
  'alarms.setDelays': {
    params: z
      .strictObject({ id, onDelayS: delayS.optional(), offDelayS: delayS.optional(), comment: changeReason })
      .refine((p) => p.onDelayS !== undefined || p.offDelayS !== undefined, { message: 'give onDelayS, offDelayS or both' }),
    result: alarmDefinition,
    permission: 'alarms.configure',
  },
  'alarms.setDeadband': {
    params: z.strictObject({ id, deadband: z.number().min(0), percentOfSpan: z.boolean(), comment: changeReason }),
    result: alarmDefinition,
    permission: 'alarms.configure',
  },
  /**
   * Several settings of one alarm in one edit (the settings editor's Save): every change given is
   * applied together and the station config validated once, as it will be after all of them, so
   * the changes are kept all or none (raising H and HH above the old HH together is one valid
   * edit); one audit entry lists the old and new value of every config path changed. The same
   * checks as the single edits above; nothing given to change is refused (alarms.refused.nothingToChange).
   */
  'alarms.editSettings': {
    params: z.strictObject({
      id,
      /** Limit, deviation or rate, by condition (as alarms.setLimit). */
      limits: z.partialRecord(limitCondition, z.number().finite()).optional(),
      priorities: z.partialRecord(alarmCondition, alarmPriority).optional(),
      onDelayS: delayS.optional(),
      offDelayS: delayS.optional(),
      /** As alarms.setDeadband: in engineering units, or in % of the tag's span. */
      deadband: z.strictObject({ value: z.number().min(0), percentOfSpan: z.boolean() }).optional(),
      /** A frozen-value alarm's window, s: the station checks it by the config's bounds (alarms.refused.frozenAfterRange). */
      frozenAfterS: z.number().finite().optional(),
      comment: changeReason,
    }),
    result: alarmDefinition,
    permission: 'alarms.configure',
  },
  'alarms.journal': {
    params: journalQuery,
    result: z.object({ entries: z.array(journalEntry), /** beforeSeq for the next (older) page; null at the end. */ next: z.number().nullable() }),
    permission: null,
  },
  /** RFC 4180 CSV of a journal query (all matching entries, up to 100 000), cells guarded against formula injection. */
  'alarms.journalExport': { params: journalQuery.omit({ beforeSeq: true, limit: true }), result: csvFile, permission: 'data.export' },
  'alarms.kpi': { params: z.strictObject({ from: z.number(), to: z.number() }).refine((p) => p.from < p.to, { message: 'from must be before to' }), result: kpiReport, permission: 'alarms.kpi' },
  'alarms.kpiExport': { params: z.strictObject({ from: z.number(), to: z.number() }).refine((p) => p.from < p.to, { message: 'from must be before to' }), result: csvFile, permission: 'alarms.kpi' },
});

export const alarmsEvents = defineEvents({
  'alarms.changed': alarmChanges,
  /** The definitions changed (an engineer's edit, a config reload). */
  'alarms.definitions': alarmDefinitions,
  /** The alarm journal stopped or started writing again. */
  'alarms.journalHealth': alarmJournalHealth,
});

export type AlarmRow = z.output<typeof alarmRow>;
export type AlarmSummary = z.output<typeof alarmSummary>;
export type AlarmList = z.output<typeof alarmList>;
export type AlarmChanges = z.output<typeof alarmChanges>;
export type AlarmJournalHealth = z.output<typeof alarmJournalHealth>;
export type AlarmCondition = z.output<typeof alarmCondition>;
export type AlarmKind = z.output<typeof alarmKind>;
export type AlarmState = z.output<typeof alarmState>;
export type AlarmFlags = z.output<typeof alarmFlags>;
export type ServerShelvedInfo = z.output<typeof serverShelvedInfo>;
export type ServerShelvedReason = (typeof serverShelvedReasons)[number];
export type AlarmDefinition = z.output<typeof alarmDefinition>;
export type AlarmDefinitions = z.output<typeof alarmDefinitions>;
export type PriorityInfo = z.output<typeof priorityInfo>;
export type JournalEntry = z.output<typeof journalEntry>;
export type StationText = z.output<typeof stationText>;
export type JournalEvent = (typeof journalEvents)[number];
export type JournalQuery = z.output<typeof journalQuery>;
export type KpiReport = z.output<typeof kpiReport>;
export type AlarmKeyAction = (typeof alarmKeyActions)[number];
