/**
 * Engineering units that changed while Vigil held no session: the PLC project downloaded anew, the
 * server restarted delivering MPa where it delivered bar, or a standby configured otherwise. A new
 * session gets no SemanticsChanged for that (Part 4 §7.39.1 sets the bit on a value of a monitored
 * item whose metadata changed; a new item's first value has none), so before, 1.52 MPa read as a
 * good 1.52 bar and an HH at 12 bar never sounded. Now every connection (the first one at start
 * too, every reconnection, every switch of endpoint) reads the analog tags' EngineeringUnits and
 * EURange (Part 8 AnalogItemType) before their first value goes on: a contradiction with the config
 * marks them BadConfigurationError (Part 4: "a problem with the configuration that affects the
 * usefulness of the value") with no value, on screen, in the archive, in what backfill reads from
 * the server's history, and on the Tags page; agreement clears it. A variable without those
 * properties has nothing to compare and stays good.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BrowseResponse, DataType, DataValue, ReferenceTypeIds, StatusCodes, standardUnits, type AddressSpace, type BrowseRequest, type EUInformation,
  type Namespace, type UAVariable, type StatusCode,
} from 'node-opcua';
import type { LedgerEntry, ServerState, TagSource } from '../../shared/api.js';
import { unitsRead } from './server-link.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type Received, type TestStation } from './testing/harness.js';

/** From node-opcua's table (Part 6 StatusCode.csv), not from the station's. */
const BadConfigurationError = StatusCodes.BadConfigurationError.value >>> 0;
const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const codeOf = (s: number) => (s & 0xffff0000) >>> 0;
const good = (s: number) => s >>> 30 === 0;

type Units = 'bar' | 'MPa';
/** The plant's pressure in bar, 8.0 to 8.9: in MPa the server gives a tenth, 0.80 to 0.89. */
const pressureBar = (n: number) => 8 + (n % 10) / 10;
const inUnits = (bar: number, units: Units) => (units === 'bar' ? bar : bar / 10);
const UNITS: Record<Units, { eu: EUInformation; high: number }> = {
  bar: { eu: standardUnits.bar, high: 16 },
  MPa: { eu: standardUnits.megapascal, high: 1.6 },
};

