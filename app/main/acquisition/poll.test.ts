/**
 * A server that allows no subscription at all in a session (BadTooManySubscriptions for the first
 * one: a Nano Embedded Device, a gateway whose slots other clients took; BadServiceUnsupported: a
 * firmware without the service). Before, the connection failed and was retried forever, no value
 * ever shown. Now its tags are read (Read, maxAge 0) at their sampling interval, their values taken
 * as subscribed ones (the server's stamps, the archive, the loss watchdog), and a subscription is
 * asked for again now and then: the station goes back to subscriptions once the server gives one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttributeIds, CreateSubscriptionResponse, DataType, ReadResponse, StatusCodes, type OPCUAServer, type UAVariable } from 'node-opcua';
import { isGood } from '../../../historian/status.js';
import { pollRetry } from './poll.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

let dir: string;
let server: TestServer | undefined;
let t: TestStation | undefined;
let ticker: NodeJS.Timeout | undefined;
const retryDefault = { ...pollRetry };

afterEach(async () => {
  clearInterval(ticker);
  await t?.stop();
  await server?.stop();
  t = undefined;
  server = undefined;
  Object.assign(pollRetry, retryDefault);
  rmSync(dir, { recursive: true, force: true });
});

/** What the server produced: each value with the source stamp it gave it (ms). */
interface Produced { t: number; v: number }

/** A server whose Level is set to n every 100 ms (n counting up, stamped by the server), allowing no subscription. */
async function serve(role: string, maxNodesPerRead?: number): Promise<{ s: TestServer; produced: Produced[] }> {
  dir = mkdtempSync(join(tmpdir(), `vigil-${role}-`));
  let level: UAVariable | undefined;
  const s = await startTestServer({
    role, dir, maxNodesPerRead,
    build: (ns, as) => {
      level = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: 'Level', nodeId: 's=Level', dataType: 'Double', minimumSamplingInterval: 0, value: { dataType: DataType.Double, value: 0 } });
      for (const n of ['Temp', 'Flow']) ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: n, nodeId: `s=${n}`, dataType: 'Double', value: { dataType: DataType.Double, value: 1 } });
    },
  });
  s.server.engine.serverCapabilities.maxSubscriptionsPerSession = 0;
  const produced: Produced[] = [];
  let n = 0;
  ticker = setInterval(() => {
    n++;
    // Stamped a second in the past: a value dated at its receipt would not be one of these.
    const at = new Date(Date.now() - 1000);
    produced.push({ t: at.getTime(), v: n });
    level!.setValueFromSource({ dataType: DataType.Double, value: n }, StatusCodes.Good, at);
  }, 100);
  server = s;
  return { s, produced };
}

const yaml = (endpoint: string) => `station: { name: Polled, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false, samplingIntervalMs: 300, publishingIntervalMs: 300 }
areas: [{ id: A, name: A }]
tags:
  - { name: Level, server: plc, nodeId: "ns=2;s=Level", kind: analog, area: A }
`;

type SendError = (status: typeof StatusCodes.Good) => void;
interface Handlers {
  _apply_on_SessionObject(response: unknown, message: unknown, channel: unknown, action: (session: unknown, send: unknown, sendError: SendError) => void): void;
  _on_CreateSubscriptionRequest(message: unknown, channel: unknown): void;
  _on_ReadRequest(message: unknown, channel: unknown): void;
}
/** node-opcua's server looks its service handlers up by name on itself at each request (base_server.ts): these replace two of them. */
const handlers = (server: OPCUAServer) => server as unknown as Handlers;

const subscriptionsOf = (s: TestServer) => s.server.engine.getSessions().flatMap((x) => x.publishEngine.subscriptions);
const failures = (st: TestStation) => st.logs.filter((l) => l.msg === 'connection failed' || l.msg === 'server lost');

