/**
 * The station's sample path against the real simulator: a sink that throws does not stop the
 * next one, and the screens get a notification's values before the sinks (archive, alarms)
 * do their work on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../../simulator/server.js';
import { loadStationConfig } from './config-file.js';
import { defaultConfigFile } from '../args.js';
import { silentLogger } from '../log.js';
import { Station } from './station.js';
import type { StationModule } from './module.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import type { LiveValue } from '../../shared/api.js';

describe('station sinks', () => {
  let sim: Simulator;
  let station: Station;
  let dataDir: string;
  /** Per live.values event: the tags it carried. */
  const screens: string[][] = [];
  /** Per batch the recording sink got: its tags, and whether a screen event had carried each before the sink ran. */
  const seen: { tags: string[]; onScreenFirst: boolean }[] = [];
  let thrown = 0;

  const throwing: StationModule = { name: 'throwing', sink: { write: () => { thrown++; throw new Error('sink failure under test'); } } };
  const recording: StationModule = {
    name: 'recording',
    sink: {
      write: (samples: readonly AcquiredSample[]) => {
        const shown = new Set(screens.flat());
        seen.push({ tags: samples.map((s) => s.tag), onScreenFirst: samples.every((s) => shown.has(s.tag)) });
      },
    },
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-sinks-'));
    sim = await startSimulator({ port: 0, seed: 5, tickMs: 250 });
    const base = loadStationConfig(defaultConfigFile);
    const config = { ...base, servers: [{ ...base.servers[0]!, endpoint: sim.endpoint, security: { mode: 'None' as const, policy: 'None' as const } }] };
    // A display period of 0: every notification is due at once, so the order is the only thing under test.
    station = new Station({ config, dataDir, logger: silentLogger(), simulator: true, shell: 'browser', displayPeriodMs: 0, modules: [throwing, recording] });
    station.events.subscribe((name, data) => {
      if (name === 'live.values') screens.push((data as LiveValue[]).map((v) => v.tag));
    });
    await station.start();
  });

  afterAll(async () => {
    await station?.stop();
    await sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a sink that throws does not stop the next one', async () => {
    const deadline = Date.now() + 20_000;
    while (seen.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(thrown).toBeGreaterThanOrEqual(seen.length);
    expect(seen.some((b) => b.tags.includes('Area1.TK101.Level'))).toBe(true);
  });

  it('the screens got every batch before the sinks ran on it', () => {
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((b) => !b.onScreenFirst)).toEqual([]);
  });
});
