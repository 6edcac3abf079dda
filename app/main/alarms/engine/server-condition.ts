/**
 * Conditions an OPC UA server raises (Part 9 Alarms & Conditions) join the
 * list with the states the server reports: active, acked, confirmed,
 * suppressed. The engine does not evaluate them; it journals their
 * transitions, annunciates them and counts them like its own.
 */
import type { AlarmRuntime, Hooks } from './alarm.js';
import type { AlarmDef, ConditionSpec, Value } from './types.js';

export interface ServerCondition {
  /** "server/<server>/<condition node id>". */
  id: string;
  server: string;
  /** SourceName: the tag or equipment the server names. */
  source: string | null;
  area: string | null;
  message: string;
  priority: number;
  active: boolean;
  acked: boolean;
  /** ConfirmedState; null when the condition has none. */
  confirmed: boolean | null;
  suppressed: boolean;
  /** Retain false: the server no longer needs the condition shown. */
  retain: boolean;
  value: Value;
  /** When the server says the condition last changed (ms UTC). */
  time: number;
  /** Who acknowledged or confirmed, and their comment, when the server says. */
  user: string | null;
  comment: string | null;
  /** The station's own words for a row it raises about the server (a catalog message; `message` is its English). */
  text?: NonNullable<ConditionSpec['text']>;
  /**
   * ShelvingState as the server reports it (Part 9 §5.8.10, shelved by its own operators): null
   * unshelved; absent when the condition has none (or the event did not say).
   */
  shelving?: ServerShelving | null;
  /**
   * The shelving was read from the server (not an event's): the server's state after any shelving call
   * of this station's, so an unshelved one ends a shelve made there from here even before an event said shelved.
   */
  shelvingRead?: boolean;
}

/** A condition shelved at its server: one-shot or timed, and how long the server says is left (ms; null: not said). */
export interface ServerShelving {
  oneShot: boolean;
  leftMs: number | null;
}

/** Who a shelve made by the condition's server is journaled and shown by (no console user made it). */
export const serverShelveBy = (server: string): string => `${server} (OPC UA)`;

/** OPC UA severity 1..1000 to priority 1..4. */
export function priorityOfSeverity(severity: number): number {
  return severity > 800 ? 1 : severity > 600 ? 2 : severity > 400 ? 3 : 4;
}

/**
 * A server condition as the engine's alarm. One of the highest priority (severity above 800: an
 * SIS or ESD trip) is not shelvable, as ISA-18.2 keeps safety alarms from being shelved; the
 * station's own alarms say so in their config (shelvable: false), a server's cannot.
 */
export function serverDef(c: Pick<ServerCondition, 'id' | 'server' | 'source' | 'area' | 'message' | 'priority' | 'text'>): AlarmDef {
  const text = c.text ? { text: c.text } : {};
  return {
    id: c.id, kind: 'server', tag: c.source, server: c.server, area: c.area, equipment: null, unit: '',
    evaluator: { kind: 'server', spec: { condition: 'SERVER', limit: null, priority: c.priority, message: c.message, rationalization: null, ...text } },
    deadband: 0, onDelayMs: 0, offDelayMs: 0, latching: false, shelvable: serverShelvable(c.priority), suppress: [],
  };
}

/** The catalog key of a server condition's text once its server no longer reports it. */
export const SERVER_GONE_TEXT = 'alarms.server.gone';

/**
 * The station's text for a row and its journal lines: a condition its server dropped (serverGone)
 * says so around the server's message, so the consoles mark it (the banner and the summary draw
 * a badge from this key) and the journal's lines while it stays (the station's ack) read so.
 * Without the mark it looked like an alarm the server might still return or take the ack for.
 */
export function rowText(rt: Pick<AlarmRuntime, 'serverGone' | 'spec' | 'def'>): NonNullable<ConditionSpec['text']> | null {
  if (rt.serverGone) return { key: SERVER_GONE_TEXT, params: { message: rt.spec.message, server: rt.def.server ?? '' } };
  return rt.spec.text ?? null;
}

/** Whether a server condition of this priority may be shelved: not one of priority 1 (an SIS or ESD trip). */
export const serverShelvable = (priority: number): boolean => priority > 1;

/**
 * The server's report of a condition. It is fresh, so the row is no longer suspect; that flag alone
 * (the ConditionRefresh after a reconnection or a restart confirming what the row said) is no change
 * the operator acknowledges: the caller hands the row over again without a new revision (as core.ts
 * republish does for data-quality flags), else an ack with the revision seen meanwhile was refused.
 */
