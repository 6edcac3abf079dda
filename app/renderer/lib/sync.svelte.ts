/**
 * The sync's status as this console sees it: loaded on every (re)connect,
 * then kept by the station's sync.status events. Shared by the header's
 * indicator and the Sync page.
 */
import { getContext, setContext } from 'svelte';
import type { SyncStatusView, UpstreamStatusView } from '../../shared/api.js';
import type { ApiClient } from './api-client.js';

export type SyncSummary = 'none' | 'ok' | 'sending' | 'retrying' | 'alarm';

export class SyncState {
  status = $state.raw<SyncStatusView | null>(null);
  error = $state<string | null>(null);
  private readonly offs: (() => void)[] = [];

  /** autoLoad false: the console's session says when (browser mode beyond loopback loads after sign-in). */
  constructor(
    readonly api: ApiClient,
    private readonly autoLoad = true,
  ) {
    this.offs.push(
      api.on('sync.status', (s) => { this.status = s; this.error = null; }),
      api.onLink((state) => { if (state === 'connected' && this.autoLoad) void this.load(); }),
    );
    if (api.link === 'connected' && autoLoad) void this.load();
  }

  async load(): Promise<void> {
    try {
      this.status = await this.api.call('sync.status', {});
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** One word for the header: the worst of the upstreams. */
  get summary(): SyncSummary {
    const ups = this.status?.upstreams.filter((u) => u.state !== 'disabled') ?? [];
    if (ups.length === 0) return 'none';
    if (ups.some((u) => u.alarm) || (this.status?.losses.length ?? 0) > 0) return 'alarm';
    if (ups.some((u) => u.state === 'retrying' || u.state === 'starting')) return 'retrying';
    return ups.some((u) => u.backlog.records > 0 && u.state === 'sending') ? 'sending' : 'ok';
  }

  get waiting(): number {
    return (this.status?.upstreams ?? []).reduce((n, u: UpstreamStatusView) => n + u.backlog.records, 0);
  }

  dispose(): void {
    for (const off of this.offs) off();
  }
}

const KEY = Symbol('sync');
export const provideSync = (s: SyncState): SyncState => setContext(KEY, s);
export const useSync = (): SyncState => getContext<SyncState>(KEY);
