/** Small helpers shared by the sync's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { type UpstreamConfig, upstreamSchema } from '../../../shared/config/sync.js';
import type { SyncStore } from '../store/sync-store.js';
import type { OutboxStream } from '../streams/stream.js';

export function tempDir(prefix = 'vigil-sync-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function upstreamConfig(over: Partial<z.input<typeof upstreamSchema>> & Pick<z.input<typeof upstreamSchema>, 'url' | 'flavour'>): UpstreamConfig {
  return upstreamSchema.parse({ id: 'region', database: 't', ...over });
}

/** Polls until cond holds; fails naming what it waited for. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Every stream acknowledged up to its head, nothing in flight, no re-send or retry waiting. */
export function drained(store: SyncStore, upstream: string, streams: readonly OutboxStream[]): boolean {
  if (store.inflight(upstream)) return false;
  if (store.replays(upstream).length > 0) return false;
  if (store.quarantine({ upstream, retry: true, limit: 1 }).length > 0) return false;
  return streams.every((s) => {
    const wm = store.watermark(upstream, s.name);
    return wm.split === null && s.compare(wm.cursor, s.head()) === 0;
  });
}
