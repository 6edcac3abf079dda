/**
 * One alarm's state (ISA-18.2 A–H) and the transitions of the spec. The
 * process part (active, acked, latched, level) always follows the value, even
 * while the alarm is shelved, suppressed or out of service, so that leaving
 * those states re-evaluates from the truth. The engine owns the timing and
 * passes `now`; this class reports through Hooks (journal, annunciation,
 * revision and deadline bookkeeping).
 */
import type { AlarmCondition, AlarmState, JournalEvent } from '../../../shared/api.js';
import { FrozenWatch } from './frozen.js';
import { firstSpec, isRise, specOf, thresholdsOf, type Thresholds } from './levels.js';
import { keptRaisedText, takesRaisedText, withRaisedText } from './station-condition.js';
import type { AlarmDef, ConditionSpec, Instant, OutOfServiceState, OwedUnshelve, PersistedAlarm, RaisedText, ShelveState, Value } from './types.js';

/**
 * A level waiting for its on- or off-delay: since when the value calls for it, by the station's
 * monotonic clock (its arrival) and by the source's clock (NaN: not from a sample).
 */
export interface Pending {
  level: number;
  mono: number;
  src: number;
}

export interface Hooks {
  journal(rt: AlarmRuntime, event: JournalEvent, now: number, user?: string | null, comment?: string | null): void;
  /** Something the operator judges by changed: bump the revision. */
  touch(rt: AlarmRuntime): void;
  annunciate(rt: AlarmRuntime, now: number): void;
  /** The alarm's deadline changed (NaN: none). */
  schedule(rt: AlarmRuntime): void;
}

/** The journal's comment on an activation ended by a configuration edit (station text, like 'one-shot: returned to normal'). */
export const LIMIT_REMOVED = 'condition removed from configuration';
export const ALARM_REMOVED = 'alarm removed from configuration';

export class AlarmRuntime {
  thresholds: Thresholds;
  setpoint = NaN;
  /** The level in effect (0: normal), after delays. */
  level = 0;
  /** The level the latest value calls for. */
  desired = 0;
  /**
   * Levels waiting for their delays, in the order the move reaches them (a rise 0 -> HH waits for H
   * and HH, each from when the value reached it); empty: nothing waiting.
   */
  pending: Pending[] = [];
  /** When the first pending delay runs out, on the monotonic clock (NaN: none). */
  deadline = NaN;
  /** When a timed shelve ends, on the monotonic clock (NaN: not shelved for a time). */
  shelveEnds = NaN;

  condition: AlarmCondition;
  spec: ConditionSpec;
  active = false;
  acked = true;
  /** OPC UA ConfirmedState for server conditions; null where confirm does not apply. */
  confirmed: boolean | null = null;
  latched = false;
  suppressed = false;
  suspect = false;
  /**
   * The state is held from data that is not live (kept across a restart with no sample since, lost,
   * bad): unlike an uncertain value, nothing can be decided on it.
   */
  held = false;
  /** A shelve ended while the state was held: the first fresh value decides whether it annunciates again. */
  shelveEndUndecided = false;
  shelve: ShelveState | null = null;
  outOfService: OutOfServiceState | null = null;

  /** The latest usable value (good or uncertain): a bad or lost sample leaves the last one here. */
  value: Value = null;
  /** The latest sample was bad, lost or stale: `value` is an older one, and the journal says null. */
  valueStale = false;
  /**
   * A bad-quality alarm's value is not good (bad or uncertain): its state is sure (the status is the
   * news, so not `suspect`: resets and re-arming go on), but the row flags its value as suspect.
   */
  valueSuspect = false;
  valueAtActivation: Value = null;
  activatedAt: number | null = null;
  annunciatedAt: number | null = null;
  ackedAt: number | null = null;
  ackUser: string | null = null;
  ackComment: string | null = null;
  returnedAt: number | null = null;
  revision = 0;
  /** Order of the last annunciation: the horn sounds for those after the last silence. */
  annunciation = 0;
  /** Rate of change: the reference point of the current window. */
  refT = NaN;
  refV = NaN;
  /** On the list consoles hold: value changes are published for it. */
  shown = false;
  /** The journal's last process line is an activation: its end is journaled even out of service. */
  journalOpen = false;
  /** Server conditions: the console user whose ack or confirm was sent, journaled when the server reports it. */
  pendingAck: { user: string; comment: string | null } | null = null;
  pendingConfirm: { user: string; comment: string | null } | null = null;
  /** Server conditions: the server no longer reports it (Retain false, or not refreshed): an ack of it is the station's. */
  serverGone = false;
  /** Server conditions: whether the server last reported it shelved (null: not said): its shelve follows the server's moves only. */
  serverShelved: boolean | null = null;
  /** Server conditions: the server's last report of its ShelvingState, whatever the priority (null: not said). */
  serverSaysShelved: boolean | null = null;
  /** Server conditions: a shelve made at the server that the station ended, not yet unshelved there. */
  owedUnshelve: OwedUnshelve | null = null;
  /** Raised with the text of the moment (takesRaisedText): the text of its last journal line, kept across a restart. */
  raisedText: RaisedText | null = null;
  /** Frozen-value alarms: how long the value has held (null for other kinds). */
  readonly watch: FrozenWatch | null;

