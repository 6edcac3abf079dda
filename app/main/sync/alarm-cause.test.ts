/**
 * An upstream's backlog alarm says the error its sends meet now: when the cause changes (HTTP 500,
 * then 502) the alarm is passed on with the new one, as an exploratory run found the header still
 * saying "last error: HTTP 400" while the upstream answered 502. Its counts and age alone, which
 * change with every status, are not passed on (each would change the alarm under an operator about
 * to acknowledge it). A real archive; a local upstream that answers what the test says.
 */
import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { Good } from '../../../historian/status.js';
import { tagConfig } from '../../../historian/store/testing.js';
import { syncConfigSchema } from '../../shared/config/sync.js';
import { silentLogger } from '../log.js';
import { SampleEncoder } from './line-protocol/samples.js';
import { SyncService } from './service.js';
import type { SyncAlarm } from './status.js';
import { SamplesStream } from './streams/samples.js';
import { tempDir, until } from './testing/harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

it('a backlog alarm is passed on when its error changes, not when only its counts do', async () => {
  let status = 500;
  const server: Server = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(status).end(`upstream says ${status}`)); });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const tmp = tempDir();
  cleanups.push(tmp.remove);
  // Archived two minutes ago (its write times): the backlog is older than the alarm's 20 s at once.
  const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0, now: () => Date.now() - 120_000 });
  cleanups.push(() => h.close());
  h.defineTag(tagConfig('TK1.Level', { unit: 'm' }), 0);
  let t = Date.now() - 3_600_000;
  const write = (n: number) => {
    h.append('TK1.Level', Array.from({ length: n }, (_, i) => ({ t: t + i * 1000, value: i, status: Good })));
    h.flush();
    t += n * 1000;
  };
  write(100);
  const alarms: (SyncAlarm | null)[] = [];
  let records = 0;
  const sync = await SyncService.start({
    config: syncConfigSchema.parse({ backlogAlarmAfterSec: 20, upstreams: [{ id: 'region', url, flavour: 'influxdb1', database: 't', flushIntervalMs: 50 }] }),
    dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50,
    streams: () => [new SamplesStream(h, new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' }), () => 'Area1')],
    onAlarm: (_, a) => alarms.push(a),
    onStatus: (s) => { records = s.upstreams[0]!.backlog.records; },
  });
  cleanups.push(() => sync.stop());
  const raised = () => alarms.filter((a): a is SyncAlarm => a !== null);
  await until('the backlog alarm naming HTTP 500', () => raised().some((a) => a.kind === 'backlog' && /HTTP 500/.test(a.message)));
  const passedOn = raised().length;

  // More waits (its count changes); the cause does not: nothing new for the alarm.
  write(50);
  await until('the status counting the new records', () => records >= 150);
  expect(raised().length).toBe(passedOn);

  status = 502;
  await until('the backlog alarm naming HTTP 502', () => raised().some((a) => /HTTP 502/.test(a.message)), 60_000);
  expect(raised().at(-1)).toMatchObject({ kind: 'backlog', message: expect.stringMatching(/^150 records wait, the oldest for 2 min \(last error: HTTP 502/) });
});
