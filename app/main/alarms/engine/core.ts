/**
 * The alarm engine: every acquired sample evaluated against its tag's alarms,
 * delays and shelve expiry on tick(), server loss and return, design
 * suppression from other tags. Pure: no I/O, no timers, time from the Clock.
 * What changed is taken by the caller (takeChanges, takeJournal), which
 * journals, persists and publishes it. Operator actions: engine.ts.
 */
import type { AlarmList, AlarmRow, AlarmSummary, JournalEvent } from '../../../shared/api.js';
import { ALARM_REMOVED, AlarmRuntime, keptSpec, keptText, LIMIT_REMOVED, type Hooks } from './alarm.js';
import { FloodWindow, type FloodSettings } from './flood.js';
import { isRise, thresholdsOf } from './levels.js';
import { indexAlarms, levelOf, ruleHolds, type TagEntry } from './tags.js';
import { rowOf, summarize } from './row.js';
import { rowText, serverDef, serverShelveBy } from './server-condition.js';
import { isCommStatus } from './status.js';
import { BadCommunicationError, BadNoCommunication, BadNotConnected, codeOf, GoodLocalOverride } from '../../../../historian/status.js';

/** What a source says of itself when its device does not communicate (not "no value yet", not stale). */
const SOURCE_NO_COMM: ReadonlySet<number> = new Set([BadNoCommunication, BadNotConnected, BadCommunicationError]);
import { keepRaisedText, takesRaisedText } from './station-condition.js';
import type { AlarmDef, Clock, Instant, JournalDraft, PersistedAlarm, RaisedText, Value } from './types.js';

export interface EngineSample {
  tag: string;
  /** Source time (ms UTC): used for rates of change. */
  t: number;
  value: Value;
  status: number;
  /** A loss marker the station made, not the source's own status (AcquiredSample.marker). */
  marker?: boolean;
}

/**
 * Process transitions an out-of-service alarm does not journal (it is tracked, not recorded), with
 * one exception: the end of an activation the journal holds (it was active when taken out of
 * service), else the journal and the KPI keep a normal alarm active for ever.
 */
const processEvents = new Set<JournalEvent>(['activated', 'escalated', 'limitChanged', 'messageChanged', 'returned', 'cleared', 'latched']);
const endings = new Set<JournalEvent>(['returned', 'cleared', 'latched']);

/**
 * A frozen-value alarm's window (ms): its afterS, at least three of the intervals its server granted
 * the tag (grantedMs: a server that samples slower than asked sends a moving value only that often,
 * and a window shorter than that raised the alarm between two changes of a live value).
 */
function windowOf(rt: AlarmRuntime, grantedMs: number | undefined): number {
  const ev = rt.def.evaluator;
  return ev.kind === 'frozen' ? Math.max(ev.afterMs, 3 * (grantedMs ?? 0)) : Infinity;
}

/** The tag's frozen-value alarm is in effect and its value has not changed since. */
function isFrozen(e: TagEntry): boolean {
  const f = e.frozen;
  return f != null && f.level !== 0 && f.desired !== 0;
}

export interface Changes {
  /** Listed rows that changed (whole). */
  rows: AlarmRow[];
  /** Ids no longer listed. */
  removed: string[];
  /** The state to keep across a restart, for the changed station rows. */
  persist: PersistedAlarm[];
}

export class EngineCore {
  protected alarms = new Map<string, AlarmRuntime>();
  protected readonly tags = new Map<string, TagEntry>();
  protected byServer = new Map<string, AlarmRuntime[]>();
  protected comm = new Map<string, AlarmRuntime>();
  /** Servers whose last state was connected (serverState). */
  private readonly connected = new Set<string>();
  protected readonly timed = new Set<AlarmRuntime>();
  protected readonly shelvedTimed = new Set<AlarmRuntime>();
  /** Shelves an operator made at a condition's server that the station ended (its time, priority 1, out of service): to be ended there too. */
  protected serverUnshelves: { id: string; server: string }[] = [];
  /** Frozen-value alarms: their windows run out on tick() (a value that holds sends no sample). */
  private watched: AlarmRuntime[] = [];
  /** Per tag, how often (ms) its server granted its changes can come (granted()): widens a frozen window. */
  private readonly grantedMs = new Map<string, number>();
  private readonly dirty = new Set<AlarmRuntime>();
  private readonly moved = new Set<AlarmRuntime>();
  private readonly onList = new Set<string>();
  private dropped: string[] = [];
  private journal: JournalDraft[] = [];
  private annunciations = 0;
  protected silencedAt = 0;
  readonly flood: FloodWindow;
  protected readonly hooks: Hooks;

