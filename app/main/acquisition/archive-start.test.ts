/**
 * The archive-start evidence read from a real node-opcua server: a historized variable's
 * HistoricalDataConfiguration (StartOfArchive / StartOfOnlineArchive, set by the server from the
 * first value its history holds), the server's ServerStatus.StartTime, and nothing (no failure)
 * for a variable without history or a node the server does not have. Expected times are the
 * test's own: when it stamped the first value it gave the history, and when it started the server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, DataValue, MessageSecurityMode, OPCUAClient, SecurityPolicy, type ClientSession, type UAVariable } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyStartsAfter, readArchiveStarts } from './archive-start.js';
import { DEFAULT_LIMITS } from './operation-limits.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

const FIRST = Date.UTC(2026, 0, 1, 8, 0, 0);
let dir: string;
let server: TestServer;
let startedBefore: number;
let startedAfter: number;
let client: OPCUAClient;
let session: ClientSession;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-archive-start-'));
  startedBefore = Date.now();
  server = await startTestServer({
    role: 'archive-start', dir,
    build: (ns, as) => {
      const kept = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Kept', nodeId: 's=Kept', dataType: 'Double', minimumSamplingInterval: 0 });
      as.installHistoricalDataNode(kept, { maxOnlineValues: 1000 });
      const history = (kept as UAVariable & { varHistorian: { push(dv: DataValue): Promise<void> } }).varHistorian;
      for (let i = 0; i < 3; i++) void history.push(new DataValue({ value: { dataType: DataType.Double, value: i }, sourceTimestamp: new Date(FIRST + i * 1000) }));
      ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Plain', nodeId: 's=Plain', dataType: 'Double', minimumSamplingInterval: 0 });
    },
  });
  startedAfter = Date.now();
  client = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
  await client.connect(server.endpoint);
  session = await client.createSession();
}, 120_000);

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('readArchiveStarts', () => {
  it('gives a historized variable its archive start, the server its start time, and nothing for the rest', async () => {
    const e = await readArchiveStarts(session, [
      { name: 'Kept', nodeId: 'ns=2;s=Kept' }, { name: 'Plain', nodeId: 'ns=2;s=Plain' }, { name: 'Gone', nodeId: 'ns=2;s=Gone' },
    ], DEFAULT_LIMITS);
    expect(e.tags.get('Kept')).toBe(FIRST);
    expect(e.tags.has('Plain')).toBe(false);
    expect(e.tags.has('Gone')).toBe(false);
    expect(e.serverStart).not.toBeNull();
    expect(e.serverStart!).toBeGreaterThanOrEqual(startedBefore - 1000);
    expect(e.serverStart!).toBeLessThanOrEqual(startedAfter + 1000);
  });

  it('reads within a limit of one node per request', async () => {
    const e = await readArchiveStarts(session, [{ name: 'Kept', nodeId: 'ns=2;s=Kept' }, { name: 'Plain', nodeId: 'ns=2;s=Plain' }],
      { maxNodesPerRead: 1, maxNodesPerBrowse: 1 });
    expect(e.tags.get('Kept')).toBe(FIRST);
  });
});

describe('historyStartsAfter', () => {
  const gapFrom = Date.UTC(2026, 0, 1, 9, 0, 0);
  it('an archive start after the gap\'s start: its history begins there', () => {
    expect(historyStartsAfter({ serverStart: gapFrom - 5000, tags: new Map([['A', gapFrom + 20_000]]) }, ['A'], gapFrom)).toBe(gapFrom + 20_000);
  });
  it('an archive start before the gap\'s start covers it, even from a server started after it', () => {
    expect(historyStartsAfter({ serverStart: gapFrom + 28_000, tags: new Map([['A', gapFrom - 3_600_000]]) }, ['A'], gapFrom)).toBeNull();
  });
  it('no archive start: a server started after the gap\'s start holds nothing before its start', () => {
    expect(historyStartsAfter({ serverStart: gapFrom + 28_000, tags: new Map() }, ['A'], gapFrom)).toBe(gapFrom + 28_000);
    expect(historyStartsAfter({ serverStart: gapFrom - 1, tags: new Map() }, ['A'], gapFrom)).toBeNull();
  });
  it('no word from the server at all: covered, as before', () => {
    expect(historyStartsAfter({ serverStart: null, tags: new Map() }, ['A'], gapFrom)).toBeNull();
  });
  it('several tags: the latest start among those that begin after the gap\'s start', () => {
    expect(historyStartsAfter({ serverStart: null, tags: new Map([['A', gapFrom + 1000], ['B', gapFrom + 9000], ['C', gapFrom - 9000]]) }, ['A', 'B', 'C'], gapFrom)).toBe(gapFrom + 9000);
  });
});