  constructor(public def: AlarmDef) {
    this.thresholds = thresholdsOf(def.evaluator, NaN);
    this.watch = def.evaluator.kind === 'frozen' ? new FrozenWatch() : null;
    this.spec = firstSpec(def.evaluator);
    this.condition = this.spec.condition;
  }

  /**
   * New definition (engineer edit): keeps the state, takes the new limits, priorities and delays. A
   * condition the row holds that the new definition no longer has (its limit removed) ends: it is
   * not shown as another condition (an H as HH, P1).
   */
  redefine(def: AlarmDef, now: number, h: Hooks): void {
    if (this.baseState !== 'A' && specsByCondition(def, this.condition) === null) this.endCondition(now, h, LIMIT_REMOVED);
    // A level the definition no longer has waits for nothing (the value is evaluated again at once).
    this.pending = this.pending.filter((p) => p.level === 0 || specOf(def.evaluator, p.level) !== null);
    this.def = def;
    this.thresholds = thresholdsOf(def.evaluator, this.setpoint);
    const level = this.holds(this.level) ? this.lastLevel() : this.level;
    this.spec = specOf(def.evaluator, level) ?? specOf(def.evaluator, this.lastLevel()) ?? firstSpec(def.evaluator);
    this.condition = this.spec.condition;
  }

  /**
   * The condition the row holds is no longer configured (its limit, or the whole alarm, removed):
   * its activation ends, journaled under that condition with why, and nothing is left to
   * acknowledge or reset. The value is evaluated again from normal under what is configured.
   */
  endCondition(now: number, h: Hooks, why: string): void {
    const wasActive = this.active;
    this.cancelPending(h);
    this.level = this.desired = 0;
    this.active = this.latched = false;
    this.acked = true;
    if (wasActive) this.returnedAt = now;
    if (wasActive || this.journalOpen) h.journal(this, 'cleared', now, null, why);
    h.touch(this);
  }

  private lastLevel(): number {
    const e = this.def.evaluator;
    if (e.kind !== 'limit' && e.kind !== 'deviation') return 1;
    const byCondition: Partial<Record<AlarmCondition, number>> = { HH: 2, H: 1, L: -1, LL: -2, DEVH: 1, DEVL: -1 };
    return byCondition[this.condition] ?? 0;
  }

  get visible(): boolean {
    return this.outOfService === null && this.shelve === null && !this.suppressed;
  }

  /** The process state: A–E. */
  get baseState(): AlarmState {
    if (this.active) return this.acked ? 'C' : 'B';
    if (this.latched) return 'E';
    return this.acked ? 'A' : 'D';
  }

  /** What the row shows: H > F > G over the process state. */
  get state(): AlarmState {
    if (this.outOfService) return 'H';
    if (this.shelve) return 'F';
    const base = this.baseState;
    return this.suppressed && base !== 'A' ? 'G' : base;
  }

  /** On the alarm list: anything but a plain, unshelved, in-service normal (a server condition waiting for confirm stays). */
  get listed(): boolean {
    return this.state !== 'A' || this.confirmed === false;
  }

  /** What the row says: its state may be out of date, or its value is not a good one. */
  get rowSuspect(): boolean {
    return this.suspect || this.valueSuspect;
  }

  get priority(): number {
    return this.spec.priority;
  }

  get waiting(): boolean {
    return this.pending.length > 0;
  }

