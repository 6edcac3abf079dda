/**
 * A server whose ServerStatus/State leaves Running while its session lives and its publishes go on
 * as keep-alives (TwinCAT Suspended until booted, a gateway suspended for a download; Part 5 §12.6).
 * Suspended transfers no data: the tags are lost from the state's change, the gap is in the ledger
 * with its cause, a reconnection is refused while the state lasts, and the tags come back when it
 * runs again. Shutdown and CommunicationFault still deliver values: said in the log, not lost.
 * The node-opcua server here keeps its session and keep-alives through every state, as those do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, ServerState, StatusCodes, type UAVariable } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type Received, type TestStation } from './testing/harness.js';
import { stateCheck } from './server-run-state.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const SUSPENDED_CAUSE = 'the server reports ServerState Suspended: it transfers no data';

describe('a server whose ServerState leaves Running while its session lives', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let level: UAVariable;
  const defaults = { ...stateCheck };
  const set = (value: number) => level.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());
  let shutdownLog: Record<string, unknown>;
  let faultLog: Record<string, unknown>;
  let goodBeforeSuspend: Received[];
  let suspendTo = 0;
  let statesBeforeSuspend = 0;
  let statesWhileSuspended: number;

  beforeAll(async () => {
    stateCheck.everyMs = 200;
    dir = mkdtempSync(join(tmpdir(), 'vigil-runstate-'));
    server = await startTestServer({
      role: 'runstate', dir,
      build: (ns, as) => {
        level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0 });
      },
    });
    set(1);
    t = await startTestStation({
      dir,
      yaml: `station: { name: RunState, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    backfill: false
    staleAfterMs: 3000
    groups: [{ id: fast, publishingIntervalMs: 100 }]
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A, group: fast }
`,
    });
    await until('the first value', () => t.station.live.get('Level')?.status === 0);
    const engine = server.server.engine;

    // Shutdown announced: its values still come until the server goes.
    engine.setShutdownTime(new Date(Date.now() + 60_000));
    engine.setServerState(ServerState.Shutdown);
    shutdownLog = await until('the shutdown said', () => t.logs.find((l) => String(l.msg).startsWith('the server is shutting down')));
    set(2);
    await until('a value during the shutdown', () => t.station.live.get('Level')?.value === 2);

    // CommunicationFault: its items say which values are affected; the server is not lost for it.
    engine.setServerState(ServerState.CommunicationFault);
    faultLog = await until('the fault said', () => t.logs.find((l) => l.state === 'CommunicationFault'));
    set(3);
    await until('a value during the fault', () => t.station.live.get('Level')?.value === 3);
    engine.setServerState(ServerState.Running);
    await until('running again said', () => t.logs.find((l) => l.msg === 'the server reports ServerState Running again'));

    // Suspended: the server transfers no data, its session and keep-alives go on.
    goodBeforeSuspend = t.samples.filter((s) => s.tag === 'Level');
    statesBeforeSuspend = t.states.length;
    engine.setServerState(ServerState.Suspended);
    suspendTo = Date.now();
    await until('the tag lost', () => t.station.live.get('Level')?.status === BadNoCommunication, 20_000);
    await until('a reconnection refused while suspended', () => t.logs.find((l) => l.msg === 'connection failed' && /ServerState Suspended/.test(String(l.err))), 20_000);
    statesWhileSuspended = t.states.length;
    engine.setServerState(ServerState.Running);
    set(4);
    await until('the tag back after the server runs again', () => t.station.live.get('Level')?.value === 4 && t.station.live.get('Level')?.status === 0, 30_000);
  }, 120_000);

  afterAll(async () => {
    Object.assign(stateCheck, defaults);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says a coming shutdown with its seconds, and a fault, while the values go on good', () => {
    expect(Number(shutdownLog.secondsTillShutdown)).toBeGreaterThan(0);
    expect(Number(shutdownLog.secondsTillShutdown)).toBeLessThanOrEqual(60);
    const before = t.samples.filter((s) => s.tag === 'Level' && typeof s.value === 'number' && s.value <= 3);
    expect(before.map((s) => s.value)).toEqual([1, 2, 3]);
    expect(before.every((s) => s.status === 0)).toBe(true);
    expect(faultLog.level).toBe(40);
    expect(t.states.slice(0, statesBeforeSuspend).filter((s) => s.state === 'lost')).toEqual([]);
  });

  it('marks the tag lost from the state\'s change, not when the station read it', () => {
    const level = t.samples.filter((s) => s.tag === 'Level');
    const marker = level[goodBeforeSuspend.length]!;
    expect(marker).toMatchObject({ status: BadNoCommunication, value: null, marker: true });
    // No later than the change (the State's stamp when after the last read that found it running,
    // else that read), after the last good value.
    expect(marker.t).toBeLessThanOrEqual(suspendTo);
    expect(marker.t).toBeGreaterThan(goodBeforeSuspend.at(-1)!.t);
    // Nothing good between the loss and the value after the server runs again.
    const after = level.slice(goodBeforeSuspend.length + 1);
    expect(after.filter((s) => s.status === 0).map((s) => s.value)).toEqual([4]);
    expect(after.at(-1)!.t).toBeGreaterThan(marker.t);
  });

  it('records the gap with the state as its cause, closed when the server runs again', () => {
    const marker = t.samples.find((s) => s.tag === 'Level' && s.status === BadNoCommunication)!;
    const gaps = t.station.acquisition.ledger.read(0, 100).filter((e) => e.kind === 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ server: 'plc', cause: SUSPENDED_CAUSE, from: marker.t });
    expect(gaps[0]!.to).not.toBeNull();
  });

  it('refuses to reconnect while the server is suspended, saying why in the console\'s words', () => {
    const during = t.states.slice(statesBeforeSuspend, statesWhileSuspended);
    expect(during.some((s) => s.state === 'lost' && s.lastError === SUSPENDED_CAUSE)).toBe(true);
    expect(during.filter((s) => s.state === 'connected')).toEqual([]);
    const refused = during.find((s) => s.lastErrorText?.key === 'acquisition.error.serverNotRunning');
    expect(refused?.lastErrorText?.params).toMatchObject({ state: 'Suspended', endpoint: server.endpoint });
    expect(t.states.at(-1)!.state).toBe('connected');
  });
});
