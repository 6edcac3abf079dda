/**
 * A station restarted keeps what its sync last knew of each upstream: its last success and error
 * and its restart checks (the status the last run wrote to sync.sqlite). An exploratory run found
 * "last success –" during an outage although the upstream had taken data 40 s before the restart.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { tempDir, upstreamConfig } from '../testing/harness.js';
import { UpstreamWorker } from './worker.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function worker(store: SyncStore): UpstreamWorker {
  // Never started: nothing is sent to this address.
  return new UpstreamWorker({
    config: upstreamConfig({ url: 'http://127.0.0.1:9', flavour: 'influxdb1' }), store, streams: [], log: silentLogger(), secret: null, onLoss: () => {},
  });
}

describe('the sync status across a station restart', () => {
  it('keeps the last success, the last error and the restart check the last run wrote', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const store = SyncStore.open(join(tmp.dir, 'sync.sqlite'));
    cleanups.push(() => store.close());
    const written = {
      id: 'region', lastSuccessAt: 1_796_000_000_000, lastAttemptAt: 1_796_000_050_000, lastError: { at: 1_796_000_050_000, message: 'connect ECONNREFUSED 127.0.0.1:8086' },
      restarts: 2, restartCheck: { at: 1_795_999_000_000, message: 'upstream region restarted at 2026-11-30T00:00:00.000Z: it holds what it acknowledged up to …' },
    };
    store.writeStatus('region', written, 1_796_000_060_000);
    const s = worker(store).status();
    expect([s.lastSuccessAt, s.lastAttemptAt, s.lastError, s.restarts, s.restartCheck]).toEqual([
      written.lastSuccessAt, written.lastAttemptAt, written.lastError, written.restarts, written.restartCheck,
    ]);
  });

  it('a first start, or a status it cannot read, starts empty', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const store = SyncStore.open(join(tmp.dir, 'sync.sqlite'));
    cleanups.push(() => store.close());
    expect(worker(store).status()).toMatchObject({ lastSuccessAt: null, lastError: null, restarts: 0, restartCheck: null });
    store.writeStatus('region', { lastSuccessAt: 'yesterday', lastError: { at: 'x' }, restarts: -1.5 }, 1);
    expect(worker(store).status()).toMatchObject({ lastSuccessAt: null, lastError: null, restarts: 0, restartCheck: null });
  });
});