  /**
   * The on/off-delay state machine: called with the level the value calls for. ISA-18.2 times a
   * delay over the process: a level is due when its delay has passed since the value called for it,
   * by the station's clock (a value that holds sends no sample: the ticks) or by the source's times
   * from the sample that started it to a later one (samples held up in transit and delivered
   * together still show how long the value was there).
   */
  step(d: number, at: Instant, h: Hooks): void {
    this.desired = d;
    this.settle(at, h);
    if (d === this.level) {
      if (this.waiting) this.cancelPending(h);
      return;
    }
    this.pending = this.movesTo(d).map((level) => this.pending.find((p) => p.level === level) ?? { level, mono: at.mono, src: at.src });
    this.settle(at, h);
    this.reschedule(h);
  }

  /**
   * Applies the furthest pending level whose delay has passed by `at` (the new sample, before it
   * changes what is pending: the value was there until at least its source time). Journaled now
   * when the station's clock saw the delay pass (as ever); when only the source's times show it (the
   * samples came late or together), at the source's time it ran out: when the process did it. Never
   * after now (a source clock ahead), never before the alarm's last activation or return (a late
   * sample's time behind the station's).
   */
  settle(at: Instant, h: Hooks): void {
    let due = -1;
    let t = at.wall;
    this.pending.forEach((p, i) => {
      const delay = this.delayTo(p.level);
      const byStation = at.mono - p.mono >= delay;
      if (byStation || at.src - p.src >= delay) {
        due = i;
        t = byStation ? at.wall : Math.max(Math.min(at.wall, p.src + delay), this.activatedAt ?? -Infinity, this.returnedAt ?? -Infinity);
      }
    });
    if (due < 0) return;
    const level = this.pending[due]!.level;
    this.pending = this.pending.slice(due + 1);
    this.apply(level, t, h);
    this.reschedule(h);
  }

  /** The deadline: when the first pending delay runs out. */
  private reschedule(h: Hooks): void {
    this.setDeadline(this.pending.reduce((t, p) => Math.min(t, p.mono + this.delayTo(p.level)), Infinity), h);
  }

  /**
   * The levels a move to d passes, each timed from when the value reached it: a rise 0 -> HH passes
   * H (above 80 since the first sample) and HH (above 90 since it got there), so neither inherits the
   * other's start. Levels the definition lacks (no H limit) are passed over. A fall waits for d alone.
   */
  private movesTo(d: number): number[] {
    if (!isRise(this.level, d)) return [d];
    const out: number[] = [];
    for (let l = Math.sign(d); Math.abs(l) <= Math.abs(d); l += Math.sign(d)) {
      if (isRise(this.level, l) && (l === d || specOf(this.def.evaluator, l) !== null)) out.push(l);
    }
    return out;
  }

  private delayTo(level: number): number {
    return isRise(this.level, level) ? this.def.onDelayMs : this.def.offDelayMs;
  }

  cancelPending(h: Hooks): void {
    this.pending = [];
    this.setDeadline(NaN, h);
  }

  private setDeadline(t: number, h: Hooks): void {
    if (!Number.isFinite(t)) t = NaN;
    if (t === this.deadline || (Number.isNaN(t) && Number.isNaN(this.deadline))) return;
    this.deadline = t;
    h.schedule(this);
  }

  private apply(d: number, now: number, h: Hooks): void {
    const from = this.level;
    this.level = d;
    if (d === 0) return this.returnToNormal(now, h);
    const held = this.holds(d);
    const spec = held ? this.spec : (specOf(this.def.evaluator, d) as ConditionSpec);
    // A latching alarm's row stays at the most severe limit it reached: back between H and HH, and
    // up through HH again, the value moved, the row did not (it was not reset).
    if (from !== 0 && spec === this.spec) return;
    this.spec = spec;
    this.condition = spec.condition;
    this.valueAtActivation = this.value;
    if (from === 0 || isRise(from, d)) {
      const fresh = from === 0;
      if (fresh) {
        // A latch holds through a new activation: only a reset clears it.
        this.active = true;
        this.activatedAt = now;
        this.returnedAt = null;
      }
      this.clearAck();
      h.annunciate(this, now);
      h.journal(this, fresh ? 'activated' : 'escalated', now);
    } else h.journal(this, 'limitChanged', now);
    h.touch(this);
  }

  /**
   * A latching alarm, active or latched, keeps its row's limit when level d is a less severe one on
   * the same side (HH -> H): ISA-18.2's latch holds what was annunciated until an operator resets
   * it, and a row that slid down to H told nobody the gas had passed HH.
   */
  private holds(d: number): boolean {
    if (!this.def.latching || !(this.active || this.latched)) return false;
    const shown = this.lastLevel();
    return Math.sign(shown) === Math.sign(d) && Math.abs(shown) > Math.abs(d);
  }

