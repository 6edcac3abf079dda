/**
 * The renderer's view of the station: info, tags, latest values by tag,
 * server states and the console's own link. Values are kept in a SvelteMap
 * so a batch re-renders only the values it changed. On every (re)connect
 * the whole picture is reloaded from 'live.snapshot': nothing seen before a
 * link loss is trusted as current.
 */
import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { AlarmJournalHealth, ArchiveHealth, LiveValue, ServerState, StationInfo, TagInfo, TagSource } from '../../shared/api.js';
import type { ApiClient, LinkState } from './api-client.js';
import type { Liveness } from './value-view.js';
import { i18n, t } from './i18n.svelte.js';
import type { MessageKey } from '../../shared/i18n/index.js';

const RETRY_MS = 3000;

export class Station {
  info = $state.raw<StationInfo | null>(null);
  tags = $state.raw<TagInfo[]>([]);
  link = $state<LinkState>('connecting');
  /** When the link entered its state (ms UTC, console clock). */
  linkSince = $state(Date.now());
  /**
   * When the link was first lost (ms UTC), kept through every reconnect
   * attempt until it is up again; null while connected. Reconnect attempts
   * must not move the time forward nor blink the warning away.
   */
  lostSince = $state<number | null>(null);
  /** Why the last resync failed; null when the picture is complete. */
  loadError = $state<string | null>(null);
  /** Whether the station's archive is writing; null until loaded. */
  archive = $state.raw<ArchiveHealth | null>(null);
  /** Whether the station's alarm journal is writing; null until loaded. */
  alarmJournal = $state.raw<AlarmJournalHealth | null>(null);
  readonly values = new SvelteMap<string, LiveValue>();
  readonly servers = new SvelteMap<string, ServerState>();
  /** What the acquisition knows of each tag's source: its OPC UA type, or why it is not acquired. */
  readonly sources = new SvelteMap<string, TagSource>();
  private readonly tagsByName = $derived(new Map(this.tags.map((t) => [t.name, t])));
  private retry: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every resync, so an answer overtaken by a newer resync is dropped. */
  private generation = 0;
  private readonly offs: (() => void)[] = [];

  /**
   * autoLoad false: the console's session decides when to load (after it
   * learnt whether sign-in comes first, browser mode beyond loopback).
   */
  constructor(
    readonly api: ApiClient,
    private readonly autoLoad = true,
  ) {
    this.offs.push(
      api.on('live.values', (batch) => this.applyValues(batch)),
      api.on('servers.state', (states) => this.applyServers(states)),
      api.on('tags.sources', (changed) => this.applySources(changed)),
      // The config's tags changed (a tag added from any console, a config edit): the station sends the whole list.
      api.on('tags.list', (tags) => this.applyTags(tags)),
      api.on('archive.health', (health) => { this.archive = health; }),
      api.on('alarms.journalHealth', (health) => { this.alarmJournal = health; }),
      api.onLink((state, at) => this.onLink(state, at)),
    );
    this.link = api.link;
    if (api.link === 'connected' && autoLoad) void this.resync();
  }

  tag(name: string): TagInfo | undefined {
    return this.tagsByName.get(name);
  }

  /** Why a tag is not acquired, in the console's language; null when it is. */
  issueOf(tag: string): string | null {
    const issue = this.sources.get(tag)?.issue;
    return issue ? t(issue.key as MessageKey, issue.params) : null;
  }

  liveness(serverId: string): Liveness {
    return { link: this.link, server: this.servers.get(serverId) };
  }

  private onLink(state: LinkState, at: number): void {
    if (state === this.link) return;
    this.link = state;
    this.linkSince = at;
    if (state === 'connected') this.lostSince = null;
    else if (state === 'down') this.lostSince ??= this.linkSince;
    if (state === 'connected' && this.autoLoad) void this.resync();
  }

  /** Loads info, tags and a snapshot; retried while the link is up and it fails. */
  async resync(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const generation = ++this.generation;
    try {
      const [info, tags, snapshot, archive] = await Promise.all([
        this.api.call('station.info', {}),
        this.api.call('tags.list', {}),
        this.api.call('live.snapshot', {}),
        this.api.call('archive.health', {}),
      ]);
      if (generation !== this.generation) return;
      this.info = info;
      i18n.setStationDefault(info.locale);
      this.tags = tags;
      // Same ordered channel as the events: what arrived before this answer is older than it.
      this.values.clear();
      this.applyValues(snapshot.values);
      this.servers.clear();
      this.applyServers(snapshot.servers);
      this.archive = archive;
      this.loadError = null;
      this.api.call('alarms.journalHealth', {}).then(
        (health) => {
          if (generation === this.generation) this.alarmJournal = health;
        },
        (err: unknown) => console.error('alarms.journalHealth', err),
      );
      // The sources are detail for the Tags page and tooltips: the picture above stands without them.
      this.api.call('tags.sources', {}).then(
        (sources) => {
          if (generation !== this.generation) return;
          this.sources.clear();
          this.applySources(sources);
        },
        (err: unknown) => console.error('tags.sources', err),
      );
    } catch (err) {
      if (generation !== this.generation) return;
      this.loadError = (err as Error).message;
      console.error(err);
      if (this.api.link === 'connected') this.retry = setTimeout(() => void this.resync(), RETRY_MS);
    }
  }

  /**
   * The tag list the station sent on a config change. Same ordered channel as the answers: a
   * resync's list answered after it is newer, one answered before it older.
   */
  applyTags(tags: readonly TagInfo[]): void {
    this.tags = [...tags];
  }

  applyValues(batch: readonly LiveValue[]): void {
    for (const v of batch) this.values.set(v.tag, v);
  }

  applySources(changed: readonly TagSource[]): void {
    for (const s of changed) this.sources.set(s.tag, s);
    // A type read after the tags were loaded: the tag's info follows (decimals depend on it, an enumeration's words on its states).
    const byTag = new Map(changed.map((s) => [s.tag, s]));
    const follows = (t: TagInfo, s: TagSource) => ({ ...t, dataType: s.builtIn, states: t.kind === 'discrete' ? (s.states ?? null) : null });
    const differs = (t: TagInfo, s: TagSource) => JSON.stringify(follows(t, s)) !== JSON.stringify(t);
    if (this.tags.some((t) => byTag.has(t.name) && differs(t, byTag.get(t.name)!))) {
      this.tags = this.tags.map((t) => (byTag.has(t.name) ? follows(t, byTag.get(t.name)!) : t));
    }
  }

  applyServers(states: readonly ServerState[]): void {
    for (const s of states) this.servers.set(s.id, s);
  }

  dispose(): void {
    if (this.retry) clearTimeout(this.retry);
    for (const off of this.offs) off();
    this.api.close();
  }
}

const KEY = Symbol('station');
export const provideStation = (s: Station): Station => setContext(KEY, s);
export const useStation = (): Station => getContext<Station>(KEY);