  constructor(
    readonly clock: Clock,
    defs: readonly AlarmDef[] = [],
    flood: FloodSettings = { windowMs: 600_000, startAbove: 10, endBelow: 5 },
  ) {
    this.flood = new FloodWindow(flood);
    this.hooks = {
      journal: (rt, event, now, user = null, comment = null) => {
        const ending = endings.has(event);
        if (rt.outOfService && processEvents.has(event) && !(ending && rt.journalOpen)) return;
        if (event === 'activated') rt.journalOpen = true;
        else if (ending) rt.journalOpen = false;
        const d = rt.def;
        const text = rowText(rt);
        this.journal.push({
          t: now, alarmId: d.id, tag: d.tag, area: d.area, condition: rt.condition, event, state: rt.state,
          // A bad, lost or stale sample's value is not the value: the journal says there was none. An
          // uncertain one's (an alarm raised on it, a quality alarm's last usable one) is marked.
          value: rt.valueStale ? null : rt.value, valueSuspect: !rt.valueStale && rt.value !== null && (rt.suspect || rt.valueSuspect),
          priority: rt.spec.priority, user, comment, message: rt.spec.message, text,
        });
        if (text && takesRaisedText(d)) this.noteJournaledText(rt, { message: rt.spec.message, text });
      },
      touch: (rt) => {
        rt.revision++;
        this.dirty.add(rt);
      },
      annunciate: (rt, now) => {
        // An activation or re-arm annunciates anyway: a shelve end waiting for fresh data is decided.
        rt.shelveEndUndecided = false;
        rt.annunciation = ++this.annunciations;
        rt.annunciatedAt = now;
        if (rt.visible) this.flood.add(this.mono(), now);
      },
      schedule: (rt) => (Number.isNaN(rt.deadline) ? this.timed.delete(rt) : this.timed.add(rt)),
    };
    this.define(defs);
  }

  /** Takes a new set of definitions; alarms that keep their id keep their state and are re-evaluated at once. */
  define(defs: readonly AlarmDef[]): void {
    const next = new Map<string, AlarmRuntime>();
    const redo: AlarmRuntime[] = [];
    const at = this.instant();
    for (const given of defs) {
      let rt = this.alarms.get(given.id);
      const def = rt ? keepRaisedText(given, rt.def) : given;
      if (!rt) redo.push((rt = new AlarmRuntime(def)));
      else if (JSON.stringify(rt.def) !== JSON.stringify(def)) {
        rt.redefine(def, at.wall, this.hooks);
        this.hooks.touch(rt);
        redo.push(rt);
      }
      next.set(def.id, rt);
    }
    for (const [id, rt] of this.alarms) {
      if (next.has(id)) continue;
      if (rt.def.kind === 'server') next.set(id, rt); // server conditions are the server's, not the config's
      else this.forget(rt, at.wall);
    }
    this.alarms = next;
    this.index();
    for (const rt of redo) {
      const own = rt.def.tag === null ? undefined : this.tags.get(rt.def.tag);
      this.reconsider(rt, at);
      if (own?.seen) this.evaluate(rt, own, at);
      // An alarm an engineer marks not shelvable (a safety alarm) cannot stay shelved.
      if (rt.shelve && !rt.def.shelvable) this.endShelve(rt, at.wall, null, null);
    }
  }

  /**
   * The text just journaled for an alarm raised with the text of the moment is the one a restart
   * restores: kept with the state in the same write as the line (marked changed, no new revision).
   */
  private noteJournaledText(rt: AlarmRuntime, said: RaisedText): void {
    if (JSON.stringify(rt.raisedText) === JSON.stringify(said)) return;
    rt.raisedText = said;
    this.dirty.add(rt);
  }

