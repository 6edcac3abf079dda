/** The ages `npm run sync status` prints read one way, as the sync page says them: "2 h 05 min", "45 min 10 s", "30 s". */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStationConfig } from '../../station/config-file.js';
import { SyncStore } from '../store/sync-store.js';
import { formatStatus } from './output.js';

const config = parseStationConfig(`station: { name: Tank Farm North }
servers: [{ id: sim, endpoint: "opc.tcp://127.0.0.1:4840/vigil" }]
areas: [{ id: A, name: Area A }]
tags: []
sync:
  upstreams:
    - { id: region, flavour: influxdb1, url: "http://127.0.0.1:8086", database: farm }
    - { id: spare, flavour: victoriametrics, url: "http://127.0.0.1:8428" }
`, 'farm.yaml');

const store = SyncStore.open(join(mkdtempSync(join(tmpdir(), 'vigil-sync-status-')), 'sync.sqlite'));
afterAll(() => store.close());

const status = (oldestWrittenAt: number) => ({
  state: 'running', connected: true, backlog: { records: 12, oldestWrittenAt, streams: [] },
  lastSuccessAt: null, lastError: null, paused: null, sentLines: 5, resentLines: 0, restartCheck: null, alarm: null,
});

describe('sync status ages', () => {
  it('prints hours with two-digit minutes, minutes, and seconds alike', () => {
    const now = Date.UTC(2026, 11, 4, 12, 0, 0);
    store.writeStatus('region', status(now - (2 * 3600 + 5 * 60 + 20) * 1000), now - 30_000);
    store.writeStatus('spare', status(now - (45 * 60 + 10) * 1000), now - (3 * 3600 + 40 * 60) * 1000);
    const lines = formatStatus(store, config, false, now).split('\n');
    expect(lines.filter((l) => /^ {2}(state|backlog) /.test(l))).toEqual([
      '  state          running, connected  (as of 2026-12-04T11:59:30.000Z, 30 s ago)',
      '  backlog        12 records, oldest 2 h 05 min old',
      '  state          running, connected  (as of 2026-12-04T08:20:00.000Z, 3 h 40 min ago)',
      '  backlog        12 records, oldest 45 min 10 s old',
    ]);
  });
});
