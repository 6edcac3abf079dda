/**
 * OPC UA Alarms & Conditions against the real simulator (in process, real
 * OPC UA): the ESD trip condition raised, acknowledged and confirmed with the
 * comment (checked on the server's own nodes), delivered again by
 * ConditionRefresh, cleared; and the same through the station, with the
 * acknowledgement sent from the console API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, OPCUACertificateManager, OPCUAClient, makeBrowsePath, type ClientSession } from 'node-opcua';
import { NAMESPACE_URI, startSimulator, type Simulator } from '../../../../simulator/server.js';
import { loadStationConfig } from '../../station/config-file.js';
import { defaultConfigFile } from '../../args.js';
import { silentLogger } from '../../log.js';
import { AlarmEngine } from '../engine/engine.js';
import { ConditionClient } from './client.js';
import { until as untilWithin } from '../../acquisition/testing/harness.js';

/** Polls until probe holds (a condition arrives within a few publishes). */
const until = <T>(what: string, probe: () => T | undefined | false | null) => untilWithin(what, probe, 15_000);
import { Station } from '../../station/station.js';
import { ConfigStore } from '../../station/config-store.js';
import { AlarmsModule } from '../module.js';
import { internalConnection } from '../../api/connection.js';
import type { AlarmList, AlarmRow } from '../../../shared/api.js';

// Named by the namespace's URI (the simulator's own constant), not its index.
const ESD = `server/sim/nsu=${NAMESPACE_URI};s=Area1.ESD.TripAlarm`;
const config = loadStationConfig(defaultConfigFile);
let dir: string;
let sim: Simulator;
let client: OPCUAClient;
let session: ClientSession;


/** Fast-forwards the plant until Area 1's ESD trips (a new cause: every high-level switch clear first); the next tick publishes it. */
function tripArea1(): void {
  const switches = sim.tags.filter((t) => t.area === 'Area1' && t.role === 'highLevelSwitch').map((t) => t.name);
  for (let i = 0; i < 100_000 && switches.some((s) => sim.model.value(s) === true); i++) sim.model.step();
  sim.trigger({ name: 'overfill', target: 'Area1.TK101' });
  for (let i = 0; i < 100_000 && sim.model.value('Area1.ESD.Tripped') !== true; i++) sim.model.step();
  expect(sim.model.value('Area1.ESD.Tripped')).toBe(true);
}

/** A field of the condition as the server holds it, read independently of the client under test. */
async function serverField(path: string): Promise<unknown> {
  const [res] = await session.translateBrowsePath([makeBrowsePath('ns=1;s=Area1.ESD.TripAlarm', path)]);
  const dv = await session.read({ nodeId: res!.targets![0]!.targetId, attributeId: AttributeIds.Value });
  return dv.value.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-ac-'));
  sim = await startSimulator({ port: 0, seed: 5, tickMs: 100 });
  client = OPCUAClient.create({
    endpointMustExist: false, connectionStrategy: { maxRetry: 2, initialDelay: 100, maxDelay: 500 },
    clientCertificateManager: new OPCUACertificateManager({ rootFolder: join(dir, 'client-pki'), automaticallyAcceptUnknownCertificate: true, disableFileWatchers: true }),
  });
  await client.connect(sim.endpoint);
  session = await client.createSession();
});

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('OPC UA Alarms & Conditions client', () => {
  it('raised, acknowledged and confirmed with the comment, sent again by ConditionRefresh, cleared', async () => {
    let t = Date.UTC(2025, 0, 1);
    const engine = new AlarmEngine({ now: () => t }, []);
    const opts = { server: 'sim', tags: config.tags, logger: silentLogger(), onCondition: (c: Parameters<AlarmEngine['serverCondition']>[0]) => engine.serverCondition(c) };
    const cc = await ConditionClient.attach(session, opts);
    expect(engine.rows()).toEqual([]);

    tripArea1();
    const row = (): AlarmRow | undefined => engine.rows().find((r) => r.id === ESD);
    await until('the ESD condition', () => row()?.flags.active);
    expect(row()).toMatchObject({
      source: 'server', kind: 'server', condition: 'SERVER', state: 'B', priority: 1, tag: 'Area1.ESD.Tripped', area: 'Area1',
      message: 'Area 1 – Flammables: emergency shutdown tripped', flags: { active: true, acked: false, confirmed: true },
    });

    await cc.acknowledge(ESD, 'op1: area checked');
    await until('the acknowledgement', () => row()?.flags.acked);
    expect(row()).toMatchObject({ state: 'C', ackComment: 'op1: area checked', flags: { confirmed: false } });
    expect(await serverField('/AckedState/Id')).toBe(true);
    expect((await serverField('/Comment')) as { text: string }).toMatchObject({ text: 'op1: area checked' });

    // A second subscription (as after a reconnection) gets the retained condition from ConditionRefresh.
    const fresh = new AlarmEngine({ now: () => t }, []);
    const again = await ConditionClient.attach(session, { ...opts, onCondition: (c) => fresh.serverCondition(c) });
    await until('the refreshed condition', () => fresh.rows().find((r) => r.id === ESD));
    expect(fresh.rows().find((r) => r.id === ESD)).toMatchObject({ state: 'C', flags: { active: true, acked: true, confirmed: false } });
    await again.close();

    // Tags by namespace URI (as added from the browser) name the condition's tag just the same.
    const byUri = config.tags.map((tag) => ({ ...tag, nodeId: tag.nodeId.replace(/^ns=1;/, 'nsu=urn:vigil:simulator;') }));
    const uriEngine = new AlarmEngine({ now: () => t }, []);
    const viaUri = await ConditionClient.attach(session, { ...opts, tags: byUri, onCondition: (c) => uriEngine.serverCondition(c) });
    await until('the condition by URI', () => uriEngine.rows().find((r) => r.id === ESD));
    expect(uriEngine.rows().find((r) => r.id === ESD)).toMatchObject({ tag: 'Area1.ESD.Tripped', area: 'Area1' });
    await viaUri.close();

    await cc.confirm(ESD, 'op1: confirmed');
    await until('the confirmation', () => row()?.flags.confirmed);
    expect(await serverField('/ConfirmedState/Id')).toBe(true);
    await expect(cc.confirm('server/sim/ns=1;s=Nothing', 'x')).rejects.toMatchObject({ code: 'bad_request' });

    t += 60_000;
    sim.clear();
    await until('the return to normal', () => !engine.get(ESD)?.active);
    expect(row()).toBeUndefined();
    expect(engine.takeJournal().map((j) => j.event)).toEqual(['activated', 'acknowledged', 'confirmed', 'cleared']);
    await cc.close();
  });
});

