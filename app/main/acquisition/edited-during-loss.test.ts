/**
 * A tag edited while its server is lost (a sampling interval, a node id fixed by an engineer)
 * keeps its loss marker: the server's first value after the outage, unchanged since before it
 * (source time before the marker), is dated at its receipt, never 1 ms after the marker, which
 * would archive it Good for the outage, when no server delivered it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, PublishResponse, StatusCodes, type AddressSpace, type Namespace } from 'node-opcua';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const codeOf = (status: number) => (status & 0xffff0000) >>> 0;
const Good = 0;
const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
const FLAT = 7.25;

describe('a tag edited during a server loss', () => {
  let dir: string;
  let server: TestServer | null = null;
  let t: TestStation;
  /** Flat's source time: set once, before the station starts, and again so after the restart. */
  let flatSince: number;
  const build = (ns: Namespace, as: AddressSpace) => {
    const flat = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Flat', nodeId: 's=Flat', dataType: 'Double', minimumSamplingInterval: 0 });
    flat.setValueFromSource({ dataType: DataType.Double, value: FLAT }, StatusCodes.Good, new Date(flatSince));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-edited-loss-'));
    flatSince = Date.now() - 60_000;
    server = await startTestServer({ role: 'edited-loss', dir, build });
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: EditedDuringLoss, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "${server.endpoint}"
    samplingIntervalMs: 0
    publishingIntervalMs: 200
    staleAfterMs: 2000
areas: [{ id: A, name: A }]
tags:
  - { name: Flat, server: plc, nodeId: "ns=2;s=Flat", kind: analog, area: A }
`,
    });
  }, 300_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('archives the server’s first value after the outage at its receipt, not 1 ms after the loss marker', async () => {
    await until('Flat good', () => t.station.live.get('Flat')?.status === Good, 120_000);
    const port = server!.port;
    await server!.stop();
    server = null;
    await until('Flat lost', () => t.station.live.get('Flat')?.status === BadNoCommunication, 60_000);
    const marker = t.samples.findLast((s) => s.tag === 'Flat' && s.status === BadNoCommunication)!;
    // The engineer's edit, while the server is down: the tag is resubscribed with its new settings.
    t.station.config.edit((doc) => doc.setIn(['tags', 0, 'samplingIntervalMs'], 250));
    expect(t.station.config.current.tags[0]!.samplingIntervalMs).toBe(250);
    // The link follows the edit at once (nothing to resubscribe while lost); the outage lasts until
    // an attempt to connect after the edit failed: long enough to tell 1 ms after the marker from
    // the receipt, and the reconnection is one made with the edited tag.
    const failed = t.logs.filter((l) => l.msg === 'connection failed').length;
    await until('a connection attempt after the edit failed', () => t.logs.filter((l) => l.msg === 'connection failed').length > failed, 60_000);
    const restartedAt = Date.now();
    server = await startTestServer({ role: 'edited-loss', dir, port, build });
    await until('Flat good again', () => t.station.live.get('Flat')?.status === Good, 120_000);

    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Flat', start: 0, end: Date.now() + 60_000 }).rows.map((r) => ({ t: r.t, value: r.value, status: r.status >>> 0 }));
    const loss = rows.find((r) => r.t === marker.t);
    expect(loss && codeOf(loss.status), JSON.stringify(rows)).toBe(BadNoCommunication);
    const after = rows.filter((r) => r.t > marker.t);
    expect(after.length, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(after[0]!.value).toBe(FLAT);
    expect(codeOf(after[0]!.status)).toBe(Good);
    // Nothing Good for the time no server delivered Flat: its first value after the outage no
    // earlier than the restart (its source time, flatSince, is before the marker).
    expect(after[0]!.t, JSON.stringify(rows)).toBeGreaterThanOrEqual(restartedAt);
  }, 240_000);

  it('archives a value read again after a refusal the engineer fixed at its receipt, not 1 ms after the refusal', async () => {
    await until('Flat good', () => t.station.live.get('Flat')?.status === Good, 120_000);
    // A wrong node id: refused; then the engineer puts the right one back.
    t.station.config.edit((doc) => doc.setIn(['tags', 0, 'nodeId'], 'ns=2;s=Missing'));
    await until('Flat refused', () => codeOf(t.station.live.get('Flat')?.status ?? 0) === (StatusCodes.BadNodeIdUnknown.value >>> 0), 60_000);
    const refusal = t.samples.findLast((s) => s.tag === 'Flat' && codeOf(s.status) === (StatusCodes.BadNodeIdUnknown.value >>> 0))!;
    // Two publish cycles (200 ms) of the session answered after the refusal: the station lived on past
    // it, so a receipt after the fix is told from 1 ms after the refusal.
    let published = 0;
    const count = (r: unknown) => void (r instanceof PublishResponse && published++);
    server!.server.on('response', count);
    await until('two publishes after the refusal', () => published >= 2, 30_000);
    server!.server.off('response', count);
    const fixedAt = Date.now();
    t.station.config.edit((doc) => doc.setIn(['tags', 0, 'nodeId'], 'ns=2;s=Flat'));
    await until('Flat good again', () => t.station.live.get('Flat')?.status === Good, 60_000);
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Flat', start: refusal.t, end: Date.now() + 60_000 }).rows.map((r) => ({ t: r.t, value: r.value, status: r.status >>> 0 }));
    const good = rows.filter((r) => r.t > refusal.t && codeOf(r.status) === Good);
    expect(good.length, JSON.stringify(rows)).toBeGreaterThan(0);
    expect(good[0]!.t, JSON.stringify(rows)).toBeGreaterThanOrEqual(fixedAt);
  }, 240_000);
});
