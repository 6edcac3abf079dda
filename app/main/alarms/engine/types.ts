/**
 * What the engine evaluates: compiled alarm definitions (plain data, no
 * schema, no I/O), the clock it reads, and what it reports. definitions.ts
 * compiles the station config into these.
 */
import type { AlarmCondition, AlarmKind, AlarmState, JournalEvent, ServerShelvedReason } from '../../../shared/api.js';

export type Value = number | boolean | string | null;

/** The engine's only notion of time; tests drive it by hand. */
export interface Clock {
  /** Wall-clock time (ms UTC): what the journal and the rows say. */
  now(): number;
  /**
   * A clock that never steps (ms, any origin; performance.now): what delays, shelve ends and the flood
   * window are timed on, so that an NTP step of the wall clock neither stretches nor cuts them.
   * Absent: now() (a hand clock in tests).
   */
  monotonic?(): number;
}

/**
 * When the engine acts: the wall clock (journal, rows), the monotonic clock (delays) and the source
 * time of the sample being evaluated (NaN: no sample, e.g. a tick).
 */
export interface Instant {
  wall: number;
  mono: number;
  src: number;
}

export interface Rationalization {
  cause: string;
  consequence: string;
  action: string;
}

/** One condition an alarm can be in, with what the operator is told. */
export interface ConditionSpec {
  condition: AlarmCondition;
  /** The limit (limit alarms), the deviation (DEVH/DEVL) or rate (ROC); null otherwise. */
  limit: number | null;
  priority: number;
  message: string;
  rationalization: Rationalization | null;
  /** For messages the station writes itself (COMM, bad quality): a catalog key for the console's language. */
  text?: { key: string; params: Record<string, string | number> };
}

/** The text an alarm raised with the text of the moment (kind 'sync') says: English, and the same for the console's language. */
export interface RaisedText {
  /** English, for the journal and the exports. */
  message: string;
  text: NonNullable<ConditionSpec['text']>;
}

/** A suppression-by-design rule: true while the named tag's good value passes the test. */
export interface SuppressRule {
  tag: string;
  test: { equals: boolean | number | string } | { below: number } | { above: number };
}

/**
 * Levels: the engine's small-integer view of a condition. 0 normal; for limits
 * +2 HH, +1 H, -1 L, -2 LL; deviation +1 DEVH, -1 DEVL; ROC ±1; state, quality,
 * frozen, communication +1.
 */
export type Evaluator =
  | { kind: 'limit'; hh: ConditionSpec | null; h: ConditionSpec | null; l: ConditionSpec | null; ll: ConditionSpec | null }
  | { kind: 'deviation'; setpoint: number | null; setpointTag: string | null; high: ConditionSpec | null; low: ConditionSpec | null }
  | { kind: 'rateOfChange'; spec: ConditionSpec; direction: 'rising' | 'falling' | 'both'; windowMs: number }
  | { kind: 'state'; when: boolean | number | string; spec: ConditionSpec }
  | { kind: 'quality'; spec: ConditionSpec }
  /** A Good analog value exactly unchanged for afterMs of live data (frozen.ts): +1 until it changes. */
  | { kind: 'frozen'; spec: ConditionSpec; afterMs: number }
  | { kind: 'communication'; spec: ConditionSpec }
  /** A condition an OPC UA server raises: its state comes from the server (A&C), not from a value. */
  | { kind: 'server'; spec: ConditionSpec }
  /** A condition the station raises about itself (the sync to an upstream): raised and cleared by the caller, with the text of the moment. */
  | { kind: 'sync'; spec: ConditionSpec };

export interface AlarmDef {
  /** "<tag>/<kind>", "comm/<server>", "sync/<upstream>" or "sync-lost". */
  id: string;
  kind: AlarmKind;
  tag: string | null;
  server: string | null;
  area: string | null;
  equipment: string | null;
  unit: string;
  evaluator: Evaluator;
  /** Return-to-normal hysteresis in engineering units (limits and deviation). */
  deadband: number;
  onDelayMs: number;
  offDelayMs: number;
  latching: boolean;
  shelvable: boolean;
  /** Any rule holding suppresses the alarm (state G). */
  suppress: SuppressRule[];
}