/** The plant's variables: Press (AnalogItem, historized), Temp (AnalogItem in °C, never changed), Flow (a plain variable: no EngineeringUnits). */
function buildPlant(ns: Namespace, as: AddressSpace, units: Units, record: readonly { t: number; bar: number }[]): UAVariable {
  const press = ns.addAnalogDataItem({
    organizedBy: as.rootFolder.objects, browseName: 'Press', nodeId: 's=Press', dataType: 'Double', minimumSamplingInterval: 0,
    engineeringUnitsRange: { low: 0, high: UNITS[units].high }, engineeringUnits: UNITS[units].eu,
  });
  as.installHistoricalDataNode(press, { maxOnlineValues: 100_000 });
  // A server restarted with the new project serves its history as it now reads it.
  const history = (press as unknown as { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
  for (const r of record) {
    void history.push(new DataValue({ value: { dataType: DataType.Double, value: inUnits(r.bar, units) }, sourceTimestamp: new Date(r.t), serverTimestamp: new Date(r.t) }));
  }
  ns.addAnalogDataItem({
    organizedBy: as.rootFolder.objects, browseName: 'Temp', nodeId: 's=Temp', dataType: 'Double', minimumSamplingInterval: 0,
    engineeringUnitsRange: { low: 0, high: 200 }, engineeringUnits: standardUnits.degree_celsius, value: { dataType: DataType.Double, value: 20 },
  });
  ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Flow', nodeId: 's=Flow', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 42 } });
  return press;
}

const plantYaml = (endpoint: string, extra = '') => `station: { name: Units, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, staleAfterMs: 2000${extra} }
areas: [{ id: A, name: A }]
tags:
  - { name: Press, server: plc, nodeId: "ns=2;s=Press", kind: analog, area: A, unit: bar, range: [0, 16] }
  - { name: Temp, server: plc, nodeId: "ns=2;s=Temp", kind: analog, area: A, unit: "°C", range: [0, 200] }
  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A, unit: "m3/h", range: [0, 100] }
`;

const sourceOf = async (t: TestStation, tag: string): Promise<TagSource> =>
  ((await t.call('tags.sources', {})) as { result: TagSource[] }).result.find((s) => s.tag === tag)!;
const unitLogs = (t: TestStation) => t.logs.filter((l) => String(l.msg).startsWith('the server changed a tag\'s engineering units'));
const connected = (t: TestStation, endpoint?: string) => {
  const last: ServerState | undefined = t.states.at(-1);
  return last?.state === 'connected' && (endpoint === undefined || last.endpoint === endpoint);
};

// The three parts run side by side (concurrent suites, each its own servers and station: they wait mostly on
// their own timers); the tests within each run in order.
describe.concurrent('a server restarted with other engineering units while Vigil was disconnected', () => {
  let dir: string;
  let server: TestServer | null = null;
  let press: UAVariable | null = null;
  let units: Units = 'bar';
  let port = 0;
  let t: TestStation;
  let second: TestStation | null = null;
  let ticker: NodeJS.Timeout;
  /** What the plant measured (bar), stamped when: what a restarted server's history holds. */
  const record: { t: number; bar: number }[] = [];

  const startServer = async () => {
    server = await startTestServer({ role: 'units-restart', dir, port, build: (ns, as) => (press = buildPlant(ns, as, units, record)) });
    port = server.port;
  };
  /** Stops the server, lets the plant run on a second and a half (8 values), starts it again in `next` units. */
  const restartIn = async (next: Units): Promise<number> => {
    const killed = server!;
    press = null;
    server = null;
    const lossSeen = t.samples.length;
    await killed.stop();
    await until('the loss marker', () => t.samples.some((s, i) => i >= lossSeen && s.tag === 'Press' && s.status === BadNoCommunication));
    // The plant runs on with no server: 8 of its values (200 ms apart) into what the restarted server's history holds.
    const recorded = record.length;
    await until('a second and a half of plant data with no server', () => record.length - recorded >= 8, 30_000);
    units = next;
    const restartedAt = Date.now();
    await startServer();
    await until('reconnected', () => t.states.some((s) => s.state === 'connected' && s.since >= restartedAt), 60_000);
    return restartedAt;
  };
  const pressAfter = (since: number, station = t): Received[] => station.samples.filter((s) => s.tag === 'Press' && s.at >= since && s.status !== BadNoCommunication);
  const settledGapAfter = (since: number) => untilAsync('the gap backfilled', async () =>
    ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.from >= since - 10_000 && g.to !== null && g.to >= since && (g.backfill === 'done' || g.backfill === 'partial' || g.backfill === 'failed' || g.backfill === 'unsupported')), 60_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-units-restart-'));
    await startServer();
    let n = 0;
    ticker = setInterval(() => {
      const r = { t: Date.now(), bar: pressureBar(n++) };
      record.push(r);
      press?.setValueFromSource({ dataType: DataType.Double, value: inUnits(r.bar, units) }, StatusCodes.Good, new Date(r.t));
    }, 200);
    t = await startTestStation({ dir, archive: true, yaml: plantYaml(server!.endpoint) });
    await until('good values in bar', () => t.samples.filter((s) => s.tag === 'Press' && good(s.status)).length >= 3, 60_000);
  }, 120_000);

  afterEach(async () => {
    await second?.stop();
    second = null;
  });

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.sequential('leaves the values good after a restart with the units unchanged', async () => {
    const since = await restartIn('bar');
    await until('values after the restart', () => pressAfter(since).length >= 3);
    const after = pressAfter(since);
    expect(after.every((s) => good(s.status) && (s.value as number) >= 8), JSON.stringify(after.slice(0, 3))).toBe(true);
    expect(t.samples.some((s) => s.tag === 'Temp' && s.at >= since && good(s.status))).toBe(true);
    expect((await sourceOf(t, 'Press')).issue).toBeNull();
    expect(unitLogs(t)).toEqual([]);
  }, 90_000);

  let mpaSince = 0;
  let backfillsBefore = 0;
  it.sequential('marks every value BadConfigurationError, without a value, once the server restarted in MPa', async () => {
    backfillsBefore = t.backfills.length;
    mpaSince = await restartIn('MPa');
    await until('values after the restart', () => pressAfter(mpaSince).length >= 4);
    const after = pressAfter(mpaSince);
    for (const s of after) {
      expect(codeOf(s.status), JSON.stringify(s)).toBe(BadConfigurationError);
      expect(s.value).toBeNull();
    }
    const live = t.station.live.get('Press')!;
    expect(codeOf(live.status)).toBe(BadConfigurationError);
    expect(live.value).toBeNull();
    // The others are not held back: Temp's units did not change, Flow's server has none to compare.
    await until('Temp and Flow after the restart', () => ['Temp', 'Flow'].every((tag) => t.samples.some((s) => s.tag === tag && s.at >= mpaSince && good(s.status))));
    expect(t.samples.filter((s) => (s.tag === 'Temp' || s.tag === 'Flow') && s.at >= mpaSince).every((s) => good(s.status) || s.status === BadNoCommunication)).toBe(true);
    expect((await sourceOf(t, 'Flow')).issue).toBeNull();
  }, 90_000);

  it.sequential('says why on the Tags page and in the log once, as a change at run time does', async () => {
    const source = await sourceOf(t, 'Press');
    expect(codeOf(source.status)).toBe(BadConfigurationError);
    expect(source.issue?.key).toBe('acquisition.issue.unitsChanged');
    expect(String(source.issue?.params.serverUnits)).toContain('MPa');
    expect(String(source.issue?.params.configured)).toContain('bar');
    await until('more values', () => pressAfter(mpaSince).length >= 6);
    expect(unitLogs(t)).toHaveLength(1);
    expect(unitLogs(t)[0]).toMatchObject({ server: 'plc', tag: 'Press' });
  }, 60_000);

  it.sequential('archives nothing in MPa as good: neither live values nor what backfill read from the server\'s history', async () => {
    await settledGapAfter(mpaSince);
    // What this gap's backfill read: the MPa server's history over the outage.
    const filled = t.backfills.slice(backfillsBefore).filter((s) => s.tag === 'Press');
    expect(filled.length).toBeGreaterThan(0);
    expect(filled.filter((s) => good(s.status))).toEqual([]);
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Press', start: mpaSince - 3000, end: Date.now() + 60_000 }).rows;
    expect(rows.filter((r) => good(r.status) && (r.value as number) < 1)).toEqual([]);
  }, 90_000);

  it.sequential('checks at the first connection after a start too: a station started against the MPa server never shows a good value', async () => {
    const own = mkdtempSync(join(dir, 'second-'));
    const startedAt = Date.now();
    second = await startTestStation({ dir: own, yaml: plantYaml(server!.endpoint, ', backfill: false') });
    await until('values', () => pressAfter(startedAt, second!).length >= 3, 60_000);
    const values = pressAfter(startedAt, second);
    expect(values.filter((s) => good(s.status)), JSON.stringify(values.slice(0, 3))).toEqual([]);
    expect(values.every((s) => codeOf(s.status) === BadConfigurationError && s.value === null)).toBe(true);
    expect((await sourceOf(second, 'Press')).issue?.key).toBe('acquisition.issue.unitsChanged');
    await until('Temp good', () => second!.samples.some((s) => s.tag === 'Temp' && good(s.status)));
  }, 90_000);

  it.sequential('acquires the values as good again once the server restarted in bar again', async () => {
    const since = await restartIn('bar');
    await until('good values in bar', () => pressAfter(since).some((s) => good(s.status)));
    const after = pressAfter(since);
    expect(after.every((s) => good(s.status) && (s.value as number) >= 8), JSON.stringify(after.slice(0, 3))).toBe(true);
    await untilAsync('the Tags page clear', async () => ((await sourceOf(t, 'Press')).issue === null ? true : undefined));
    expect(t.logs.some((l) => String(l.msg).startsWith('the server\'s engineering units match the tag\'s config again') && l.tag === 'Press')).toBe(true);
  }, 90_000);

  it.sequential('checks a tag whose unit an engineer edits while connected: Temp configured in K against a server in °C is marked', async () => {
    const editedAt = Date.now();
    t.station.config.edit((doc) => doc.setIn(['tags', 1, 'unit'], 'K'));
    await untilAsync('the Tags page says why', async () => ((await sourceOf(t, 'Temp')).issue?.key === 'acquisition.issue.unitsChanged' ? true : undefined));
    expect(String((await sourceOf(t, 'Temp')).issue?.params.serverUnits)).toContain('°C');
    expect(codeOf(t.station.live.get('Temp')!.status)).toBe(BadConfigurationError);
    expect(t.samples.filter((s) => s.tag === 'Temp' && s.at > editedAt && good(s.status))).toEqual([]);
  }, 60_000);
});

