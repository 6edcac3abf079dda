/**
 * The alarm engine with the operator's actions: acknowledge (selected or a
 * page, with the revisions the operator saw), silence, shelve, unshelve,
 * reset, out of service. Who may do what is the dispatcher's business; what
 * the state allows is checked here, and a refusal changes nothing.
 */
import type { ServerShelvedReason } from '../../../shared/api.js';
import type { AlarmRuntime } from './alarm.js';
import { EngineCore } from './core.js';
import { AlarmRefusal } from './refusal.js';
import { isAudible } from './row.js';
import { applyServerCondition, serverDef, serverShelvable, serverShelveBy, type ServerCondition, type ServerShelving } from './server-condition.js';
import { type RaisedText, withRaisedText } from './station-condition.js';

export { EngineCore, type Changes, type EngineSample } from './core.js';
export type { ServerCondition } from './server-condition.js';
export type { RaisedText } from './station-condition.js';

/** Two ends of a server's shelve this close are one (the UnshelveTime of events delivered later or sooner). */
const SAME_END_MS = 10_000;

export interface ShelveRequest {
  /** Timed shelve length; null for one-shot. */
  minutes: number | null;
  /**
   * The caller's longest allowed shelve (minutes), from their role: a timed shelve may not be
   * longer, a one-shot shelve ends at it if the alarm has not returned to normal by then.
   */
  maxMinutes: number;
  reason: string;
  by: string;
  /** A server condition shelved at its server (the server took the call): that server's id (ShelveState.atServer). */
  atServer?: string;
  /** How long the server says its shelve lasts (ShelvingState.UnshelveTime, ms): a shorter one ends this one then. */
  serverLeftMs?: number | null;
}

export class AlarmEngine extends EngineCore {
  private find(id: string): AlarmRuntime {
    const rt = this.get(id);
    if (!rt) throw new AlarmRefusal('unknownAlarm', `no alarm "${id}"`, { alarm: id });
    return rt;
  }

  /** All or nothing: an unknown id or a moved revision refuses the whole request. */
  checkRevisions(ids: readonly string[], revisions: readonly number[]): AlarmRuntime[] {
    const found = ids.map((id) => this.find(id));
    const changed = found.filter((rt, i) => rt.revision !== revisions[i]).map((rt) => rt.def.id);
    if (changed.length > 0) throw new AlarmRefusal('changed', `alarm changed — review: ${changed.join(', ')}`, { alarms: changed.join(', ') });
    return found;
  }

  /** Acknowledges station alarms; returns those that were unacked. */
  acknowledge(ids: readonly string[], revisions: readonly number[], user: string, comment: string | null): string[] {
    const now = this.clock.now();
    return this.checkRevisions(ids, revisions)
      .filter((rt) => rt.acknowledge(user, comment, now, this.hooks))
      .map((rt) => rt.def.id);
  }

  /** Stops the horn for what sounds now; acknowledges nothing. Returns how many alarms were sounding. */
  silence(): number {
    let n = 0;
    for (const id of this.audibleIds()) {
      this.markDirty(this.get(id)!);
      n++;
    }
    this.silencedAt = this.nextAnnunciation();
    return n;
  }

  private audibleIds(): string[] {
    const ids: string[] = [];
    for (const rt of this.alarms.values()) if (isAudible(rt, this.silencedAt)) ids.push(rt.def.id);
    return ids;
  }

  /**
   * Returns when the shelve ends at the latest: a timed one at its end, a one-shot one at the role's
   * maximum (spec: shelving is "time-limited (a configured maximum ...)"), or earlier when the alarm
   * returns to normal. Null only for a one-shot shelve with no maximum (maxMinutes Infinity).
   */
  shelve(id: string, req: ShelveRequest): number | null {
    const rt = this.checkShelve(id, req);
    const now = this.clock.now();
    const minutes = req.minutes ?? req.maxMinutes;
    const asked = Number.isFinite(minutes) ? now + minutes * 60_000 : null;
    // The server's shelve ends sooner (a one-shot one at its MaxTimeShelved): so does this one, not hiding what the server shows again.
    const left = req.serverLeftMs ?? null;
    const until = left !== null && (asked === null || now + left < asked) ? now + left : asked;
    rt.shelve = { until, oneShot: req.minutes === null, reason: req.reason, by: req.by, at: now, ...(req.atServer !== undefined && { atServer: req.atServer }) };
    // Shelved again (at the server too): the server's shelve is wanted now, no Unshelve owed.
    rt.owedUnshelve = null;
    if (until === null) this.shelvedTimed.delete(rt);
    else this.shelveUntil(rt, until);
    this.hooks.journal(rt, 'shelved', now, req.by, journalComment(req.reason, req.atServer));
    this.hooks.touch(rt);
    return until;
  }

