/**
 * A frozen-value alarm on a tag its server samples slower than the station asks (the node's
 * MinimumSamplingInterval, as a PLC's scan): the tag asks 250 ms and a 0.75 s window (three of its
 * update intervals, the least the config takes); the server grants 1 s and sends a moving value every
 * 1 s. Before, the window stayed 0.75 s: a live, moving level raised FROZEN between every two samples.
 * Now the window is at least three of the granted intervals (3 s): nothing while it moves, FROZEN
 * once it is really stuck. Real server, real station and alarms module.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from '../acquisition/testing/test-server.js';
import { until } from '../acquisition/testing/harness.js';
import { seedPki } from '../acquisition/testing/pki-cache.js';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { Station } from '../station/station.js';
import { AlarmsModule } from './module.js';

const GRANTED = 1000;
const FROZEN = 'Level/frozen';

let dir: string;
let server: TestServer;
let station: Station;
let alarms: AlarmsModule;
let level!: UAVariable;
let ticker: NodeJS.Timeout | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-frozen-granted-'));
  server = await startTestServer({
    role: 'frozen-granted', dir,
    build: (ns, as) => {
      level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: GRANTED });
    },
  });
  const file = join(dir, 'station.yaml');
  writeFileSync(file, `station: { name: FrozenGranted, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false, samplingIntervalMs: 250, publishingIntervalMs: 250, staleAfterMs: 30000 }
areas: [{ id: A, name: A }]
tags:
  - name: Level
    server: plc
    nodeId: "ns=2;s=Level"
    kind: analog
    area: A
    alarms: { frozen: { afterS: 0.75, priority: 3, message: Level transmitter frozen } }
`);
  const dataDir = join(dir, 'data');
  await seedPki('station', join(dataDir, 'pki'));
  const store = new ConfigStore(loadStationConfig(file), { source: file });
  alarms = AlarmsModule.open({ config: store, dataDir, logger: silentLogger() });
  station = new Station({ config: store, dataDir, logger: silentLogger(), simulator: false, shell: 'browser', modules: [alarms] });
  await station.start();
}, 120_000);

afterAll(async () => {
  clearInterval(ticker);
  await station?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a frozen-value window on a tag its server samples slower than asked', () => {
  it('is widened to three granted intervals: a moving value raises nothing, a stuck one is raised', async () => {
    let n = 0;
    ticker = setInterval(() => level.setValueFromSource({ dataType: DataType.Double, value: 10 + 0.01 * ++n }, StatusCodes.Good, new Date()), 100);
    const granted = () => station.acquisition.sources().find((s) => s.tag === 'Level')?.sampling?.samplingIntervalMs;
    await until('the server\'s grant', () => granted() === GRANTED, 30_000);
    await until('the first value', () => station.live.get('Level')?.status === 0, 30_000);
    // Five granted samples of a moving value (each one changed): live all along.
    const first = station.live.get('Level')!.value as number;
    await until('five samples later', () => (station.live.get('Level')!.value as number) >= first + 0.01 * 4 * (GRANTED / 100), 30_000);
    expect(alarms.journal.read(0, 100).filter((e) => e.alarmId === FROZEN)).toEqual([]);
    expect(alarms.engine.rows().find((r) => r.id === FROZEN)).toBeUndefined();

    // Stuck: the same value from now on.
    clearInterval(ticker);
    await until('FROZEN raised on the stuck value', () => alarms.engine.rows().find((r) => r.id === FROZEN && r.flags.active), 30_000);
    expect(alarms.journal.read(0, 100).filter((e) => e.alarmId === FROZEN).map((e) => e.event)).toEqual(['activated']);
  }, 120_000);
});