export function applyServerCondition(rt: AlarmRuntime, c: ServerCondition, now: number, h: Hooks): void {
  let changed = false;
  rt.suspect = false;
  rt.value = c.value;
  const priorityBefore = rt.spec.priority;
  // The suppression first: a condition raised under it is journaled in G (the KPI counts only what
  // was annunciated in B) and kept out of the flood window, as the station's own suppressed alarms.
  const suppression = c.suppressed !== rt.suppressed;
  const listedBefore = rt.baseState !== 'A';
  const annunciatingBefore = rt.active && !rt.acked;
  if (suppression) {
    rt.suppressed = c.suppressed;
    changed = true;
  }
  if (rt.spec.priority !== c.priority || rt.spec.message !== c.message || JSON.stringify(rt.spec.text) !== JSON.stringify(c.text)) {
    const { text: _was, ...spec } = rt.spec;
    rt.spec = { ...spec, priority: c.priority, message: c.message, ...(c.text ? { text: c.text } : {}) };
    changed = true;
  }
  if (c.active && !rt.active) {
    rt.active = true;
    rt.level = rt.desired = 1;
    rt.activatedAt = c.time;
    rt.returnedAt = null;
    rt.valueAtActivation = c.value;
    if (c.acked) rt.acked = true;
    else {
      rt.clearAck();
      h.annunciate(rt, now);
    }
    h.journal(rt, 'activated', now);
    changed = true;
  } else if (!c.active && (rt.active || (!c.acked && rt.acked && c.retain))) {
    // A return; or, reported unacknowledged while the station had it acknowledged or had not
    // seen it (a ConditionRefresh after a reconnect or a restart), a return still to be
    // acknowledged: RTN-Unack (D), as the server says, returned when the server says.
    const seen = rt.active;
    const cleared = rt.acked && c.acked;
    rt.active = false;
    rt.level = rt.desired = 0;
    rt.returnedAt = seen ? now : c.time;
    if (!c.acked) rt.clearAck();
    h.journal(rt, cleared ? 'cleared' : 'returned', now);
    changed = true;
  } else if (c.active && !c.acked && rt.acked) {
    // The server re-armed an acknowledged condition (e.g. a new trip): it annunciates again.
    rt.clearAck();
    h.annunciate(rt, now);
    h.journal(rt, 'reannunciated', now);
    changed = true;
  } else if (c.active && c.priority < priorityBefore) {
    // Raised to a more urgent priority while active (a P2 high becoming a P1 trip): an investigation
    // reads it in the journal, as a station alarm's escalation. Its ack state stays the server's.
    h.journal(rt, 'escalated', now);
  } else if (c.active && c.priority > priorityBefore) {
    // Lowered while active (HH back to H at the server): journaled too, with the word the station's own
    // alarms use for a less severe limit, so the journal, its filter and export show it as they show an
    // escalation. Not re-annunciated; a message change alone is still not journaled (the value rides in it).
    h.journal(rt, 'limitChanged', now);
  }
  if (c.acked && !rt.acked) {
    // The server names its session's user (the station's OPC UA identity): the person is the
    // console user who sent it, with the comment they wrote.
    const by = rt.pendingAck;
    rt.pendingAck = null;
    rt.acknowledge(by?.user ?? c.user ?? 'server', by ? by.comment : c.comment, now, h);
  }
  if (c.confirmed !== rt.confirmed) {
    const was = rt.confirmed;
    rt.confirmed = c.confirmed;
    // A confirm follows an ack; a re-armed condition setting ConfirmedState back is not one.
    if (c.confirmed === true && was === false && c.acked) {
      const by = rt.pendingConfirm;
      rt.pendingConfirm = null;
      h.journal(rt, 'confirmed', now, by?.user ?? c.user, by ? by.comment : c.comment);
    }
    changed = true;
  }
  if (suppression) {
    // Entering or leaving it is journaled while the row is listed (as core.ts setSuppressed). Left
    // while still active and unacknowledged, the operator now gets it: annunciated (the horn, the
    // KPI), as the spec's G -> B. The server has no on-delay for the station to run again.
    if (listedBefore) h.journal(rt, c.suppressed ? 'suppressed' : 'unsuppressed', now);
    // (Raised or re-armed by this same report, it was annunciated above.)
    if (!c.suppressed && annunciatingBefore && rt.active && !rt.acked && rt.visible) {
      h.annunciate(rt, now);
      h.journal(rt, 'reannunciated', now);
    }
  }
  // Retain false, or left out of a ConditionRefresh (a server restart): the server no longer
  // reports it. An unacknowledged return stays RTN-Unack (D), as the spec's D leaves only by an
  // ack (or a new activation): the operator acknowledges it at the station, since the server
  // can no longer take the ack, and the journal ends it with who acknowledged it. Not one still
  // active: a server that sets Retain false on an active condition (its logic is the server's,
  // Part 9 §5.5.2) still reports it and takes its ack; taken at the station, the server's next
  // event found it unacknowledged and re-annunciated it.
  const gone = !c.retain && !c.active;
  if (rt.serverGone !== gone) {
    rt.serverGone = gone;
    changed = true;
  }
  if (!c.retain && !c.active && rt.confirmed === false) {
    // Nothing can be confirmed at a server that dropped the condition.
    rt.confirmed = null;
    changed = true;
  }
  if (changed) h.touch(rt);
}