  /** What the alarm's state allows of a shelve, checked before one is asked of its server: refused here, nothing is sent. */
  checkShelve(id: string, req: ShelveRequest): AlarmRuntime {
    const rt = this.find(id);
    if (!rt.def.shelvable) throw new AlarmRefusal('notShelvable', `${id} may not be shelved`, { alarm: id });
    if (rt.outOfService) throw new AlarmRefusal('alreadyOutOfService', `${id} is out of service`, { alarm: id });
    // One-shot shelving ends with the return to normal (spec): on an alarm not active it would end
    // at once, or, left on, hide its next activation (an HH, P1) without a return to end it.
    if (req.minutes === null && !rt.active) throw new AlarmRefusal('notActive', `${id} is not active: a one-shot shelve ends when it returns to normal`, { alarm: id });
    if (req.minutes !== null && req.minutes > req.maxMinutes) {
      throw new AlarmRefusal('shelveTooLong', `${id}: ${req.minutes} min asked, at most ${req.maxMinutes} min allowed`, { max: req.maxMinutes, requested: req.minutes });
    }
    return rt;
  }

  /** atServer: unshelved at that server (it took the call, or said the condition was not shelved there). */
  unshelve(id: string, by: string, comment: string | null, atServer?: string): void {
    const rt = this.checkUnshelve(id);
    this.endShelve(rt, this.clock.now(), by, journalComment(comment, atServer));
  }

  checkUnshelve(id: string): AlarmRuntime {
    const rt = this.find(id);
    if (!rt.shelve) throw new AlarmRefusal('notShelved', `${id} is not shelved`, { alarm: id });
    return rt;
  }

  /** Latched alarms, acknowledged, whose condition has cleared (all or nothing). */
  reset(ids: readonly string[], by: string, comment: string | null): string[] {
    const found = ids.map((id) => this.find(id));
    for (const rt of found) {
      const alarm = rt.def.id;
      const present = rt.active || rt.desired !== 0;
      if (present && (rt.latched || rt.def.latching)) throw new AlarmRefusal('conditionPresent', `${alarm}: the condition is still present`, { alarm });
      if (!rt.latched) throw new AlarmRefusal('notLatched', `${alarm} is not latched`, { alarm });
      if (rt.suspect) throw new AlarmRefusal('suspect', `${alarm}: its data is not live, the condition cannot be verified`, { alarm });
      if (!rt.acked) throw new AlarmRefusal('ackFirst', `${alarm} must be acknowledged before it is reset`, { alarm });
    }
    const now = this.clock.now();
    for (const rt of found) {
      rt.latched = false;
      this.hooks.journal(rt, 'reset', now, by, comment);
      this.hooks.touch(rt);
    }
    return found.map((rt) => rt.def.id);
  }

  outOfService(id: string, reason: string, by: string): void {
    const rt = this.find(id);
    if (rt.outOfService) throw new AlarmRefusal('alreadyOutOfService', `${id} is already out of service`, { alarm: id });
    const now = this.clock.now();
    const wasShelved = rt.shelve !== null;
    this.endAtServerToo(rt);
    rt.shelve = null;
    this.shelvedTimed.delete(rt);
    rt.outOfService = { reason, by, at: now };
    // Out of service ends the shelve: the journal says so (the shelved list no longer shows it).
    if (wasShelved) this.hooks.journal(rt, 'unshelved', now, by, null);
    this.hooks.journal(rt, 'outOfService', now, by, reason);
    this.hooks.touch(rt);
  }

  returnToService(id: string, by: string, comment: string | null): void {
    const rt = this.find(id);
    if (!rt.outOfService) throw new AlarmRefusal('notOutOfService', `${id} is not out of service`, { alarm: id });
    const now = this.clock.now();
    rt.outOfService = null;
    rt.settleQuiet();
    this.hooks.journal(rt, 'returnedToService', now, by, comment);
    rt.reannunciate(now, this.hooks);
  }

  /** A condition as its OPC UA server reports it (event or ConditionRefresh). */
  serverCondition(c: ServerCondition): void {
    let rt = this.get(c.id);
    if (!rt) rt = this.addServerCondition(serverDef(c));
    const now = this.clock.now();
    // No longer suspect: handed over again, with no new revision unless the report changed the row.
    if (rt.suspect) this.markDirty(rt);
    // Shelved at the server before the report is applied (one raised while shelved there is journaled
    // in F, no annunciation counted); unshelved after it (annunciated again only if still active).
    if (c.shelving) this.followServerShelve(rt, c, c.shelving, now);
    applyServerCondition(rt, c, now, this.hooks);
    // The server's report is fresh: it decides a shelve end kept waiting for it.
    rt.held = false;
    this.decideShelveEnd(rt, now);
    // Its severity may rise to priority 1 after it was raised: then it may no longer be shelved, nor stay shelved.
    const shelvable = serverShelvable(c.priority);
    if (rt.def.shelvable !== shelvable) {
      rt.def = { ...rt.def, shelvable };
      if (rt.shelve && !shelvable) {
        // An operator's shelve made at the server: the server must not keep a priority-1 alarm hidden either.
        this.endAtServerToo(rt);
        this.endShelve(rt, now, null, null);
      }
      this.hooks.touch(rt);
    }
    if (c.shelving !== undefined) rt.serverSaysShelved = c.shelving !== null;
    if (c.shelving === null) {
      // Unshelved there (its timer, its operator, the station's Unshelve taken late): nothing owed any more.
      this.serverUnshelved(c.id);
      this.followServerShelve(rt, c, null, now);
    }
  }