/** A journal line as the engine reports it; the journal adds the sequence number. */
export interface JournalDraft {
  t: number;
  alarmId: string;
  tag: string | null;
  area: string | null;
  condition: AlarmCondition;
  event: JournalEvent;
  state: AlarmState;
  value: Value;
  /** The value is the last usable one of an uncertain sample (or a suspect row's): not a sure reading. */
  valueSuspect: boolean;
  priority: number;
  user: string | null;
  comment: string | null;
  message: string;
  /** The message's catalog key when the station made it (ConditionSpec.text). */
  text: ConditionSpec['text'] | null;
}

export interface ShelveState {
  until: number | null;
  oneShot: boolean;
  reason: string;
  by: string;
  at: number;
  /**
   * A server condition an operator shelved at its server (Part 9 ShelvingState, the server said Good):
   * that server's id. Absent: a shelve the station alone holds (or the server's own: `by` names it).
   */
  atServer?: string;
  /**
   * The server has reported it shelved since (an event or a refresh): only then does a report of it
   * unshelved end it here. One in flight from before the call (unshelved then) must not.
   */
  serverSaid?: boolean;
}

/**
 * A shelve made at a condition's server that the station ended (its time, priority 1, out of service):
 * the Unshelve it owes that server (module.ts sends it, again while refused), kept across a restart.
 */
export interface OwedUnshelve {
  server: string;
  /** When the station ended the shelve (ms UTC). */
  since: number;
  /** Why the server still has it shelved, as last journaled: null until a try failed. */
  refusal: { reason: ServerShelvedReason; status: string | null; at: number } | null;
}

export interface OutOfServiceState {
  reason: string;
  by: string;
  at: number;
}

/** A server (A&C) row's own description, kept so that it is listed again before its server answers. */
export interface PersistedServerCondition {
  server: string;
  source: string | null;
  area: string | null;
  message: string;
  priority: number;
  confirmed: boolean | null;
  /** The server no longer reported it (AlarmRuntime.serverGone); absent: it did. */
  gone?: boolean;
}

/**
 * What survives a restart: everything but suspect flags and pending delays.
 * Fields added later are optional: rows kept by an older version still load.
 */
export interface PersistedAlarm {
  id: string;
  level: number;
  condition: AlarmCondition;
  active: boolean;
  acked: boolean;
  latched: boolean;
  activatedAt: number | null;
  annunciatedAt: number | null;
  ackedAt: number | null;
  ackUser: string | null;
  ackComment: string | null;
  returnedAt: number | null;
  valueAtActivation: Value;
  shelve: ShelveState | null;
  outOfService: OutOfServiceState | null;
  revision: number;
  /** Suppressed by design (G) when kept; absent in older rows: not suppressed. */
  suppressed?: boolean;
  /** The journal's last process line was an activation (its end is still to be journaled); absent: `active`. */
  journalOpen?: boolean;
  /** A shelve ended while the state was held (AlarmRuntime.shelveEndUndecided): still to be decided by a fresh value. */
  shelveEndUndecided?: boolean;
  /** The row's tag, area, priority and message when kept: the journal line ending it if its definition is removed. Absent in older rows. */
  tag?: string | null;
  area?: string | null;
  priority?: number;
  message?: string;
  /**
   * An alarm raised with the text of the moment (takesRaisedText): the text its last journal line
   * carried, said again after a restart. Absent in older rows and for other alarms: the definition's text.
   */
  raisedText?: RaisedText;
  /**
   * The station's own words of the row when kept (its spec's catalog message: COMM, bad quality, a sync
   * alarm, a server's notice row), said again after a restart: a server row is rebuilt with it, and the
   * journal line ending a row whose definition is gone carries it. Absent in older rows and for rows
   * with an engineer's or a server's text: `message` alone.
   */
  text?: NonNullable<ConditionSpec['text']>;
  /** Server (A&C) rows only. */
  serverCondition?: PersistedServerCondition;
  /** The Unshelve the station owes the condition's server (AlarmRuntime.owedUnshelve). Absent: none. */
  owedUnshelve?: OwedUnshelve;
}
