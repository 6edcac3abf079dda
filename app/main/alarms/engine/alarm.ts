/**
 * One alarm's state (ISA-18.2 A–H) and the transitions of the spec. The
 * process part (active, acked, latched, level) always follows the value, even
 * while the alarm is shelved, suppressed or out of service, so that leaving
 * those states re-evaluates from the truth. The engine owns the timing and
 * passes `now`; this class reports through Hooks (journal, annunciation,
 * revision and deadline bookkeeping).
 */
import type { AlarmCondition, AlarmState, JournalEvent } from '../../../shared/api.js';
import { firstSpec, isRise, specOf, thresholdsOf, type Thresholds } from './levels.js';
import type { AlarmDef, ConditionSpec, OutOfServiceState, PersistedAlarm, ShelveState, Value } from './types.js';

export interface Hooks {
  journal(rt: AlarmRuntime, event: JournalEvent, now: number, user?: string | null, comment?: string | null): void;
  /** Something the operator judges by changed: bump the revision. */
  touch(rt: AlarmRuntime): void;
  annunciate(rt: AlarmRuntime, now: number): void;
  /** The alarm's deadline changed (NaN: none). */
  schedule(rt: AlarmRuntime): void;
}

export class AlarmRuntime {
  thresholds: Thresholds;
  setpoint = NaN;
  /** The level in effect (0: normal), after delays. */
  level = 0;
  /** The level the latest value calls for. */
  desired = 0;
  /** A level waiting for its on- or off-delay, since `since` (NaN: nothing waiting). */
  candidate = 0;
  since = NaN;
  deadline = NaN;

  condition: AlarmCondition;
  spec: ConditionSpec;
  active = false;
  acked = true;
  /** OPC UA ConfirmedState for server conditions; null where confirm does not apply. */
  confirmed: boolean | null = null;
  latched = false;
  suppressed = false;
  suspect = false;
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

  constructor(public def: AlarmDef) {
    this.thresholds = thresholdsOf(def.evaluator, NaN);
    this.spec = firstSpec(def.evaluator);
    this.condition = this.spec.condition;
  }

  /** New definition (engineer edit): keeps the state, takes the new limits, priorities and delays. */
  redefine(def: AlarmDef): void {
    this.def = def;
    this.thresholds = thresholdsOf(def.evaluator, this.setpoint);
    const level = this.holds(this.level) ? this.lastLevel() : this.level;
    this.spec = specOf(def.evaluator, level) ?? specOf(def.evaluator, this.lastLevel()) ?? firstSpec(def.evaluator);
    this.condition = this.spec.condition;
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

  /** The on/off-delay state machine: called with the level the value calls for. */
  step(d: number, now: number, h: Hooks): void {
    this.desired = d;
    if (d === this.level) {
      if (!Number.isNaN(this.since)) this.cancelPending(h);
      return;
    }
    if (d !== this.candidate || Number.isNaN(this.since)) {
      const keep = !Number.isNaN(this.since) && sameMove(this.level, this.candidate, d);
      this.candidate = d;
      if (!keep) this.since = now;
    }
    const delay = isRise(this.level, d) ? this.def.onDelayMs : this.def.offDelayMs;
    if (now - this.since >= delay) {
      this.since = NaN;
      this.setDeadline(NaN, h);
      this.apply(d, now, h);
    } else this.setDeadline(this.since + delay, h);
  }

  cancelPending(h: Hooks): void {
    this.candidate = this.level;
    this.since = NaN;
    this.setDeadline(NaN, h);
  }

  private setDeadline(t: number, h: Hooks): void {
    if (t === this.deadline || (Number.isNaN(t) && Number.isNaN(this.deadline))) return;
    this.deadline = t;
    h.schedule(this);
  }

  private apply(d: number, now: number, h: Hooks): void {
    const from = this.level;
    this.level = d;
    this.candidate = d;
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
      if (this.active) {
        this.clearAck();
        h.annunciate(this, now);
        h.journal(this, 'reannunciated', now);
      } else this.settleQuiet();
    }
    h.touch(this);
  }

