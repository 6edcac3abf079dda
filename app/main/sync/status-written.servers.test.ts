/**
 * What a restart check found reaches sync.sqlite at once, not with the next status written (every
 * 5 s): a station killed (kill -9) right after a check kept the one before, and the CLI and the next
 * start showed an older check. Found by an exploratory run. Against a real VictoriaMetrics restarted.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncConfigSchema } from '../../shared/config/sync.js';
import { silentLogger } from '../log.js';
import { SyncService, syncDbPath } from './service.js';
import type { UpstreamStatus } from './status.js';
import { SyncStore } from './store/sync-store.js';
import { tempDir, until } from './testing/harness.js';
import { SampleLog } from './testing/sample-log.js';
import { VictoriaServer } from './testing/servers.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

describe('the status kept in sync.sqlite', () => {
  it('holds an upstream\'s restart check as soon as the station shows it', async () => {
    const vm = await VictoriaServer.launch();
    cleanups.push(() => vm.dispose());
    await until('the upstream has lived 2 s', () => Date.now() - vm.startedAt > 2000); // its start time is in whole seconds
    const log = new SampleLog(join(tmp.dir, 'sw.samples.sqlite'));
    cleanups.push(() => log.close());
    const sync = await SyncService.start({
      config: syncConfigSchema.parse({ upstreams: [{ id: 'region', url: vm.url, flavour: 'victoriametrics', flushIntervalMs: 50 }] }),
      dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 3_600_000, probeIntervalMs: 100, streams: () => [log.stream('victoriametrics', 'sw')],
    });
    cleanups.push(() => sync.stop());
    await until('the upstream\'s start time read', () => sync.store.startTime('region') !== null);
    await vm.stop();
    await vm.restart();
    await until('the restart check shown', () => /restarted/.test(sync.status().upstreams[0]?.restartCheck?.message ?? ''));
    const shown = sync.status().upstreams[0]!.restartCheck;
    // What a kill -9 now would leave: sync.sqlite read on a connection of its own, as the CLI and the next start read it.
    const store = SyncStore.open(syncDbPath(tmp.dir));
    const kept = (store.statuses().find((x) => x.upstream === 'region')?.status as UpstreamStatus | undefined)?.restartCheck;
    store.close();
    expect(kept).toEqual(shown);
  });
});