  /** Unshelves: journaled (no user: the station's doing), then re-evaluated (annunciates if active). */
  protected endShelve(rt: AlarmRuntime, now: number, by: string | null, comment: string | null): void {
    rt.shelve = null;
    this.shelvedTimed.delete(rt);
    rt.settleQuiet();
    this.hooks.journal(rt, 'unshelved', now, by, comment);
    rt.reannunciate(now, this.hooks);
  }

  /**
   * An alarm removed from the configuration: an activation the journal holds ends there (else the
   * KPI keeps it active for ever), and its kept state goes (else it comes back with the definition).
   */
  private forget(rt: AlarmRuntime, now: number): void {
    const kept = rt.listed;
    rt.endCondition(now, this.hooks, ALARM_REMOVED);
    if (this.onList.delete(rt.def.id) || kept) this.dropped.push(rt.def.id);
    this.timed.delete(rt);
    this.shelvedTimed.delete(rt);
    this.dirty.delete(rt);
    this.moved.delete(rt);
  }

  private index(): void {
    ({ byServer: this.byServer, comm: this.comm } = indexAlarms(this.alarms.values(), this.tags));
    this.watched = [...this.alarms.values()].filter((rt) => rt.watch !== null);
  }

  /** The engine's monotonic time (see Clock.monotonic). */
  protected mono(): number {
    return this.clock.monotonic?.() ?? this.clock.now();
  }

  protected instant(src = NaN): Instant {
    return { wall: this.clock.now(), mono: this.mono(), src };
  }