  /**
   * The server did not take the Unshelve the station owes it (module.ts: refused, or not connected). The
   * row says the server still has it shelved, and why; the journal says so once per reason, not at every
   * try. Not connected does not replace a server's own answer (the COMM alarm says that). Returns whether
   * the reason is news (journaled).
   */
  serverUnshelveFailed(id: string, reason: ServerShelvedReason, status: string | null): boolean {
    const rt = this.get(id);
    const owed = rt?.owedUnshelve;
    if (!rt || !owed) return false;
    const was = owed.refusal;
    if (was && (reason === 'notConnected' || (was.reason === reason && was.status === status))) return false;
    const now = this.clock.now();
    rt.owedUnshelve = { ...owed, refusal: { reason, status, at: now } };
    this.hooks.journal(rt, 'unshelveRefused', now, serverShelveBy(owed.server), status ?? reason);
    // Not a change of the alarm's process state: its revision stays (an ack sent meanwhile is not refused).
    this.markDirty(rt);
    return true;
  }

  /** The server has it unshelved (it took the Unshelve, or reports it so): journaled where its refusal was. */
  serverUnshelved(id: string): void {
    const rt = this.get(id);
    const owed = rt?.owedUnshelve;
    if (!rt || !owed) return;
    rt.owedUnshelve = null;
    if (owed.refusal) this.hooks.journal(rt, 'unshelvedAtServer', this.clock.now(), serverShelveBy(owed.server), null);
    this.markDirty(rt);
  }

  /** Nothing left to unshelve there (shelved again, or the server no longer reports the condition): the debt goes unjournaled. */
  forgetOwedUnshelve(id: string): void {
    const rt = this.get(id);
    if (!rt?.owedUnshelve) return;
    rt.owedUnshelve = null;
    this.markDirty(rt);
  }

  /**
   * A condition shelved or unshelved at its server (Part 9 ShelvingState: its own operators, its own
   * time limit) is shelved or unshelved here too, as the spec's F: off the banner, on the shelved
   * list with the time the server gives, journaled. Only the server's moves count: an operator here
   * who unshelves it, or shelved it first, is not overruled by the next event saying the same. A
   * condition this station may not shelve (priority 1: a safety trip) stays shown.
   */
  private followServerShelve(rt: AlarmRuntime, c: ServerCondition, shelving: ServerShelving | null, now: number): void {
    const was = rt.serverShelved;
    // Shelved there while of priority 1 (shown here all the same): not taken, so that once the server
    // lowers its severity the next report saying shelved is followed (it stayed shown, unshelved, before).
    rt.serverShelved = shelving !== null && serverShelvable(c.priority);
    const by = serverShelveBy(c.server);
    const mine = rt.shelve?.atServer === c.server ? rt.shelve : null;
    if (mine) {
      // Shelved there by an operator here: the server saying shelved is the same shelve. Its report of it
      // unshelved (its own operator, its time) ends it, once it has said shelved since the call: an event
      // sent before the call, delivered after its answer, still says unshelved.
      if (shelving && !mine.serverSaid) rt.shelve = { ...mine, serverSaid: true };
      // A read of the server's state (not an event) is later than the call: it ends it as well.
      else if (!shelving && (mine.serverSaid || c.shelvingRead)) this.endShelve(rt, now, by, null);
      return;
    }
    // Still shelved there by the shelve the station ended (its Unshelve owed): not the server's new one to follow.
    if (rt.owedUnshelve) return;
    const until = shelving?.leftMs == null ? null : now + shelving.leftMs;
    // Shelved there anew between two events (unshelved and shelved for another time, or one-shot for
    // timed: a server need raise no event for either): the server's shelve in force here takes the new
    // one, else it hid the alarm until the old end. Within SAME_END_MS it is the same end, later delivered.
    const s = rt.shelve;
    const anew = shelving !== null && s !== null && s.by === by
      && (s.oneShot !== shelving.oneShot || (s.until === null) !== (until === null) || Math.abs((s.until ?? 0) - (until ?? 0)) > SAME_END_MS);
    if (shelving && ((was !== true && !rt.shelve) || anew) && !rt.outOfService && serverShelvable(c.priority)) {
      const reason = shelving.oneShot ? 'OneShotShelved' : 'TimedShelved';
      rt.shelve = { until, oneShot: shelving.oneShot, reason, by, at: now };
      if (until === null) this.shelvedTimed.delete(rt);
      else this.shelveUntil(rt, until);
      this.hooks.journal(rt, 'shelved', now, by, reason);
      this.hooks.touch(rt);
    } else if (!shelving && was !== false && rt.shelve?.by === by) this.endShelve(rt, now, by, null); // the server's doing, journaled and audited so
  }

