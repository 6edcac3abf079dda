/**
 * The console's copy of the station's alarm list. The station owns every
 * state; this mirrors it: a snapshot on every (re)connect, then each
 * 'alarms.changed' event in version order. A gap in versions (an event lost
 * or overtaken) asks for a fresh snapshot: a row shown here is never older
 * than what the station has told since.
 */
import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type {
  AlarmChanges,
  AlarmDefinition,
  AlarmDefinitions,
  AlarmList,
  AlarmRow,
  AlarmSummary,
  PriorityInfo,
} from '../../../shared/api/alarms.js';
import type { ApiClient, LinkState } from '../api-client.js';
import { i18n } from '../i18n.svelte.js';
import { alarmText } from './alarm-text.js';
import { failure, type Failure } from '../kept-message.js';
import { AlarmKeyMap, DEFAULT_ALARM_KEYS } from './keys.js';
import { alarmsByTag, currentRows, isCurrent } from './order.js';

const RETRY_MS = 3000;

/** The spec's coding, shown until the station's priorities arrive. */
export const DEFAULT_PRIORITIES: PriorityInfo[] = [
  { level: 1, name: 'Critical', colour: '#d9001b', shape: 'square' },
  { level: 2, name: 'High', colour: '#e87800', shape: 'triangle' },
  { level: 3, name: 'Medium', colour: '#c000c0', shape: 'diamond' },
  { level: 4, name: 'Low', colour: '#1f5fd6', shape: 'circle' },
];

export class Alarms {
  readonly rows = new SvelteMap<string, AlarmRow>();
  summary = $state.raw<AlarmSummary | null>(null);
  definitions = $state.raw<AlarmDefinitions | null>(null);
  /** Station clock minus console clock (ms): shelve countdowns run on the station's time. */
  clockOffset = $state(0);
  /**
   * Why the last load failed, as it came (worded where shown: i18n.errorText, so a switch of
   * language rewords it; as text it stayed in the old one); null when the list is complete.
   */
  loadError = $state.raw<Failure | null>(null);
  /** True once a snapshot has been applied since the last (re)connect. */
  loaded = $state(false);

  /** Rows B–E, most important first: what the banner and the summary's current list show. */
  readonly current = $derived(currentRows(this.rows.values()));
  /** Per tag, the alarm its value shows beside it (order.ts alarmsByTag): the overview's detector tiles. */
  readonly byTag = $derived(alarmsByTag(this.rows.values()));
  readonly keys = $derived(new AlarmKeyMap(this.definitions?.keys ?? DEFAULT_ALARM_KEYS));
  readonly priorities = $derived(new Map((this.definitions?.priorities ?? DEFAULT_PRIORITIES).map((p) => [p.level, p])));
  private readonly defsById = $derived(new Map((this.definitions?.alarms ?? []).map((d) => [d.id, d])));

  private version = -1;
  /** A snapshot is on its way: events before its answer are older than it (one ordered channel). */
  private syncing = false;
  private generation = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly api: ApiClient,
    private readonly autoLoad = true,
  ) {
    this.offs.push(
      api.on('alarms.changed', (c) => this.applyChanges(c)),
      api.on('alarms.definitions', (d) => (this.definitions = d)),
      api.onLink((s) => this.onLink(s)),
    );
    if (api.link === 'connected' && autoLoad) void this.resync();
  }

  priority(level: number): PriorityInfo {
    return this.priorities.get(level) ?? DEFAULT_PRIORITIES[Math.min(3, Math.max(0, level - 1))];
  }

  /** The colour a value in this alarm is framed in where it is drawn: its priority's while the alarm is current, else none. */
  frameColour(row: AlarmRow | null): string | undefined {
    return row !== null && isCurrent(row) ? this.priority(row.priority).colour : undefined;
  }

  definition(id: string): AlarmDefinition | undefined {
    return this.defsById.get(id);
  }

  /** The rationalization of the condition a row is in, if the engineer wrote one. */
  rationalization(row: AlarmRow) {
    return this.definition(row.id)?.conditions.find((c) => c.condition === row.condition)?.rationalization ?? null;
  }

  /** The text an operator reads for a row: the station's key in this console's language, else the configured message. */
  messageOf(row: AlarmRow): string {
    // A key this console does not know (a newer station) falls back to the station's English; a nested message (sync-lost's detail) is said too.
    return alarmText(row.text, row.message, i18n.lang);
  }

  stationNow(consoleNow = Date.now()): number {
    return consoleNow + this.clockOffset;
  }

  private onLink(state: LinkState): void {
    this.loaded = false;
    if (state === 'connected' && this.autoLoad) void this.resync();
  }

  async resync(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const generation = ++this.generation;
    this.syncing = true;
    try {
      const defs = this.api.call('alarms.definitions', {}).then((d) => {
        if (generation === this.generation) this.definitions = d;
      });
      // Applied the moment it arrives: an event after it is newer, and must find it in place.
      const list = await this.api.call('alarms.snapshot', {});
      if (generation !== this.generation) return;
      this.applySnapshot(list);
      await defs;
      this.loadError = null;
    } catch (err) {
      if (generation !== this.generation) return;
      this.syncing = false;
      this.loadError = failure(err);
      console.error(err);
      if (this.api.link === 'connected') this.retry = setTimeout(() => void this.resync(), RETRY_MS);
    }
  }

  private applySnapshot(list: AlarmList): void {
    this.rows.clear();
    for (const r of list.rows) this.rows.set(r.id, r);
    this.summary = list.summary;
    this.version = list.version;
    this.clockOffset = list.now - Date.now();
    this.loaded = true;
    this.syncing = false;
  }

  private applyChanges(c: AlarmChanges): void {
    if (this.syncing || !this.loaded || c.version <= this.version) return; // older than the snapshot we hold
    if (c.version !== this.version + 1) {
      // A change went missing: patching on top of it would show a wrong state.
      void this.resync();
      return;
    }
    this.version = c.version;
    for (const id of c.removed) this.rows.delete(id);
    for (const r of c.rows) this.rows.set(r.id, r);
    this.summary = c.summary;
    this.clockOffset = c.now - Date.now();
  }

  dispose(): void {
    if (this.retry) clearTimeout(this.retry);
    for (const off of this.offs) off();
  }
}

const KEY = Symbol('alarms');
export const provideAlarms = (a: Alarms): Alarms => setContext(KEY, a);
export const useAlarms = (): Alarms => getContext<Alarms>(KEY);
