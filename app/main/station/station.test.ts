/**
 * The station against the real simulator over real OPC UA: live values,
 * bad quality from a failed sensor, every value bad within the stale limit
 * when the server dies, and recovery when it returns on the same port.
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
import type { LiveValue, ServerState } from '../../shared/api.js';
import { StatusCodes } from 'node-opcua';
import { StationArchive } from './archive.js';
import { badBadgeOf } from '../../shared/quality.js';
import { internalConnection } from '../api/connection.js';

// Expected codes from node-opcua (OPC UA Part 4), never from the code under test.
const BadSensorFailure = StatusCodes.BadSensorFailure.value;
const BadNoCommunication = StatusCodes.BadNoCommunication.value;
/** The status without InfoType and historian bits (OPC UA Part 4 §7.39: the low 16 bits). */
const codeOf = (status: number) => (status & 0xffff0000) >>> 0;

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('station over OPC UA', () => {
  let sim: Simulator;
  let station: Station;
  let archive: StationArchive;
  let dataDir: string;
  const states: ServerState[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigil-station-'));
    sim = await startSimulator({ port: 0, seed: 3, tickMs: 250 });
    const base = loadStationConfig(defaultConfigFile);
    // The simulator here is not the station's own (it runs in this process with a temporary PKI): unsecured.
    const config = { ...base, servers: [{ ...base.servers[0]!, endpoint: sim.endpoint, staleAfterMs: 2000, security: { mode: 'None' as const, policy: 'None' as const } }] };
    archive = await StationArchive.open(config, dataDir, silentLogger());
    station = new Station({ config, dataDir, logger: silentLogger(), simulator: true, shell: 'browser', displayPeriodMs: 100, modules: [archive] });
    station.events.subscribe((name, data) => {
      if (name === 'servers.state') states.push(...(data as ServerState[]));
    });
    await station.start();
  });

  afterAll(async () => {
    await station?.stop();
    await sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const value = (tag: string): LiveValue => station.live.get(tag) as LiveValue;

  it('starts every tag as waiting, then receives good values that change', async () => {
    const level = 'Area1.TK101.Level';
    await until('a good level', () => value(level).status === StatusCodes.Good.value);
    const first = value(level).t;
    await until('a newer level', () => value(level).t > first);
    expect(typeof value(level).value).toBe('number');
    const good = station.live.snapshot().filter((v) => v.status === 0);
    expect(good.length).toBe(station.live.snapshot().length);
    expect(states.at(-1)?.state).toBe('connected');
  });

  it('keeps discrete and text values with their types', async () => {
    const tags = station.tags();
    const discrete = tags.find((t) => t.kind === 'discrete');
    const text = tags.find((t) => t.kind === 'text');
    expect(typeof value(discrete!.name).value).toBe('boolean');
    expect(typeof value(text!.name).value).toBe('string');
  });

  it('a failed sensor arrives as BadSensorFailure', async () => {
    sim.trigger({ name: 'sensorFailure', target: 'Area1.TK102.Temperature' });
    await until('sensor failure', () => value('Area1.TK102.Temperature').status === BadSensorFailure);
    expect(value('Area1.TK101.Temperature').status).toBe(0);
  });

  it('marks every value bad within the stale limit when the server dies, and recovers', async () => {
    const port = sim.port;
    await sim.stop();
    await until('all values bad', () => station.live.snapshot().every((v) => v.status === BadNoCommunication), 10_000);
    expect(states.at(-1)?.state).toBe('lost');
    expect(new Set(station.live.snapshot().map((v) => badBadgeOf(v.status)))).toEqual(new Set(['COMM']));
    sim = await startSimulator({ port, seed: 3, tickMs: 250 });
    await until('recovery', () => station.live.snapshot().every((v) => v.status === 0), 30_000);
    expect(states.at(-1)?.state).toBe('connected');
  });

  it('archived every tag with its status, the loss of communication included', async () => {
    await archive.flush();
    const stats = await station.dispatcher.dispatch('tags.archiveStats', {}, internalConnection());
    expect(stats.ok).toBe(true);
    const level = (stats as { result: { tag: string; samplesReceived: number; samplesArchived: number }[] }).result.find((s) => s.tag === 'Area1.TK101.Level');
    expect(level?.samplesReceived).toBeGreaterThan(3);
    expect(level?.samplesArchived).toBeGreaterThan(0);
    const page = archive.readRaw({ tags: 'Area1.TK102.Temperature', start: 0, end: Date.now() + 60_000 });
    const codes = page.rows.map((r) => codeOf(r.status));
    expect(codes).toContain(0);
    expect(codes).toContain(BadSensorFailure);
    expect(codes).toContain(BadNoCommunication);
    // The loss is archived after the sensor failure and before the recovery: history shows the gap as bad, not as a ramp.
    const lostAt = codes.lastIndexOf(BadNoCommunication);
    expect(codes.slice(lostAt + 1)).toContain(0);
  });
});