  private returnToNormal(now: number, h: Hooks): void {
    this.active = false;
    this.returnedAt = now;
    // The return path decides a shelve end that waited for fresh data (spec case 14: normal -> no horn).
    this.shelveEndUndecided = false;
    if (this.def.latching) {
      this.latched = true;
      h.journal(this, 'latched', now);
    } else h.journal(this, this.acked ? 'cleared' : 'returned', now);
    if (this.shelve?.oneShot) {
      // One-shot shelving ends with the return to normal: the next activation annunciates.
      this.shelve = null;
      this.settleQuiet();
      h.journal(this, 'unshelved', now, null, 'one-shot: returned to normal');
      this.reannunciate(now, h);
    }
    h.touch(this);
  }

  clearAck(): void {
    this.acked = false;
    this.ackedAt = null;
    this.ackUser = null;
    this.ackComment = null;
  }

  /** Returns false when there was nothing to acknowledge. */
  acknowledge(user: string, comment: string | null, now: number, h: Hooks): boolean {
    if (this.acked) return false;
    this.acked = true;
    this.ackedAt = now;
    this.ackUser = user;
    this.ackComment = comment;
    h.journal(this, 'acknowledged', now, user, comment);
    h.touch(this);
    return true;
  }

  /**
   * Leaving F, G or H: annunciate again if still active; a normal, unlatched
   * alarm is simply normal (its missed return needs no acknowledgement).
   * Still hidden by another of them (e.g. a shelve expiring while suppressed),
   * only the row changes.
   */
  reannunciate(now: number, h: Hooks): void {
    if (this.visible) {
      if (this.active && !this.ackIsServers) this.clearAck();
      // A server condition's ack state is its server's (ISA-18.2: leaving F does not change it):
      // one acknowledged there comes back acknowledged (C, no horn); cleared here, the server's
      // next event journaled an ack by "server" nobody made.
      if (this.active && !this.acked) {
        h.annunciate(this, now);
        h.journal(this, 'reannunciated', now);
      } else if (!this.active) this.settleQuiet();
    }
    h.touch(this);
  }

  /** A server condition its server still reports: acknowledged or not as the server says, never by the station. */
  get ackIsServers(): boolean {
    return this.def.kind === 'server' && !this.serverGone;
  }

  /**
   * Leaving F, G or H normal and unlatched: nothing left to acknowledge (reannunciate), unless the
   * acknowledgement is a server's (ackIsServers). Called
   * before the journal line that says it left too, so that line shows the state it is left in
   * (it had read "RTN unack" while the alarm was already off the lists).
   */
  settleQuiet(): void {
    // Not a server's return still unacknowledged there (D): it stays listed for an ack sent to the server.
    if (this.visible && !this.active && !this.latched && !this.acked && !this.ackIsServers) this.acked = true;
  }

  /**
   * Leaving design suppression: a condition present or pending under
   * suppression was expected then; now it must pass its on-delay like a new
   * activation (a pump stopping closes its valve within the delay and raises
   * nothing). The process part re-arms even while shelved or out of service:
   * it follows the truth, and leaving those re-evaluates from it.
   */
  rearm(at: Instant, h: Hooks): void {
    const now = at.wall;
    const wasActive = this.active;
    if (wasActive) {
      this.active = false;
      this.level = 0;
      this.acked = true;
      // The activation expected under suppression ends here: the journal says so (else it stays
      // open, and the KPI calls a normal alarm stale). A condition still present starts anew.
      h.journal(this, 'cleared', now);
    }
    this.cancelPending(h);
    // Data that cannot be trusted (lost, stale, a restart's) does not start anything: the next
    // fresh value is evaluated from here, as a new activation.
    if (this.suspect) this.desired = this.level;
    else this.step(this.desired, at, h);
    if (wasActive) h.touch(this);
    else this.reannunciate(now, h);
  }