describe.concurrent('a switch to a standby whose engineering units differ', () => {
  let dir: string;
  const servers: Record<'primary' | 'standby', TestServer | null> = { primary: null, standby: null };
  const press: Record<'primary' | 'standby', UAVariable | null> = { primary: null, standby: null };
  const unitsOf: Record<'primary' | 'standby', Units> = { primary: 'bar', standby: 'MPa' };
  let t: TestStation;
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-units-standby-'));
    for (const which of ['primary', 'standby'] as const) {
      servers[which] = await startTestServer({ role: `units-${which}`, dir, build: (ns, as) => (press[which] = buildPlant(ns, as, unitsOf[which], [])) });
    }
    let n = 0;
    // Both read the same plant; the standby's project delivers it in MPa.
    ticker = setInterval(() => {
      const bar = pressureBar(n++);
      const now = new Date();
      for (const which of ['primary', 'standby'] as const) press[which]?.setValueFromSource({ dataType: DataType.Double, value: inUnits(bar, unitsOf[which]) }, StatusCodes.Good, now);
    }, 200);
    t = await startTestStation({
      dir,
      yaml: plantYaml(servers.primary!.endpoint, `, backfill: false, backupEndpoints: ["${servers.standby!.endpoint}"], redundancy: { probeIntervalMs: 500, failbackAfterMs: 1500 }`),
    });
    await until('good values from the primary', () => connected(t, servers.primary!.endpoint) && t.samples.filter((s) => s.tag === 'Press' && good(s.status)).length >= 3, 120_000);
  }, 180_000);

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    for (const s of Object.values(servers)) await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.sequential('marks the values from the standby BadConfigurationError and never shows its MPa as good bar; back on the primary they are good', async () => {
    const before = t.samples.length;
    servers.primary!.setServiceLevel(100);
    await until('on the standby', () => connected(t, servers.standby!.endpoint), 60_000);
    const switchedAt = Date.now();
    await until('values from the standby', () => t.samples.filter((s) => s.tag === 'Press' && s.at > switchedAt).length >= 3);
    // Make before break: the standby's values came with no gap, and not one of them (0.8-0.89) as good.
    expect(t.samples.slice(before).filter((s) => s.tag === 'Press' && good(s.status) && (s.value as number) < 1)).toEqual([]);
    const fromStandby = t.samples.filter((s) => s.tag === 'Press' && s.at > switchedAt);
    expect(fromStandby.every((s) => codeOf(s.status) === BadConfigurationError && s.value === null), JSON.stringify(fromStandby.slice(0, 3))).toBe(true);
    expect((await sourceOf(t, 'Press')).issue?.key).toBe('acquisition.issue.unitsChanged');
    // Temp's units agree on the standby: its value stays good (the standby's repeat of it, same time, same value, is not archived again).
    expect(good(t.station.live.get('Temp')!.status)).toBe(true);
    expect(t.samples.filter((s) => s.tag === 'Temp' && s.at > switchedAt && !good(s.status))).toEqual([]);

    servers.primary!.setServiceLevel(255);
    await until('back on the primary', () => connected(t, servers.primary!.endpoint), 60_000);
    const backAt = Date.now();
    await until('good values in bar again', () => t.samples.some((s) => s.tag === 'Press' && s.at > backAt && good(s.status)));
    expect(t.samples.slice(before).filter((s) => s.tag === 'Press' && good(s.status) && (s.value as number) < 1)).toEqual([]);
    await untilAsync('the Tags page clear', async () => ((await sourceOf(t, 'Press')).issue === null ? true : undefined));
  }, 180_000);
});

