/**
 * The baseline: a bare node-opcua client on the same tags (one subscription,
 * monitored items in calls of 1000, nothing done with the values but
 * counting them and timing source -> here). What Vigil adds on top of
 * node-opcua is the difference.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeIds, ClientMonitoredItemGroup, MessageSecurityMode, OPCUACertificateManager, OPCUAClient, SecurityPolicy, TimestampsToReturn,
  type DataValue,
} from 'node-opcua';
import { Histogram, cpuMeter } from './histogram.js';

interface Start { type: 'start'; endpoint: string; nodeIds: string[]; secure: boolean }
const send = (msg: object) => process.send?.(msg);

async function start(msg: Start): Promise<void> {
  const client = OPCUAClient.create({
    endpointMustExist: false,
    securityMode: msg.secure ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None,
    securityPolicy: msg.secure ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None,
    connectionStrategy: { maxRetry: 3, initialDelay: 500, maxDelay: 2000 },
    clientCertificateManager: new OPCUACertificateManager({ rootFolder: mkdtempSync(join(tmpdir(), 'vigil-bench-bare-')), automaticallyAcceptUnknownCertificate: true }),
  });
  await client.connect(msg.endpoint);
  const session = await client.createSession();
  const subscription = await session.createSubscription2({ requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 600, maxNotificationsPerPublish: 0, publishingEnabled: true });
  let latency = new Histogram();
  let samples = 0;
  const seen = new Set<number>();
  for (let i = 0; i < msg.nodeIds.length; i += 1000) {
    const part = msg.nodeIds.slice(i, i + 1000);
    const group = ClientMonitoredItemGroup.create(subscription, part.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
      { samplingInterval: 0, queueSize: 5, discardOldest: true }, TimestampsToReturn.Both);
    group.on('changed', (_item: unknown, dv: DataValue, index: number) => {
      samples++;
      seen.add(i + index);
      const t = dv.sourceTimestamp?.getTime();
      if (t) latency.add(Date.now() - t);
    });
    await new Promise<void>((resolve, reject) => {
      group.once('initialized', () => resolve());
      group.once('err', (e: string) => reject(new Error(e)));
    });
  }
  send({ type: 'ready' });
  let cpu = cpuMeter();
  let since = performance.now();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'measure') {
      latency = new Histogram();
      samples = 0;
      cpu = cpuMeter();
      since = performance.now();
    } else if (m.type === 'report') {
      send({ type: 'report', samples, seconds: (performance.now() - since) / 1000, cpuPercent: cpu(), rssMB: process.memoryUsage().rss / 2 ** 20, latency: latency.summary(), seen: seen.size });
    } else if (m.type === 'stop') {
      void session.close().then(() => client.disconnect()).then(() => process.exit(0));
    }
  });
}

process.once('message', (m: Start) => {
  start(m).catch((err: unknown) => {
    send({ type: 'error', message: (err as Error).stack ?? String(err) });
    process.exit(1);
  });
});
