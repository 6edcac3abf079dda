/**
 * A gap's history for an item whose own source stamps are wrong while the server's clock is right
 * (a field device an hour behind, or a stamp frozen while the value changes: stale-stamps.test.ts
 * dates such an item's live values by their ServerTimestamps). Its history, read from a real
 * server's historian, is dated the same way. Before, the backfill placed it by its device times:
 * values from an hour after the gap were archived inside it, and a frozen stamp archived the gap's
 * values all at one instant. The expectation is the ServerTimestamps the test gave the history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, OPCUAClient, StatusCodes, type ClientSession, type UAVariable } from 'node-opcua';
import { parseStationConfig } from '../station/config-file.js';
import { readGap } from './backfill.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const HOUR = 3600_000;
const t0 = Date.UTC(2026, 0, 1, 12);
/** The gap: (t0, t0 + 10 s]. */
const TO = t0 + 10_000;

/** Per item: the history as [source stamp (null: none), server stamp (null: none), value]. */
const HISTORY: Record<string, [number | null, number | null, number][]> = {
  // Ticking an hour behind: values of the gap carry stamps an hour before it (not in the read), and
  // values an hour after the gap carry stamps inside it.
  Behind: [
    ...[1, 2, 3].map((k): [number, number, number] => [t0 + k * 1000 - HOUR, t0 + k * 1000, k]),
    ...[4, 5, 6].map((k): [number, number, number] => [t0 + k * 1000, t0 + k * 1000 + HOUR, 10 + k]),
  ],
  // Frozen at the gap's first second while the value changes every second.
  Frozen: [1, 2, 3, 4, 5].map((k) => [t0 + 1000, t0 + k * 1000 + 500, 20 + k]),
  // A value whose ServerTimestamp is missing cannot be placed.
  NoServerTs: [[t0 + 1000, t0 + 1000, 31], [t0 + 2000, null, 32], [t0 + 3000, t0 + 3000, 33]],
  // A right device: its own stamps stand.
  Right: [1, 2, 3].map((k) => [t0 + k * 1000, t0 + k * 1000 + 40, 40 + k]),
};
const ITEMS = Object.keys(HISTORY);

describe('the history of an item whose source stamps are wrong', () => {
  let dir: string;
  let server: TestServer;
  let client: OPCUAClient;
  let session: ClientSession;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-stamps-'));
    server = await startTestServer({
      role: 'backfill-stamps', dir,
      build: (ns, as) => {
        for (const name of ITEMS) {
          const v = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', value: { dataType: DataType.Double, value: 0 } });
          as.installHistoricalDataNode(v, { maxOnlineValues: 1000 });
          const history = (v as UAVariable & { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
          for (const [source, serverTs, value] of HISTORY[name]!) {
            void history.push(new DataValue({
              value: { dataType: DataType.Double, value }, statusCode: StatusCodes.Good,
              sourceTimestamp: source === null ? undefined : new Date(source), serverTimestamp: serverTs === null ? undefined : new Date(serverTs),
            }));
          }
        }
      },
    });
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(server.endpoint);
    session = await client.createSession();
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await client?.disconnect();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const tags = () => parseStationConfig(`station: { name: Stamps, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}" }
areas: [{ id: A, name: A }]
tags:
${ITEMS.map((name) => `  - { name: ${name}, server: plc, nodeId: "ns=2;s=${name}", kind: analog, area: A }`).join('\n')}
`, 'stamps.yaml').tags;

  /** What readGap gives per item: [ms after t0, value]. */
  async function read(wrong: string[]): Promise<Record<string, [number, unknown][]>> {
    const gap = await readGap(session, tags(), t0, TO, 100, undefined, new Set(wrong));
    expect(gap.refused).toEqual([]);
    const by: Record<string, [number, unknown][]> = Object.fromEntries(ITEMS.map((name) => [name, []]));
    for (const s of gap.samples) by[s.tag]!.push([s.t - t0, s.value]);
    for (const name of ITEMS) by[name]!.sort((a, b) => a[0] - b[0] || Number(a[1]) - Number(b[1]));
    return by;
  }

  it('dates the history of the items seen wrong by its ServerTimestamps, inside the gap only; a value without one is left out', async () => {
    const got = await read(['Behind', 'Frozen', 'NoServerTs']);
    // The gap's own values of Behind are stamped an hour before it, outside the read: nothing rather than values from an hour later.
    expect(got.Behind).toEqual([]);
    expect(got.Frozen).toEqual([[1500, 21], [2500, 22], [3500, 23], [4500, 24], [5500, 25]]);
    expect(got.NoServerTs).toEqual([[1000, 31], [3000, 33]]);
    expect(got.Right).toEqual([[1000, 41], [2000, 42], [3000, 43]]);
  });

  it('keeps the source stamps of every other item', async () => {
    const got = await read([]);
    expect(got.Behind).toEqual([[4000, 14], [5000, 15], [6000, 16]]);
    expect(got.NoServerTs).toEqual([[1000, 31], [2000, 32], [3000, 33]]);
    expect(got.Right).toEqual([[1000, 41], [2000, 42], [3000, 43]]);
  });
});