  /**
   * An ack or confirm of a server condition is being sent to its server for a console user: the
   * server's report of it (which names the station's OPC UA session, not the person) is journaled
   * with this user and comment. Cleared by the report, or by serverActionFailed.
   */
  serverActionSent(id: string, action: 'acknowledge' | 'confirm', user: string, comment: string | null): void {
    const rt = this.serverConditionOf(id);
    if (!rt) return;
    if (action === 'acknowledge') rt.pendingAck = { user, comment };
    else rt.pendingConfirm = { user, comment };
  }

  /** The server refused the ack or confirm (or could not be reached): nothing is waiting for it. */
  serverActionFailed(id: string, action: 'acknowledge' | 'confirm'): void {
    const rt = this.serverConditionOf(id);
    if (!rt) return;
    if (action === 'acknowledge') rt.pendingAck = null;
    else rt.pendingConfirm = null;
  }

  /**
   * A condition the station raises about itself (kind 'sync'): raised with
   * what to tell the operator, or back to normal (null). Like a COMM alarm it
   * has no delays and follows the caller at once; a new text while raised
   * changes the row (revision) without a new activation, and is journaled
   * (messageChanged, in the state it is in: an acknowledged alarm stays so),
   * else the journal and a restart (raisedText) kept only the first text.
   * Returns false for an id that is not such an alarm (an upstream not configured).
   */
  stationCondition(id: string, raised: RaisedText | null): boolean {
    const rt = this.get(id);
    if (!rt || rt.def.kind !== 'sync') return false;
    if (raised) {
      const def = withRaisedText(rt.def, raised);
      if (JSON.stringify(def) !== JSON.stringify(rt.def)) {
        const now = this.clock.now();
        rt.redefine(def, now, this.hooks);
        // Not active, the raise below is an activation, journaled with the new text.
        if (rt.active) this.hooks.journal(rt, 'messageChanged', now);
        this.hooks.touch(rt);
      }
    }
    if (rt.suspect) {
      // Reported again after a restart: fresh, but the same alarm the operator saw (no new revision).
      rt.suspect = false;
      this.markDirty(rt);
    }
    const at = this.instant();
    rt.held = false;
    rt.step(raised ? 1 : 0, at, this.hooks);
    this.decideShelveEnd(rt, at.wall);
    return true;
  }

  /**
   * The server conditions the engine lists for a server, as last reported: with the station's own words
   * of a row it raises (the notice), else the next session's report of it (its return) drops them.
   */
  serverConditions(server: string): ServerCondition[] {
    const out: ServerCondition[] = [];
    for (const rt of this.alarms.values()) {
      const d = rt.def;
      if (d.kind !== 'server' || d.server !== server || !rt.listed) continue;
      out.push({
        id: d.id, server, source: d.tag, area: d.area, message: rt.spec.message, priority: rt.spec.priority, active: rt.active, acked: rt.acked,
        confirmed: rt.confirmed, suppressed: rt.suppressed, retain: true, value: rt.value, time: rt.activatedAt ?? 0, user: rt.ackUser, comment: rt.ackComment,
        ...(rt.spec.text && { text: rt.spec.text }),
      });
    }
    return out;
  }

  /** A server condition's row, for routing an ack or confirm to its server. */
  serverConditionOf(id: string): AlarmRuntime | null {
    const rt = this.get(id);
    return rt?.def.kind === 'server' ? rt : null;
  }

  /** A server condition whose ack goes to its server: null for one the server no longer reports (the station acknowledges it). */
  ackedAtServer(id: string): AlarmRuntime | null {
    const rt = this.serverConditionOf(id);
    return rt && !rt.serverGone ? rt : null;
  }
}

/** English, as the journal keeps its lines: where the shelve was made, before the operator's words (the Journal page says it in the console's language). */
export const AT_SERVER_PREFIX = 'at server ';

/** The journal's comment of a shelve or unshelve made at a server: "at server <id>", then the operator's words. */
export function journalComment(comment: string | null, atServer: string | undefined): string | null {
  if (atServer === undefined) return comment;
  return comment ? `${AT_SERVER_PREFIX}${atServer}: ${comment}` : `${AT_SERVER_PREFIX}${atServer}`;
}