  /** Evaluates acquired samples at the clock's time, their delays also by their source times. */
  ingest(samples: readonly EngineSample[]): void {
    // One Instant for the batch, its source time per sample (nothing keeps it: this runs per sample).
    const at = this.instant();
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const e = this.tags.get(s.tag);
      if (e === undefined) continue;
      const changed = !e.seen || e.value !== s.value || e.status !== s.status;
      e.value = s.value;
      e.status = s.status;
      e.t = s.t;
      e.seen = true;
      e.marker = s.marker === true;
      const alarms = e.alarms;
      at.src = s.t;
      for (let k = 0; k < alarms.length; k++) this.evaluate(alarms[k]!, e, at);
      if (changed) for (const rt of e.dependents) this.reconsider(rt, at);
    }
  }

  private evaluate(rt: AlarmRuntime, e: TagEntry, at: Instant): void {
    this.evaluateSample(rt, e, at);
    this.decideShelveEnd(rt, at.wall);
  }

  private evaluateSample(rt: AlarmRuntime, e: TagEntry, at: Instant): void {
    // What was waiting may have held for its delay up to this sample's source time: applied with the
    // value it held (before this sample replaces it). A loss marker's time is the station's, and a
    // source without communication does not know the value: their times say nothing of the process.
    if (rt.waiting) rt.settle(e.marker || isCommStatus(e.status) ? { ...at, src: NaN } : at, this.hooks);
    const status = e.status;
    const severity = status >>> 30;
    const noData = isCommStatus(status);
    // The row keeps the last usable value (flagged suspect), never a failed sensor's junk.
    rt.valueStale = noData || severity >= 2;
    if (!rt.valueStale) rt.value = e.value;
    if (rt.shown) this.moved.add(rt);
    const kind = rt.def.evaluator.kind;
    // A connected server that reports, for one tag, that its source does not communicate (a
    // gateway whose field bus dropped) is that tag's bad quality: its alarm is raised, as the
    // spec's "loss of communication with a data source" asks; no COMM alarm speaks for it. A
    // loss marker the station made, or any status while the server is not known connected, is the
    // server's loss: the COMM alarm's, and the tag's alarms are suspect.
    if (kind === 'quality' && noData && this.sourceSaysNoComm(rt, e)) {
      rt.held = false;
      this.setSuspect(rt, false);
      if (!rt.valueSuspect) {
        rt.valueSuspect = true;
        this.republish(rt);
      }
      return rt.step(1, at, this.hooks);
    }
    // A value forced at the source (GoodLocalOverride) holds by design, and says so: it is not watched.
    if (kind === 'frozen') return this.evaluateFrozen(rt, e, at, noData || severity !== 0 || codeOf(status) === GoodLocalOverride);
    if (noData || (kind === 'deviation' && Number.isNaN(rt.setpoint))) return this.hold(rt);
    if (kind === 'quality') {
      rt.held = false;
      this.setSuspect(rt, false);
      // Its state is sure (the status is the news); its value, the last usable one, is not: the row says so.
      if (rt.valueSuspect !== (severity !== 0)) {
        rt.valueSuspect = severity !== 0;
        this.republish(rt);
      }
      return rt.step(severity >= 2 ? 1 : 0, at, this.hooks);
    }
    // A frozen value is not a measurement: the tag's other alarms hold, as on a bad one.
    if (severity >= 2 || isFrozen(e)) return this.hold(rt);
    const d = levelOf(rt, e);
    if (severity === 1) {
      // Uncertain: it may raise an alarm (activate, escalate on the same side), never clear or lower one.
      // One that does not raise leaves the state as held or as live as it was.
      const raises = isRise(rt.level, d) && (rt.level === 0 || Math.sign(d) === Math.sign(rt.level));
      if (!raises) return this.markSuspect(rt);
      rt.held = false;
      this.setSuspect(rt, true);
      return rt.step(d, at, this.hooks);
    }
    rt.held = false;
    this.setSuspect(rt, false);
    if (d === rt.level && !rt.waiting) rt.desired = d;
    else rt.step(d, at, this.hooks);
  }

  /**
   * A frozen-value alarm on a sample: a Good number that differs from the last one is a change (back
   * to normal, the window starts again); the same one keeps counting. Anything else (lost, bad,
   * uncertain) pauses the count and holds the state: it says nothing of whether the value moves.
   */
  private evaluateFrozen(rt: AlarmRuntime, e: TagEntry, at: Instant, notGood: boolean): void {
    const w = rt.watch!;
    const afterMs = windowOf(rt, rt.def.tag === null ? undefined : this.grantedMs.get(rt.def.tag));
    const v = typeof e.value === 'number' ? e.value : NaN;
    if (notGood || Number.isNaN(v)) {
      w.pause(at.mono);
      return this.hold(rt);
    }
    // Kept active across a restart: frozen at the value it was raised on until that value changes.
    if (Number.isNaN(w.ref) && rt.level !== 0 && typeof rt.valueAtActivation === 'number') w.seed(rt.valueAtActivation, afterMs);
    const changed = w.good(v, at.mono);
    rt.held = false;
    this.setSuspect(rt, false);
    const d = !changed && w.quiet(at.mono) >= afterMs ? 1 : 0;
    if (d === rt.level && !rt.waiting) rt.desired = d;
    else rt.step(d, at, this.hooks);
  }

  /** On tick: a window that ran out raises the alarm; while frozen, the tag's other alarms hold. */
  private watchFrozen(rt: AlarmRuntime, at: Instant): void {
    const w = rt.watch!;
    const afterMs = windowOf(rt, rt.def.tag === null ? undefined : this.grantedMs.get(rt.def.tag));
    if (!rt.held && w.counting && rt.desired === 0 && w.quiet(at.mono) >= afterMs) {
      rt.step(1, at, this.hooks);
      this.decideShelveEnd(rt, at.wall);
    }
    const e = rt.def.tag === null ? undefined : this.tags.get(rt.def.tag);
    if (!e || !isFrozen(e)) return;
    for (const other of e.alarms) if (other !== rt && other.def.evaluator.kind !== 'quality' && !other.held) this.hold(other);
  }

  private setSuspect(rt: AlarmRuntime, suspect: boolean): void {
    if (rt.suspect === suspect) return;
    rt.suspect = suspect;
    this.republish(rt);
  }

  /**
   * The row's data-quality flags changed: handed to the consoles again, but the revision stays. The
   * revision is what an ack is judged by (spec: an alarm that changed, escalated, is refused): a
   * status flickering between Uncertain and Good changes nothing the operator acknowledges, and
   * bumping it refused every ack of a steady alarm.
   */
  private republish(rt: AlarmRuntime): void {
    this.dirty.add(rt);
  }

  /** No live data (lost, bad, no setpoint): the state is held, and nothing is decided on it. */
  private hold(rt: AlarmRuntime): void {
    this.markSuspect(rt);
    rt.held = true;
  }

  /**
   * A shelve that ended while the state was held (it expired while the station was down) is decided
   * by fresh data as spec case 14 decides it at expiry: the value calls for the alarm -> annunciated
   * again (B); normal -> A. A delay still running decides it: an activation annunciates (the hook),
   * a return takes the usual return path, no horn (returnToNormal).
   */
  protected decideShelveEnd(rt: AlarmRuntime, now: number): void {
    if (!rt.shelveEndUndecided || rt.held) return;
    // Active but returning, or normal but activating: the running delay decides.
    if (rt.active !== (rt.desired !== 0)) return;
    rt.shelveEndUndecided = false;
    rt.reannunciate(now, this.hooks);
  }

  /** The data behind the alarm cannot be trusted: hold the state, drop what was waiting. */
  protected markSuspect(rt: AlarmRuntime): void {
    this.setSuspect(rt, true);
    if (rt.waiting) rt.cancelPending(this.hooks);
    rt.desired = rt.level;
    rt.refT = NaN;
  }

  /** Suppression and setpoint follow the tags they read. */
  private reconsider(rt: AlarmRuntime, sampled: Instant): void {
    // Another tag's sample (setpoint, suppression): its source time is not this alarm's value's.
    const at: Instant = { ...sampled, src: NaN };
    const ev = rt.def.evaluator;
    if (ev.kind === 'deviation' && ev.setpointTag) {
      const sp = this.tags.get(ev.setpointTag);
      const good = sp?.seen && sp.status >>> 30 === 0 && typeof sp.value === 'number';
      rt.setpoint = good ? (sp.value as number) : NaN;
      rt.thresholds = thresholdsOf(ev, rt.setpoint);
      const own = rt.def.tag === null ? undefined : this.tags.get(rt.def.tag);
      if (own?.seen) this.evaluate(rt, own, at);
    }
    // Also without rules: a reload that removes the rules of a suppressed alarm must show it. (Only the
    // config's alarms come here; a server's conditions are suppressed by the server.) A rule whose tag
    // has no fresh good value (lost, bad, not yet seen) keeps the suppression as it is: stale data
    // neither lifts nor imposes it; the next good value decides.
    const verdicts = rt.def.suppress.map((r) => ruleHolds(r, this.tags));
    const suppressed = verdicts.includes(true) ? true : verdicts.includes(null) ? rt.suppressed : false;
    this.setSuppressed(rt, suppressed, at);
  }

  private setSuppressed(rt: AlarmRuntime, suppressed: boolean, at: Instant): void {
    if (rt.suppressed === suppressed) return;
    const shown = rt.baseState !== 'A';
    rt.suppressed = suppressed;
    if (suppressed) this.hooks.touch(rt);
    else rt.rearm(at, this.hooks);
    if (shown) this.hooks.journal(rt, suppressed ? 'suppressed' : 'unsuppressed', at.wall);
  }

  /** The tag's latest status is its source's own "no communication", from a server known connected. */
  private sourceSaysNoComm(rt: AlarmRuntime, e: TagEntry): boolean {
    return !e.marker && rt.def.server !== null && this.connected.has(rt.def.server) && SOURCE_NO_COMM.has(codeOf(e.status));
  }

  /** The sampling interval (ms) servers granted tags' monitored items, at each subscribe (station module onGranted). */
  granted(granted: ReadonlyMap<string, number>): void {
    for (const [tag, ms] of granted) this.grantedMs.set(tag, ms);
  }

  /** A server connected or lost: its COMM alarm follows, and its alarms are suspect until fresh data comes. */
  serverState(server: string, connected: boolean): void {
    if (connected) this.connected.add(server);
    else this.connected.delete(server);
    const comm = this.comm.get(server);
    if (comm) {
      // The station's own knowledge, fresh whatever a restart restored.
      const at = this.instant();
      comm.held = false;
      this.setSuspect(comm, false);
      comm.step(connected ? 0 : 1, at, this.hooks);
      this.decideShelveEnd(comm, at.wall);
    }
    if (!connected) for (const rt of this.byServer.get(server) ?? []) this.hold(rt);
    // Time without the server is not time the value was seen to hold.
    if (!connected) for (const rt of this.watched) if (rt.def.server === server) rt.watch!.pause(this.mono());
  }

  /** Delays that ran out, shelves that expired, the flood window: call at least every 100 ms. */
  tick(): void {
    const at = this.instant();
    const now = at.wall;
    for (const rt of [...this.timed]) if (rt.deadline <= at.mono) rt.step(rt.desired, at, this.hooks);
    for (const rt of this.watched) this.watchFrozen(rt, at);
    for (const rt of [...this.shelvedTimed]) {
      // Its shelve ended otherwise (a one-shot one by the return to normal): nothing expires.
      if (!rt.shelve) {
        this.shelvedTimed.delete(rt);
        continue;
      }
      if (rt.shelveEnds > at.mono) continue;
      // Timed, or one-shot at its time limit (its return to normal did not come first).
      this.expireShelve(rt, now);
    }
    this.flood.update(at.mono, now);
  }

  /**
   * Restores states kept across a restart (before the first sample); they stay suspect until fresh
   * data. Server (A&C) rows are listed again as they were, so the ConditionRefresh that follows the
   * connection finds them known and journals no second activation. An alarm still unacknowledged and
   * active sounds again (B: "flashing, horn") until silenced or acknowledged.
   */
  restore(states: readonly PersistedAlarm[]): void {
    for (const p of states) {
      let rt = this.alarms.get(p.id);
      // A condition of a server still configured (it has its COMM alarm); one of a server removed is let go.
      if (!rt && p.serverCondition && this.comm.has(p.serverCondition.server)) rt = this.restoredServerRow(p);
      if (!rt) {
        this.endRemoved(p);
        continue;
      }
      if (!rt.restore(p)) {
        rt.endCondition(this.clock.now(), this.hooks, LIMIT_REMOVED);
        rt.showFirstSpec();
        // Not listed (never handed to a console): its kept state goes, else the next restart ends it again.
        this.dropped.push(p.id);
      }
      if (p.serverCondition && rt.def.kind === 'server') {
        rt.confirmed = p.serverCondition.confirmed;
        rt.serverGone = p.serverCondition.gone === true;
        // An Unshelve the server still owed when the station stopped: sent again (module.ts).
        if (rt.owedUnshelve) this.serverUnshelves.push({ id: rt.def.id, server: rt.owedUnshelve.server });
      }
      if (rt.active && !rt.acked) rt.annunciation = ++this.annunciations;
      const until = p.shelve?.until;
      // A shelve that ran out while the station was down ended then, not at the restart.
      if (until != null) {
        if (until <= this.clock.now()) this.expireShelve(rt, until);
        else this.shelveUntil(rt, until);
      }
      this.dirty.add(rt);
      // Marked not shelvable while the station was down: as define() does for an edit.
      if (rt.shelve && !rt.def.shelvable) this.endShelve(rt, this.clock.now(), null, null);
    }
  }

  /**
   * A timed shelve, or a one-shot one at its time limit, ends at `t` (wall clock): the alarm is
   * re-evaluated (spec case 14), unless its state is held (no fresh data since a restart, or lost):
   * then the first fresh value decides (decideShelveEnd), not the stale state.
   */
  private expireShelve(rt: AlarmRuntime, t: number): void {
    this.shelvedTimed.delete(rt);
    // A shelve its OPC UA server made ran out here: the server's next event still saying shelved
    // (lengthened there) is a move of the server's, to follow (not an operator's unshelve here).
    if (rt.def.kind === 'server' && rt.shelve?.by === serverShelveBy(rt.def.server ?? '')) rt.serverShelved = false;
    // Ran out here first (a one-shot one at the role's maximum, the server's longer): the server is not left hiding it.
    this.endAtServerToo(rt);
    rt.shelve = null;
    if (rt.held) {
      rt.shelveEndUndecided = true;
      this.hooks.journal(rt, 'shelveExpired', t);
      this.hooks.touch(rt);
      return;
    }
    rt.settleQuiet();
    this.hooks.journal(rt, 'shelveExpired', t);
    rt.reannunciate(t, this.hooks);
  }

  /** A timed shelve ends at `until` (wall clock, as shown and kept): timed from now on the monotonic clock. */
  protected shelveUntil(rt: AlarmRuntime, until: number): void {
    rt.shelveEnds = this.mono() + (until - this.clock.now());
    this.shelvedTimed.add(rt);
  }

  /**
   * A kept state whose alarm is no longer configured (removed while the station was down): the
   * journal's open activation ends, and the kept state is dropped (takeChanges' removed).
   */
  private endRemoved(p: PersistedAlarm): void {
    this.dropped.push(p.id);
    if (!(p.journalOpen ?? p.active)) return;
    const s = keptSpec(p);
    // Rows kept before the tag was: a station alarm's id is "<tag>/<kind>".
    const tag = p.tag !== undefined ? p.tag : (p.serverCondition?.source ?? (p.id.slice(0, Math.max(0, p.id.lastIndexOf('/'))) || null));
    this.journal.push({
      t: this.clock.now(), alarmId: p.id, tag, area: p.area ?? p.serverCondition?.area ?? null, condition: p.condition, event: 'cleared', state: 'A',
      // In the station's words it was kept with (as a removal while running journals them), not their English alone.
      value: null, valueSuspect: false, priority: s.priority, user: null, comment: ALARM_REMOVED, message: s.message, text: s.text ?? null,
    });
  }

  /** With the station's own words it was kept with (its notice row's catalog message), not only their English. */
  private restoredServerRow(p: PersistedAlarm): AlarmRuntime {
    const text = keptText(p);
    return this.addServerCondition(serverDef({ id: p.id, ...p.serverCondition!, ...(text && { text }) }));
  }

  get(id: string): AlarmRuntime | undefined {
    return this.alarms.get(id);
  }

  /** Journal lines since the last call. */
  /** The shelves to end at their servers (module.ts sends the Unshelve), since the last call. */
  takeServerUnshelves(): { id: string; server: string }[] {
    const out = this.serverUnshelves;
    this.serverUnshelves = [];
    return out;
  }

  /** A shelve this station made at the condition's server ends here otherwise than by the server or an operator's unshelve: so there too. */
  protected endAtServerToo(rt: AlarmRuntime): void {
    const server = rt.shelve?.atServer;
    if (server === undefined) return;
    rt.owedUnshelve = { server, since: this.clock.now(), refusal: null };
    this.serverUnshelves.push({ id: rt.def.id, server });
  }

  takeJournal(): JournalDraft[] {
    const out = this.journal;
    this.journal = [];
    return out;
  }

  /** Rows changed since the last call; with values, also rows whose value alone moved. */
  takeChanges(withValues = false): Changes {
    const out: Changes = { rows: [], removed: this.dropped, persist: [] };
    this.dropped = [];
    const visit = (rt: AlarmRuntime, persist: boolean) => {
      if (rt.listed) {
        out.rows.push(rowOf(rt, this.silencedAt));
        this.onList.add(rt.def.id);
        rt.shown = true;
        if (persist) out.persist.push(rt.persisted());
      } else {
        rt.shown = false;
        if (this.onList.delete(rt.def.id)) out.removed.push(rt.def.id);
      }
    };
    for (const rt of this.dirty) visit(rt, true);
    if (withValues) for (const rt of this.moved) if (!this.dirty.has(rt)) visit(rt, false);
    this.dirty.clear();
    if (withValues) this.moved.clear();
    return out;
  }

  /** Delays or timed shelves are running: tick() has work due at some time. */
  get hasTimers(): boolean {
    return this.timed.size > 0 || this.shelvedTimed.size > 0;
  }

  get pendingChanges(): boolean {
    return this.dirty.size > 0 || this.dropped.length > 0 || this.journal.length > 0;
  }

  rows(): AlarmRow[] {
    const rows: AlarmRow[] = [];
    for (const rt of this.alarms.values()) if (rt.listed) rows.push(rowOf(rt, this.silencedAt));
    return rows;
  }

  summary(): AlarmSummary {
    return summarize(this.alarms.values(), this.silencedAt, this.flood, this.mono());
  }

  snapshot(version: number): AlarmList {
    return { version, now: this.clock.now(), rows: this.rows(), summary: this.summary() };
  }

  definitions(): AlarmDef[] {
    return [...this.alarms.values()].map((rt) => rt.def);
  }

  protected addServerCondition(def: AlarmDef): AlarmRuntime {
    const rt = new AlarmRuntime(def);
    const server = def.server ?? '';
    this.alarms.set(def.id, rt);
    (this.byServer.get(server) ?? this.byServer.set(server, []).get(server)!).push(rt);
    return rt;
  }

  protected markDirty(rt: AlarmRuntime): void {
    this.dirty.add(rt);
  }

  protected nextAnnunciation(): number {
    return this.annunciations;
  }
}
