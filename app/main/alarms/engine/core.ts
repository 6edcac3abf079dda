/**
 * The alarm engine: every acquired sample evaluated against its tag's alarms,
 * delays and shelve expiry on tick(), server loss and return, design
 * suppression from other tags. Pure: no I/O, no timers, time from the Clock.
 * What changed is taken by the caller (takeChanges, takeJournal), which
 * journals, persists and publishes it. Operator actions: engine.ts.
 */
import type { AlarmList, AlarmRow, AlarmSummary, JournalEvent } from '../../../shared/api.js';
import { AlarmRuntime, type Hooks } from './alarm.js';
import { FloodWindow, type FloodSettings } from './flood.js';
import { thresholdsOf } from './levels.js';
import { indexAlarms, levelOf, ruleHolds, type TagEntry } from './tags.js';
import { rowOf, summarize } from './row.js';
import { serverDef, type ServerCondition } from './server-condition.js';
import { isCommStatus } from './status.js';
import { keepRaisedText } from './station-condition.js';
import type { AlarmDef, Clock, JournalDraft, PersistedAlarm, Value } from './types.js';

export interface EngineSample {
  tag: string;
  /** Source time (ms UTC): used for rates of change. */
  t: number;
  value: Value;
  status: number;
}

/** Process transitions an out-of-service alarm does not journal (it is tracked, not recorded). */
const processEvents = new Set<JournalEvent>(['activated', 'escalated', 'limitChanged', 'returned', 'cleared', 'latched']);

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
  protected readonly timed = new Set<AlarmRuntime>();
  protected readonly shelvedTimed = new Set<AlarmRuntime>();
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
        if (rt.outOfService && processEvents.has(event)) return;
        const d = rt.def;
        this.journal.push({
          t: now, alarmId: d.id, tag: d.tag, area: d.area, condition: rt.condition, event, state: rt.state,
          value: rt.value, priority: rt.spec.priority, user, comment, message: rt.spec.message,
        });
      },
      touch: (rt) => {
        rt.revision++;
        this.dirty.add(rt);
      },
      annunciate: (rt, now) => {
        rt.annunciation = ++this.annunciations;
        rt.annunciatedAt = now;
        if (rt.visible) this.flood.add(now);
      },
      schedule: (rt) => (Number.isNaN(rt.deadline) ? this.timed.delete(rt) : this.timed.add(rt)),
    };
    this.define(defs);
  }

  /** Takes a new set of definitions; alarms that keep their id keep their state and are re-evaluated at once. */
  define(defs: readonly AlarmDef[]): void {
    const next = new Map<string, AlarmRuntime>();
    const redo: AlarmRuntime[] = [];
    for (const given of defs) {
      let rt = this.alarms.get(given.id);
      const def = rt ? keepRaisedText(given, rt.def) : given;
      if (!rt) redo.push((rt = new AlarmRuntime(def)));
      else if (JSON.stringify(rt.def) !== JSON.stringify(def)) {
        rt.redefine(def);
        this.hooks.touch(rt);
        redo.push(rt);
      }
      next.set(def.id, rt);
    }
    for (const [id, rt] of this.alarms) {
      if (next.has(id)) continue;
      if (rt.def.kind === 'server') next.set(id, rt); // server conditions are the server's, not the config's
      else this.forget(rt);
    }
    this.alarms = next;
    this.index();
    const now = this.clock.now();
    for (const rt of redo) {
      const own = rt.def.tag === null ? undefined : this.tags.get(rt.def.tag);
      this.reconsider(rt, now);
      if (own?.seen) this.evaluate(rt, own, now);
    }
  }

  private forget(rt: AlarmRuntime): void {
    if (this.onList.delete(rt.def.id)) this.dropped.push(rt.def.id);
    this.timed.delete(rt);
    this.shelvedTimed.delete(rt);
    this.dirty.delete(rt);
    this.moved.delete(rt);
  }

  private index(): void {
    ({ byServer: this.byServer, comm: this.comm } = indexAlarms(this.alarms.values(), this.tags));
  }

  /** Evaluates acquired samples at the clock's time. */
  ingest(samples: readonly EngineSample[]): void {
    const now = this.clock.now();
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      const e = this.tags.get(s.tag);
      if (e === undefined) continue;
      const changed = !e.seen || e.value !== s.value || e.status !== s.status;
      e.value = s.value;
      e.status = s.status;
      e.t = s.t;
      e.seen = true;
      const alarms = e.alarms;
      for (let k = 0; k < alarms.length; k++) this.evaluate(alarms[k]!, e, now);
      if (changed) for (const rt of e.dependents) this.reconsider(rt, now);
    }
  }

  private evaluate(rt: AlarmRuntime, e: TagEntry, now: number): void {
    rt.value = e.value;
    if (rt.shown) this.moved.add(rt);
    const status = e.status;
    const severity = status >>> 30;
    const kind = rt.def.evaluator.kind;
    if (isCommStatus(status) || (kind === 'deviation' && Number.isNaN(rt.setpoint))) return this.markSuspect(rt);
    if (kind === 'quality') {
      this.setSuspect(rt, false);
      return rt.step(severity >= 2 ? 1 : 0, now, this.hooks);
    }
    if (severity >= 2) return this.markSuspect(rt);
    this.setSuspect(rt, severity === 1);
    const d = levelOf(rt, e);
    if (d === rt.level && Number.isNaN(rt.since)) rt.desired = d;
    else rt.step(d, now, this.hooks);
  }

  private setSuspect(rt: AlarmRuntime, suspect: boolean): void {
    if (rt.suspect === suspect) return;
    rt.suspect = suspect;
    this.hooks.touch(rt);
  }

  /** The data behind the alarm cannot be trusted: hold the state, drop what was waiting. */
  protected markSuspect(rt: AlarmRuntime): void {
    this.setSuspect(rt, true);
    if (!Number.isNaN(rt.since)) rt.cancelPending(this.hooks);
    rt.desired = rt.level;
    rt.refT = NaN;
  }

  /** Suppression and setpoint follow the tags they read. */
  private reconsider(rt: AlarmRuntime, now: number): void {
    const ev = rt.def.evaluator;
    if (ev.kind === 'deviation' && ev.setpointTag) {
      const sp = this.tags.get(ev.setpointTag);
      const good = sp?.seen && sp.status >>> 30 === 0 && typeof sp.value === 'number';
      rt.setpoint = good ? (sp.value as number) : NaN;
      rt.thresholds = thresholdsOf(ev, rt.setpoint);
      const own = rt.def.tag === null ? undefined : this.tags.get(rt.def.tag);
      if (own?.seen) this.evaluate(rt, own, now);
    }
    // Also without rules: a reload that removes the rules of a suppressed alarm must show it. (Only the
    // config's alarms come here; a server's conditions are suppressed by the server.)
    this.setSuppressed(rt, rt.def.suppress.some((r) => ruleHolds(r, this.tags)), now);
  }

  private setSuppressed(rt: AlarmRuntime, suppressed: boolean, now: number): void {
    if (rt.suppressed === suppressed) return;
    const shown = rt.baseState !== 'A';
    rt.suppressed = suppressed;
    if (suppressed) this.hooks.touch(rt);
    else rt.rearm(now, this.hooks);
    if (shown) this.hooks.journal(rt, suppressed ? 'suppressed' : 'unsuppressed', now);
  }

  /** A server connected or lost: its COMM alarm follows, and its alarms are suspect until fresh data comes. */
  serverState(server: string, connected: boolean): void {
    const now = this.clock.now();
    const comm = this.comm.get(server);
    if (comm) comm.step(connected ? 0 : 1, now, this.hooks);
    if (!connected) for (const rt of this.byServer.get(server) ?? []) this.markSuspect(rt);
  }

  /** Delays that ran out, shelves that expired, the flood window: call at least every 100 ms. */
  tick(): void {
    const now = this.clock.now();
    for (const rt of [...this.timed]) if (rt.deadline <= now) rt.step(rt.desired, now, this.hooks);
    for (const rt of [...this.shelvedTimed]) {
      if (rt.shelve?.until != null && rt.shelve.until > now) continue;
      this.shelvedTimed.delete(rt);
      rt.shelve = null;
      this.hooks.journal(rt, 'shelveExpired', now);
      rt.reannunciate(now, this.hooks);
    }
    this.flood.update(now);
  }

  /** Restores states kept across a restart (before the first sample); they stay suspect until fresh data. */
  restore(states: readonly PersistedAlarm[]): void {
    for (const p of states) {
      const rt = this.alarms.get(p.id);
      if (!rt) continue;
      rt.restore(p);
      if (p.shelve?.until != null) this.shelvedTimed.add(rt);
      this.dirty.add(rt);
    }
  }

  get(id: string): AlarmRuntime | undefined {
    return this.alarms.get(id);
  }

  /** Journal lines since the last call. */
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
        if (persist && rt.def.kind !== 'server') out.persist.push(rt.persisted());
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
    return summarize(this.alarms.values(), this.silencedAt, this.flood, this.clock.now());
  }

  snapshot(version: number): AlarmList {
    return { version, now: this.clock.now(), rows: this.rows(), summary: this.summary() };
  }

  definitions(): AlarmDef[] {
    return [...this.alarms.values()].map((rt) => rt.def);
  }

  protected addServerCondition(c: ServerCondition): AlarmRuntime {
    const rt = new AlarmRuntime(serverDef(c));
    this.alarms.set(c.id, rt);
    (this.byServer.get(c.server) ?? this.byServer.set(c.server, []).get(c.server)!).push(rt);
    return rt;
  }

  protected markDirty(rt: AlarmRuntime): void {
    this.dirty.add(rt);
  }

  protected nextAnnunciation(): number {
    return this.annunciations;
  }
}
