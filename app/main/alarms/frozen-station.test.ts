/**
 * A frozen transmitter through the whole station over real OPC UA: the simulator's `frozen` scenario
 * stops the level moving while its status stays Good (the server sends nothing more: the value and its
 * source time stay as they were), the station raises `<tag>/frozen` once the window of live,
 * unchanged data has passed, and returns it when the value moves again. The default config with a
 * 5 s window on that one tag, so the test does not wait ten minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../../simulator/server.js';
import { loadStationConfig } from '../station/config-file.js';
import { defaultConfigFile } from '../args.js';
import { silentLogger } from '../log.js';
import { Station } from '../station/station.js';
import { ConfigStore } from '../station/config-store.js';
import { until } from '../acquisition/testing/harness.js';
import type { LiveValue } from '../../shared/api.js';
import { AlarmsModule } from './module.js';

const LEVEL = 'Area1.TK101.Level';
const FROZEN = `${LEVEL}/frozen`;
const WINDOW_S = 5;

let dir: string;
let sim: Simulator;
let station: Station;
let alarms: AlarmsModule;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-frozen-'));
  sim = await startSimulator({ port: 0, seed: 11, tickMs: 100 });
  const base = loadStationConfig(defaultConfigFile);
  const tags = base.tags.map((t) => (t.name === LEVEL && t.alarms?.frozen ? { ...t, alarms: { ...t.alarms, frozen: { ...t.alarms.frozen, afterS: WINDOW_S } } } : t));
  // The in-process simulator's certificate is a temporary one this station has not trusted: unsecured.
  const config = { ...base, tags, servers: [{ ...base.servers[0]!, endpoint: sim.endpoint, security: { mode: 'None' as const, policy: 'None' as const } }] };
  const store = new ConfigStore(config, { source: '(test)', writeTo: join(dir, 'station.yaml') });
  alarms = AlarmsModule.open({ config: store, dataDir: dir, logger: silentLogger() });
  station = new Station({ config: store, dataDir: dir, logger: silentLogger(), simulator: true, shell: 'browser', modules: [alarms] });
  await station.start();
});

afterAll(async () => {
  await station?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const live = (): LiveValue => station.live.get(LEVEL) as LiveValue;
const frozenActive = () => alarms.engine.get(FROZEN)?.active === true;

describe('a frozen level transmitter over OPC UA', () => {
  it('a moving level raises nothing; frozen (Good, silent), it is raised after the window; moving again, it returns', async () => {
    await until('a good level', () => live()?.status === 0, 20_000);
    // Ten changes of the live level, none of them frozen.
    const seen = new Set<unknown>();
    await until('10 distinct level values', () => {
      expect(frozenActive()).toBe(false);
      seen.add(live().value);
      return seen.size >= 10;
    }, 30_000);

    sim.trigger({ name: 'frozen', target: LEVEL });
    // The last value the server sent stands, Good, with its source time: nothing more comes.
    const frozenAt = await until('the level frozen at the server', () => {
      const v = sim.model.value(LEVEL);
      return live().value === v && live().status === 0 ? { value: v, t: live().t } : undefined;
    }, 10_000);
    await until('the frozen-value alarm', () => alarms.engine.rows().find((r) => r.id === FROZEN && r.flags.active), 30_000);
    expect(live()).toMatchObject({ value: frozenAt.value, t: frozenAt.t, status: 0 });
    expect(alarms.engine.get(`${LEVEL}/limit`)!.suspect).toBe(true);
    const row = alarms.engine.rows().find((r) => r.id === FROZEN)!;
    expect(row).toMatchObject({ condition: 'FROZEN', state: 'B', valueAtActivation: frozenAt.value, message: 'TK101 level transmitter frozen', text: null });

    sim.clear();
    await until('the level moving again', () => live().value !== frozenAt.value, 10_000);
    await until('returned to normal', () => !frozenActive(), 10_000);
    expect(alarms.engine.get(`${LEVEL}/limit`)!.suspect).toBe(false);
  });
});