/**
 * A server that fails the Browse of its variables' properties (a busy embedded server timing out
 * one request while its subscriptions publish): the units are not known, which is not "none". The
 * watched tags' values stay held (nothing shown in units not confirmed) and the read is tried
 * again; a tag without a unit configured (Pump) is not held back meanwhile; a read that keeps
 * failing gives the connection up and makes it again.
 */
describe.concurrent('a read of the engineering units that fails', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation | null = null;
  let press: UAVariable | null = null;
  let pump: UAVariable | null = null;
  let ticker: NodeJS.Timeout;
  /** How many more Browse requests for properties fail (Infinity: all). */
  let failing = 0;
  /** Per Browse request for properties the server received: how many nodes it named. */
  const propertyBrowses: number[] = [];
  const saved = { ...unitsRead };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-units-failing-'));
    unitsRead.retryMs = 300;
    unitsRead.attempts = 3;
    server = await startTestServer({
      role: 'units-failing', dir,
      build: (ns, as) => {
        press = buildPlant(ns, as, 'bar', []);
        pump = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Pump', nodeId: 's=Pump', dataType: 'Boolean', minimumSamplingInterval: 0, value: { dataType: DataType.Boolean, value: false } });
      },
    });
    type Handler = (message: { request: BrowseRequest }, channel: unknown) => void;
    const engine = server.server as unknown as {
      _on_BrowseRequest: Handler;
      _apply_on_SessionObject(response: typeof BrowseResponse, message: unknown, channel: unknown, act: (session: unknown, send: unknown, sendError: (s: StatusCode) => void) => void): void;
    };
    const browse = engine._on_BrowseRequest.bind(engine);
    const hasProperty = `ns=0;i=${ReferenceTypeIds.HasProperty}`;
    engine._on_BrowseRequest = (message, channel) => {
      const properties = (message.request.nodesToBrowse ?? []).some((d) => d.referenceTypeId.toString() === hasProperty);
      if (properties) propertyBrowses.push(message.request.nodesToBrowse!.length);
      if (!properties || failing <= 0) return browse(message, channel);
      failing--;
      engine._apply_on_SessionObject(BrowseResponse, message, channel, (_session, _send, sendError) => sendError(StatusCodes.BadResourceUnavailable));
    };
    let n = 0;
    ticker = setInterval(() => {
      const now = new Date();
      press?.setValueFromSource({ dataType: DataType.Double, value: pressureBar(n++) }, StatusCodes.Good, now);
      pump?.setValueFromSource({ dataType: DataType.Boolean, value: n % 2 === 0 }, StatusCodes.Good, now);
    }, 200);
  }, 60_000);

  afterAll(async () => {
    clearInterval(ticker);
    Object.assign(unitsRead, saved);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = () => plantYaml(server.endpoint, ', backfill: false') + '  - { name: Pump, server: plc, nodeId: "ns=2;s=Pump", kind: discrete, area: A }\n';
  const failures = () => t!.logs.filter((l) => l.msg === 'could not read the tags\' engineering units: their values are held and the read is tried again');

  it.sequential('reads the units of all the watched tags of a connection in one request, not one per tag', async () => {
    propertyBrowses.length = 0;
    t = await startTestStation({ dir: mkdtempSync(join(dir, 'batch-')), yaml: yaml() });
    await until('Press good', () => t!.samples.some((s) => s.tag === 'Press' && good(s.status)), 60_000);
    // Press, Temp and Flow have a unit configured; Pump (discrete) has none to check.
    expect(propertyBrowses).toEqual([3]);
    await t.stop();
    t = null;
  }, 60_000);

  it.sequential('holds the watched tags\' values while the read fails, not the others, and hands them on good once it succeeds', async () => {
    failing = 2;
    t = await startTestStation({ dir: mkdtempSync(join(dir, 'retry-')), yaml: yaml() });
    await until('Press good', () => t!.samples.some((s) => s.tag === 'Press' && good(s.status)), 60_000);
    expect(failures()).toHaveLength(2);
    const secondFailure = Number(failures()[1]!.time);
    // Nothing of Press came before its units were read; Pump flowed meanwhile.
    expect(t.samples.filter((s) => s.tag === 'Press' && s.at < secondFailure)).toEqual([]);
    expect(t.samples.some((s) => s.tag === 'Pump' && s.at < secondFailure && good(s.status))).toBe(true);
    expect(t.samples.filter((s) => s.tag === 'Press').every((s) => good(s.status))).toBe(true);
    expect((await sourceOf(t, 'Press')).issue).toBeNull();
    await t.stop();
    t = null;
  }, 90_000);

  it.sequential('gives the connection up and makes it again when the read keeps failing, never showing a value of units not confirmed', async () => {
    failing = Infinity;
    const startedAt = Date.now();
    t = await startTestStation({ dir: mkdtempSync(join(dir, 'giveup-')), yaml: yaml() });
    await until('the connection given up', () => t!.logs.some((l) => String(l.msg).startsWith('could not read the tags\' engineering units: the connection is made again')), 60_000);
    await until('lost', () => t!.states.some((s) => s.state === 'lost' && s.since >= startedAt));
    expect(t.samples.filter((s) => s.tag === 'Press' && good(s.status))).toEqual([]);
    failing = 0;
    await until('Press good after a new connection', () => t!.samples.some((s) => s.tag === 'Press' && good(s.status)), 60_000);
  }, 90_000);
});