  persisted(): PersistedAlarm {
    return {
      id: this.def.id, level: this.level, condition: this.condition, active: this.active, acked: this.acked, latched: this.latched,
      activatedAt: this.activatedAt, annunciatedAt: this.annunciatedAt, ackedAt: this.ackedAt, ackUser: this.ackUser,
      ackComment: this.ackComment, returnedAt: this.returnedAt, valueAtActivation: this.valueAtActivation,
      shelve: this.shelve, outOfService: this.outOfService, revision: this.revision, suppressed: this.suppressed, journalOpen: this.journalOpen,
      ...(this.shelveEndUndecided && { shelveEndUndecided: true }),
      tag: this.def.tag, area: this.def.area, priority: this.spec.priority, message: this.spec.message,
      ...(this.raisedText && { raisedText: this.raisedText }),
      ...(this.spec.text && { text: this.spec.text }),
      ...(this.def.kind === 'server' && {
        serverCondition: {
          server: this.def.server ?? '', source: this.def.tag, area: this.def.area, message: this.spec.message, priority: this.spec.priority, confirmed: this.confirmed,
          ...(this.serverGone && { gone: true }),
        },
        ...(this.owedUnshelve && { owedUnshelve: this.owedUnshelve }),
      }),
    };
  }

  /**
   * After a restart: the state as it was, suspect until fresh data arrives. Returns false when the
   * condition the row held is no longer configured (its limit removed while the station was down):
   * the row then holds that condition as it was kept, for the caller to end (endCondition).
   */
  restore(p: PersistedAlarm): boolean {
    Object.assign(this, {
      level: p.level, desired: p.level, pending: [], active: p.active, acked: p.acked, latched: p.latched,
      activatedAt: p.activatedAt, annunciatedAt: p.annunciatedAt, ackedAt: p.ackedAt, ackUser: p.ackUser, ackComment: p.ackComment,
      returnedAt: p.returnedAt, valueAtActivation: p.valueAtActivation, shelve: p.shelve, outOfService: p.outOfService,
      revision: p.revision, suspect: true, held: true, shelveEndUndecided: p.shelveEndUndecided === true, journalOpen: p.journalOpen ?? p.active,
      // Kept only while something can lift it: the config's rules (a reload may have removed them), or the server's word.
      suppressed: (p.suppressed ?? false) && (this.def.kind === 'server' || this.def.suppress.length > 0),
      // Still owed after a restart: else the server's next report of the shelve it kept was taken as its own new one (hidden again).
      owedUnshelve: this.def.kind === 'server' ? p.owedUnshelve ?? null : null,
    });
    const listed = p.active || p.latched || !p.acked;
    // Still on the list: it says what it was last journaled with (which upstream, what was lost), not the definition's generic text.
    const raised = listed && takesRaisedText(this.def) ? keptRaisedText(p) : null;
    if (raised) this.def = withRaisedText(this.def, raised);
    this.raisedText = raised;
    // A latching alarm's row may hold a more severe limit than its level (holds()): its condition says which.
    const latchedSpec = this.def.latching ? specsByCondition(this.def, p.condition) : null;
    const held = latchedSpec ?? specOf(this.def.evaluator, p.level) ?? specsByCondition(this.def, p.condition);
    this.spec = held ?? (listed ? keptSpec(p) : firstSpec(this.def.evaluator));
    this.condition = this.spec.condition;
    return held !== null || !listed;
  }

  /** A normal row shows its definition's most urgent condition (after endCondition of a removed one). */
  showFirstSpec(): void {
    this.spec = firstSpec(this.def.evaluator);
    this.condition = this.spec.condition;
  }
}

/**
 * The condition a kept row held, as it was kept (its priority and message; rows kept before they
 * were: the lowest priority and no message), for the journal line that ends it.
 */
export function keptSpec(p: PersistedAlarm): ConditionSpec {
  const text = keptText(p);
  return {
    condition: p.condition, limit: null, priority: p.priority ?? p.serverCondition?.priority ?? 4, message: p.message ?? p.serverCondition?.message ?? '', rationalization: null,
    ...(text && { text }),
  };
}

/** The row's kept catalog message, if in the shape written (older rows have none): else null, the English `message` alone. */
export function keptText(p: PersistedAlarm): NonNullable<ConditionSpec['text']> | null {
  const t = p.text as Partial<NonNullable<ConditionSpec['text']>> | undefined;
  return typeof t?.key === 'string' && typeof t.params === 'object' && t.params !== null ? (t as NonNullable<ConditionSpec['text']>) : null;
}

function specsByCondition(def: AlarmDef, c: AlarmCondition): ConditionSpec | null {
  const e = def.evaluator;
  const all = e.kind === 'limit' ? [e.hh, e.h, e.l, e.ll] : e.kind === 'deviation' ? [e.high, e.low] : [e.spec];
  return all.find((s) => s?.condition === c) ?? null;
}