  /**
   * Leaving F, G or H normal and unlatched: nothing left to acknowledge (reannunciate). Called
   * before the journal line that says it left too, so that line shows the state it is left in
   * (it had read "RTN unack" while the alarm was already off the lists).
   */
  settleQuiet(): void {
    if (this.visible && !this.active && !this.latched && !this.acked) this.acked = true;
  }

  /**
   * Leaving design suppression: a condition present or pending under
   * suppression was expected then; now it must pass its on-delay like a new
   * activation (a pump stopping closes its valve within the delay and raises
   * nothing). The process part re-arms even while shelved or out of service:
   * it follows the truth, and leaving those re-evaluates from it.
   */
  rearm(now: number, h: Hooks): void {
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
    else this.step(this.desired, now, h);
    if (wasActive) h.touch(this);
    else this.reannunciate(now, h);
  }

  persisted(): PersistedAlarm {
    return {
      id: this.def.id, level: this.level, condition: this.condition, active: this.active, acked: this.acked, latched: this.latched,
      activatedAt: this.activatedAt, annunciatedAt: this.annunciatedAt, ackedAt: this.ackedAt, ackUser: this.ackUser,
      ackComment: this.ackComment, returnedAt: this.returnedAt, valueAtActivation: this.valueAtActivation,
      shelve: this.shelve, outOfService: this.outOfService, revision: this.revision, suppressed: this.suppressed, journalOpen: this.journalOpen,
      ...(this.def.kind === 'server' && {
        serverCondition: {
          server: this.def.server ?? '', source: this.def.tag, area: this.def.area, message: this.spec.message, priority: this.spec.priority, confirmed: this.confirmed,
        },
      }),
    };
  }

  /** After a restart: the state as it was, suspect until fresh data arrives. */
  restore(p: PersistedAlarm): void {
    Object.assign(this, {
      level: p.level, desired: p.level, candidate: p.level, active: p.active, acked: p.acked, latched: p.latched,
      activatedAt: p.activatedAt, annunciatedAt: p.annunciatedAt, ackedAt: p.ackedAt, ackUser: p.ackUser, ackComment: p.ackComment,
      returnedAt: p.returnedAt, valueAtActivation: p.valueAtActivation, shelve: p.shelve, outOfService: p.outOfService,
      revision: p.revision, suspect: true, journalOpen: p.journalOpen ?? p.active,
      // Kept only while something can lift it: the config's rules (a reload may have removed them), or the server's word.
      suppressed: (p.suppressed ?? false) && (this.def.kind === 'server' || this.def.suppress.length > 0),
    });
    // A latching alarm's row may hold a more severe limit than its level (holds()): its condition says which.
    const latchedSpec = this.def.latching ? specsByCondition(this.def, p.condition) : null;
    this.spec = latchedSpec ?? specOf(this.def.evaluator, p.level) ?? specsByCondition(this.def, p.condition) ?? firstSpec(this.def.evaluator);
    this.condition = this.spec.condition;
  }
}

function specsByCondition(def: AlarmDef, c: AlarmCondition): ConditionSpec | null {
  const e = def.evaluator;
  const all = e.kind === 'limit' ? [e.hh, e.h, e.l, e.ll] : e.kind === 'deviation' ? [e.high, e.low] : [e.spec];
  return all.find((s) => s?.condition === c) ?? null;
}

/**
 * Whether a new candidate continues the same move (keeps the delay's start): further up, or further
 * down short of normal. A return to normal always starts its off-delay afresh: the spec counts it
 * from the value being normal ("normal beyond deadband for the off-delay"), not from leaving HH.
 */
function sameMove(level: number, candidate: number, d: number): boolean {
  if (d === 0) return false;
  const up = isRise(level, d);
  if (up !== isRise(level, candidate)) return false;
  return !up || Math.sign(candidate) === Math.sign(d);
}