describe('A&C through the station', () => {
  it('the server condition joins the list; the console\'s ack goes back to the server', async () => {
    const stationDir = join(dir, 'station');
    const cfg = { ...config, servers: [{ ...config.servers[0]!, endpoint: sim.endpoint, security: { mode: 'None' as const, policy: 'None' as const } }] };
    // The in-process simulator's certificate is a temporary one this station has not trusted: unsecured.
    const store = new ConfigStore(cfg, { source: '(test)', writeTo: join(stationDir, 'station.yaml') });
    const alarms = AlarmsModule.open({ config: store, dataDir: stationDir, logger: silentLogger() });
    const station = new Station({ config: store, dataDir: stationDir, logger: silentLogger(), simulator: true, shell: 'browser', modules: [alarms] });
    const op = internalConnection('op');
    station.dispatcher.useSessions({ sessionOf: (c) => (c === op ? { id: 's', user: 'op1', displayName: 'op1', roles: ['operator'], since: 0 } : null) });
    try {
      await station.start();
      await until('A&C subscribed', () => alarms.conditionLinks.get('sim'));
      tripArea1();
      const snapshot = async () => (await station.dispatcher.dispatch('alarms.snapshot', {}, op)) as { ok: true; result: AlarmList };
      const row = await until('the ESD row', () => alarms.engine.rows().find((r) => r.id === ESD && r.flags.active));
      const res = await station.dispatcher.dispatch('alarms.acknowledge', { ids: [ESD], revisions: [row.revision], comment: 'ESD checked', scope: 'selected' }, op);
      expect(res).toMatchObject({ ok: true, result: { acknowledged: [ESD] } });
      await until('acked by the server', () => alarms.engine.get(ESD)?.acked);
      // The server holds "user: comment" (OPC UA carries no console user); the row and the journal name the console's user.
      expect((await snapshot()).result.rows.find((r) => r.id === ESD)).toMatchObject({ state: 'C', ackUser: 'op1', ackComment: 'ESD checked' });
      expect(await serverField('/AckedState/Id')).toBe(true);
      expect((await serverField('/Comment')) as { text: string }).toMatchObject({ text: 'op1: ESD checked' });
      const journal = alarms.journal.read(0, 100).filter((e) => e.alarmId === ESD);
      expect(journal.map((e) => [e.event, e.user, e.comment])).toEqual([['activated', null, null], ['acknowledged', 'op1', 'ESD checked']]);
    } finally {
      await station.stop();
      sim.clear();
    }
  });
});
