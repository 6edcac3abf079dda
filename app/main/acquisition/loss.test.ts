/**
 * A server that stops answering (the simulator child frozen with SIGSTOP):
 * every tag is marked lost at the last evidence of the server, not when the
 * loss was noticed, and the archive claims no good data for the time nothing
 * came. Then the station itself stops while the server goes on: the gap is
 * kept in the ledger and filled from the simulator's own history at the next
 * start, the ledger showing both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { AttributeIds, MessageSecurityMode, OPCUAClient, SecurityPolicy, StatusCodes } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { defaultConfigFile } from '../args.js';
import { silentLogger } from '../log.js';
import { startSimulatorProcess, type SimulatorProcess } from '../station/simulator-process.js';
import { codeOf, isGood } from '../../../historian/status.js';
import { Flag } from '../../../historian/types.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

describe('a hung server, then a stopped station', () => {
  let dir: string;
  let sim: SimulatorProcess;
  let t: TestStation;
  let yaml: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-loss-'));
    // A loaded machine can take a minute to start a node-opcua server.
    sim = await startSimulatorProcess({ port: 0, seed: 5, extraArgs: ['--tick-ms', '250', '--pki-dir', join(dir, 'sim')], logger: silentLogger(), timeoutMs: 180_000 });
    const doc = parseDocument(readFileSync(defaultConfigFile, 'utf8'));
    doc.setIn(['servers', 0, 'endpoint'], sim.endpoint);
    doc.setIn(['servers', 0, 'security'], { mode: 'None', policy: 'None' });
    doc.setIn(['servers', 0, 'samplingIntervalMs'], 0);
    doc.setIn(['servers', 0, 'publishingIntervalMs'], 250);
    doc.setIn(['servers', 0, 'staleAfterMs'], 2000);
    yaml = doc.toString();
    t = await startTestStation({ dir, yaml, archive: true });
    await until('good values', () => t.station.live.snapshot().every((v) => v.status === 0));
    // A few seconds of data before the freeze.
    const since = Date.now();
    await until('two seconds of data', () => t.samples.some((s) => s.at - since > 2000));
  }, 300_000);

  afterAll(async () => {
    if (sim) process.kill(sim.pid, 'SIGCONT');
    await t?.stop();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const gaps = async (): Promise<LedgerEntry[]> => ((await t.call('gaps.list', {})) as { result: LedgerEntry[] }).result;

  it('marks every tag lost from the last data received, and archives nothing good after it', async () => {
    process.kill(sim.pid, 'SIGSTOP');
    await until('the loss', () => t.samples.some((s) => s.status === BadNoCommunication), 20_000);
    const markers = t.samples.filter((s) => s.status === BadNoCommunication);
    const lastDataAt = Math.max(...t.samples.filter((s) => s.status !== BadNoCommunication).map((s) => s.at));
    // Dated at the last evidence of the server, never at the moment the silence was noticed.
    for (const m of markers) expect(m.t, m.tag).toBeLessThanOrEqual(lastDataAt);
    expect(markers.map((m) => m.tag).sort()).toEqual(t.station.tags().map((tag) => tag.name).sort());
    await t.archive!.flush();
    for (const tag of t.station.tags().filter((x) => x.kind === 'analog')) {
      const rows = t.archive!.readRaw({ tags: tag.name, start: 0, end: Date.now() + 60_000 }).rows;
      const good = rows.filter((r) => isGood(r.status));
      expect(good.length, tag.name).toBeGreaterThan(0);
      // No good record, cyclic or held, claims time after the last data that came.
      for (const r of good) expect(r.t, `${tag.name} good at ${r.t}`).toBeLessThanOrEqual(lastDataAt);
      expect(rows.some((r) => codeOf(r.status) === BadNoCommunication), tag.name).toBe(true);
    }
    const open = (await gaps()).find((g) => g.kind === 'gap' && g.to === null);
    expect(open).toMatchObject({ cause: 'no data or keep-alive from the server' });
    expect(open!.from).toBeLessThanOrEqual(lastDataAt);
  });

  it('recovers when the server answers again and closes the gap', async () => {
    process.kill(sim.pid, 'SIGCONT');
    await until('good values again', () => t.station.live.snapshot().every((v) => v.status === 0), 30_000);
    const closed = await untilAsync('the gap closed and its backfill settled', async () =>
      (await gaps()).find((g) => g.kind === 'gap' && g.to !== null && g.backfill !== 'pending' && g.backfill !== 'running' && g.backfill !== 'archiving'));
    expect(closed, JSON.stringify(closed)).toMatchObject({ backfill: 'done' });
    expect(closed.to!).toBeGreaterThan(closed.from);
  }, 120_000);

  it('keeps a gap open across a station stop, and fills it from the server history at the next start', async () => {
    const levelNode = t.station.tags().find((x) => x.name === 'Area1.TK101.Level')!.nodeId;
    await t.stop();
    const stoppedAt = Date.now();
    // The server goes on while the station is down: read from the server itself until its level
    // carries a time a second (four plant ticks) past the stop, values the gap's backfill is to bring.
    const client = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
    await client.connect(sim.endpoint);
    try {
      const session = await client.createSession();
      try {
        const deadline = Date.now() + 60_000;
        const sourceTime = async () => (await session.read({ nodeId: levelNode, attributeId: AttributeIds.Value })).sourceTimestamp?.getTime() ?? 0;
        while ((await sourceTime()) < stoppedAt + 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(await sourceTime()).toBeGreaterThanOrEqual(stoppedAt + 1000);
      } finally {
        await session.close();
      }
    } finally {
      await client.disconnect();
    }
    t = await startTestStation({ dir, yaml, archive: true, dataDir: t.dataDir });
    const filled = await untilAsync('the station-stop gap backfilled', async () =>
      (await gaps()).find((g) => g.cause === 'station stopped' && g.backfill === 'done'));
    expect(filled.backfilledSamples).toBeGreaterThan(0);
    expect(filled.from).toBeLessThanOrEqual(stoppedAt);
    // Sequence numbers: every change of an entry took a new one, so a reader after the last seq it saw gets it again.
    const all = t.station.acquisition.ledger.read(0, 1000);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
    expect(new Set(all.map((e) => e.seq)).size).toBe(all.length);
    expect(t.station.acquisition.ledger.read(filled.seq - 1, 10)[0]).toMatchObject({ id: filled.id, backfill: 'done' });
    await until('archived', () => t.backfills.length > 0);
    await t.archive!.flush();
    const level = 'Area1.TK101.Level';
    const rows = t.archive!.readRaw({ tags: level, start: filled.from, end: filled.to! }).rows;
    // The loss is archived at its start, and the backfilled values after it carry the flag.
    expect(rows.some((r) => codeOf(r.status) === BadNoCommunication)).toBe(true);
    const backfilled = rows.filter((r) => (r.flags & Flag.Backfilled) !== 0);
    expect(backfilled.length).toBeGreaterThan(0);
    for (const r of backfilled) expect(r.t).toBeGreaterThan(filled.from);
  }, 240_000);
});