describe('a server that allows no subscription', () => {
  it('is polled: values archived with the server\'s stamps at about the sampling interval, and a stopped server is marked lost', async () => {
    const { s, produced } = await serve('poll-archive');
    // When the server received each read of Level's value (maxAge 0: the device's value now).
    const reads: number[] = [];
    s.server.on('request', (req: { constructor: { name: string }; maxAge?: number; nodesToRead?: { nodeId: { value: unknown }; attributeId: number }[] }) => {
      if (req.constructor.name === 'ReadRequest' && req.maxAge === 0 && req.nodesToRead?.some((n) => n.nodeId.value === 'Level' && n.attributeId === AttributeIds.Value)) reads.push(Date.now());
    });
    t = await startTestStation({ dir, yaml: yaml(s.endpoint), archive: true });
    const st = t;
    await until('ten good values', () => st.samples.filter((x) => x.tag === 'Level' && isGood(x.status)).length >= 10, 30_000);
    expect(failures(st)).toEqual([]);
    expect(st.states.at(-1)).toMatchObject({ state: 'connected', polled: { reason: 'BadTooManySubscriptions' } });
    expect(st.logs.filter((l) => /polled/.test(String(l.msg)) && l.level === 40)).toHaveLength(1);

    await st.archive!.flush();
    const rows = st.archive!.readRaw({ tags: 'Level', start: 0, end: Date.now() + 10_000 }).rows.filter((r) => isGood(r.status) && r.flags === 0);
    // Every value archived is one the server produced, with the stamp it gave it.
    const byValue = new Map(produced.map((p) => [p.v, p.t]));
    // The first is dated when the tag was asked for (its current value), those stamped before it 1 ms after it (the order rule).
    const later = rows.filter((r) => byValue.get(r.value as number)! > rows[0]!.t);
    expect(later.length).toBeGreaterThanOrEqual(5);
    for (const r of later) expect(r.t).toBe(byValue.get(r.value as number));
    // Read at the 300 ms interval, never faster (reads do not stack): 100 ms allowed for the network's jitter.
    const gaps = reads.slice(1).map((at, i) => at - reads[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(5);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);

    const lastGood = st.samples.filter((x) => x.tag === 'Level' && isGood(x.status)).at(-1)!;
    clearInterval(ticker);
    await s.stop();
    server = undefined;
    const marker = await until('loss marker', () => st.samples.find((x) => x.tag === 'Level' && x.status === StatusCodes.BadNoCommunication.value >>> 0), 30_000);
    // Dated at the last evidence, after the last value and not before it.
    expect(marker.t).toBeGreaterThan(lastGood.t);
  }, 90_000);

  it('reads within the MaxNodesPerRead the server gives, every tag acquired', async () => {
    const { s } = await serve('poll-batches', 2);
    // The sizes of the value reads of the tags (maxAge 0) the server received.
    const sizes: number[] = [];
    s.server.on('request', (req: { constructor: { name: string }; maxAge?: number; nodesToRead?: { nodeId: { value: unknown }; attributeId: number }[] }) => {
      const nodes = req.nodesToRead ?? [];
      if (req.constructor.name === 'ReadRequest' && req.maxAge === 0 && nodes.some((n) => ['Level', 'Temp', 'Flow'].includes(n.nodeId.value as string) && n.attributeId === AttributeIds.Value)) sizes.push(nodes.length);
    });
    t = await startTestStation({ dir, yaml: `${yaml(s.endpoint)}  - { name: Temp, server: plc, nodeId: "ns=2;s=Temp", kind: analog, area: A }
  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A }
` });
    const st = t;
    await until('every tag good', () => ['Level', 'Temp', 'Flow'].every((n) => st.station.live.get(n)?.status === 0) && sizes.length >= 6, 30_000);
    expect(Math.max(...sizes)).toBe(2);
    expect(failures(st)).toEqual([]);
    // Temp and Flow never change: handed on once each, not at every read.
    expect(st.samples.filter((x) => x.tag === 'Temp')).toHaveLength(1);
  }, 90_000);

  it('goes back to subscriptions once the server gives one', async () => {
    Object.assign(pollRetry, { firstMs: 300, everyMs: 600 });
    const { s } = await serve('poll-return');
    t = await startTestStation({ dir, yaml: yaml(s.endpoint) });
    const st = t;
    await until('polled', () => st.states.at(-1)?.polled && st.samples.filter((x) => x.tag === 'Level' && isGood(x.status)).length >= 3, 30_000);
    expect(subscriptionsOf(s)).toEqual([]);

    s.server.engine.serverCapabilities.maxSubscriptionsPerSession = 10;
    await until('subscribed', () => subscriptionsOf(s).some((x) => x.monitoredItemCount === 1), 30_000);
    await until('not polled', () => st.states.at(-1)?.state === 'connected' && st.states.at(-1)?.polled === null, 30_000);
    const from = st.samples.length;
    await until('values from the subscription', () => st.samples.slice(from).filter((x) => x.tag === 'Level' && isGood(x.status)).length >= 5, 30_000);
    expect(failures(st)).toEqual([]);
    expect(st.logs.filter((l) => /subscribed again, no longer polled/.test(String(l.msg)))).toHaveLength(1);
  }, 90_000);

  it('without the subscription service (BadServiceUnsupported): polled, and reads that go unanswered are a loss at the last answer', async () => {
    const { s } = await serve('poll-silent');
    const h = handlers(s.server);
    // A firmware without the subscription service set: every CreateSubscription refused so.
    h._on_CreateSubscriptionRequest = (message, channel) =>
      h._apply_on_SessionObject(CreateSubscriptionResponse, message, channel, (_session, _send, sendError) => sendError(StatusCodes.BadServiceUnsupported));
    let silent = false;
    const read = h._on_ReadRequest.bind(s.server);
    h._on_ReadRequest = (message, channel) => {
      if (!silent) read(message, channel);
    };
    t = await startTestStation({ dir, yaml: yaml(s.endpoint) });
    const st = t;
    await until('polled values', () => st.states.at(-1)?.polled && st.samples.filter((x) => x.tag === 'Level' && isGood(x.status)).length >= 3, 30_000);
    expect(st.states.at(-1)?.polled).toEqual({ reason: 'BadServiceUnsupported' });
    expect(failures(st)).toEqual([]);

    silent = true;
    const marker = await until('loss marker', () => st.samples.find((x) => x.tag === 'Level' && x.status === StatusCodes.BadNoCommunication.value >>> 0), 30_000);
    const lastGood = st.samples.filter((x) => x.tag === 'Level' && isGood(x.status)).at(-1)!;
    // Dated at the last answer (the socket stayed open: the watchdog, not a closed channel, saw it), after the last value.
    expect(marker.t).toBeGreaterThan(lastGood.t);
    expect(marker.t).toBeLessThan(marker.at);
    expect(st.logs.find((l) => l.msg === 'server lost')).toMatchObject({ reason: 'no data or keep-alive from the server' });
  }, 90_000);

  it('a read answered with a Bad service result is a loss: marked, and polled again after reconnecting', async () => {
    const { s } = await serve('poll-refused-read');
    const h = handlers(s.server);
    let refuse = false;
    const read = h._on_ReadRequest.bind(s.server);
    h._on_ReadRequest = (message, channel) => {
      const nodes = (message as { request: { nodesToRead?: { nodeId: { value: unknown } }[] } }).request.nodesToRead ?? [];
      if (!refuse || !nodes.some((n) => n.nodeId.value === 'Level')) return read(message, channel);
      refuse = false;
      h._apply_on_SessionObject(ReadResponse, message, channel, (_session, _send, sendError) => sendError(StatusCodes.BadInternalError));
    };
    t = await startTestStation({ dir, yaml: yaml(s.endpoint) });
    const st = t;
    const good = () => st.samples.filter((x) => x.tag === 'Level' && isGood(x.status));
    await until('polled values', () => st.states.at(-1)?.polled && good().length >= 3, 30_000);

    refuse = true;
    const marker = await until('loss marker', () => st.samples.find((x) => x.tag === 'Level' && x.status === StatusCodes.BadNoCommunication.value >>> 0), 30_000);
    expect(st.logs.find((l) => l.msg === 'a read of the polled tags failed')).toMatchObject({ server: 'plc', err: expect.stringMatching(/BadInternalError/) });
    expect(st.logs.find((l) => l.msg === 'server lost')).toMatchObject({ reason: 'connection lost' });
    await until('polled again after reconnecting', () => st.states.at(-1)?.state === 'connected' && st.states.at(-1)?.polled && good().some((x) => x.t > marker.t), 30_000);
  }, 90_000);
});
