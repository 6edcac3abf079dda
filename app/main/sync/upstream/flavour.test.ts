/**
 * The request each flavour sends, checked against a local HTTP server: path,
 * query, Authorization, gzip and the lines. InfluxDB 2.x/3.x and a
 * VictoriaMetrics cluster cannot run here; the expected shapes are the ones
 * their documentation gives (v2: /api/v2/write?org&bucket&precision=ms with
 * "Token"; v3: /api/v3/write_lp?db&precision=millisecond with "Bearer";
 * vminsert: /insert/<accountID:projectID>/influx/write).
 */
import { type IncomingHttpHeaders, createServer } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { UpstreamWorker } from '../deliver/worker.js';
import { SyncStore } from '../store/sync-store.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { SampleLog } from '../testing/sample-log.js';
import { CredentialError, resolveSecret, osKeychain } from './credentials.js';
import { parseRetention } from './flavour.js';

interface Seen { method: string; path: string; query: Record<string, string>; headers: IncomingHttpHeaders; lines: string[] }
const seen: Seen[] = [];
/** GETs of the restart probe (InfluxDB 1.x: /debug/vars), apart from the writes. */
const probes: Seen[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const u = new URL(req.url!, 'http://x');
    const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
    const r = { method: req.method!, path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, lines: text.split('\n').filter(Boolean) };
    (req.method === 'GET' && u.pathname === '/debug/vars' ? probes : seen).push(r);
    res.writeHead(204).end();
  });
});
let url = '';
const tmp = tempDir();
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  tmp.remove();
});

async function send(name: string, over: Parameters<typeof upstreamConfig>[0], secret: string | null): Promise<Seen> {
  seen.length = 0;
  probes.length = 0;
  const store = SyncStore.open(join(tmp.dir, `${name}.sync.sqlite`));
  const log = new SampleLog(join(tmp.dir, `${name}.samples.sqlite`));
  const config = upstreamConfig(over);
  const stream = log.stream(config.flavour);
  log.append([{ tag: 'TK101.Level', kind: 'analog', t: 1_700_000_000_000, value: 1.5, status: 0 }]);
  const worker = new UpstreamWorker({ config, store, streams: [stream], log: silentLogger(), secret, onLoss: () => undefined });
  worker.start();
  try {
    await until('sent', () => drained(store, config.id, [stream]));
  } finally {
    await worker.stop();
    store.close();
    log.close();
  }
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

describe('request shapes', () => {
  it('influxdb1: /write with db, rp and precision=ms; Basic auth; gzip', async () => {
    const r = await send('v1', { url, flavour: 'influxdb1', database: 'vigil', retentionPolicy: 'one_year', credentials: { username: 'station', secret: { env: 'X' } } }, 's3cret');
    expect([r.method, r.path, r.query]).toEqual(['POST', '/write', { db: 'vigil', rp: 'one_year', precision: 'ms' }]);
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from('station:s3cret').toString('base64')}`);
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.lines).toEqual(['tf,area=Area1,site=North,tag=TK101.Level,unit=m value=1.5,status=0i,status_name="Good" 1700000000000']);
    // Its restart probe: the process start time in /debug/vars, with the same credentials.
    expect(probes.map((p) => [p.method, p.path, p.headers.authorization])).toContainEqual(['GET', '/debug/vars', r.headers.authorization]);
  });

  it('influxdb2: /api/v2/write with org, bucket and precision=ms; Authorization: Token', async () => {
    const r = await send('v2', { url: `${url}/`, flavour: 'influxdb2', database: undefined, org: 'plant north', bucket: 'vigil/raw', credentials: { secret: { env: 'X' } } }, 'tok==');
    expect([r.path, r.query]).toEqual(['/api/v2/write', { org: 'plant north', bucket: 'vigil/raw', precision: 'ms' }]);
    expect(r.headers.authorization).toBe('Token tok==');
  });

  it('influxdb3: /api/v3/write_lp with db and precision=millisecond; Authorization: Bearer', async () => {
    const r = await send('v3', { url, flavour: 'influxdb3', database: 'vigil', credentials: { secret: { env: 'X' } } }, 'apiv3_tok');
    expect([r.path, r.query]).toEqual(['/api/v3/write_lp', { db: 'vigil', precision: 'millisecond' }]);
    expect(r.headers.authorization).toBe('Bearer apiv3_tok');
  });

  it('victoriametrics cluster: /insert/<tenant>/influx/write; no string fields', async () => {
    const r = await send('vmc', { url, flavour: 'victoriametrics', database: undefined, tenant: '3:7', gzipLevel: 0 }, null);
    expect([r.path, r.query, r.headers.authorization, r.headers['content-encoding']]).toEqual(['/insert/3:7/influx/write', { precision: 'ms' }, undefined, undefined]);
    expect(r.lines).toEqual(['tf,area=Area1,site=North,tag=TK101.Level,unit=m value=1.5,status=0i 1700000000000']);
  });
});

describe('credentials', () => {
  it('from an environment variable; a missing one is named', async () => {
    expect(await resolveSecret('region', { env: 'VIGIL_T' }, { VIGIL_T: 'x' })).toBe('x');
    await expect(resolveSecret('region', { env: 'VIGIL_T' }, {})).rejects.toThrow('upstream region: environment variable VIGIL_T is not set');
  });

  it('from the OS keychain: an absent entry and an unreadable store are named', async () => {
    await expect(resolveSecret('region', { keychain: { service: 'vigil', account: 'a' } }, {}, async () => null))
      .rejects.toThrow('upstream region: OS keychain has no entry vigil/a');
    // This machine has no usable secret store: the real lookup fails with a CredentialError, never a crash.
    await expect(resolveSecret('region', { keychain: { service: 'vigil-test', account: 'nobody' } }, {}, osKeychain)).rejects.toBeInstanceOf(CredentialError);
  });
});

describe('VictoriaMetrics\' retention from its /metrics', () => {
  const at = (value: string, isSet = 'true') => `vm_rows{type="x"} 3\nflag{name="retentionPeriod", value="${value}", is_set="${isSet}"} 1\nflag{name="search.latencyOffset", value="30s", is_set="false"} 1\n`;
  it('reads months (31 days, a number alone, the default unset), hours, days, weeks and years; nothing else', () => {
    const day = 86_400_000;
    expect(parseRetention(at('1', 'false'))).toEqual({ ms: 31 * day, text: '1' });
    expect(parseRetention(at('1d'))).toEqual({ ms: day, text: '1d' });
    expect(parseRetention(at('36h'))).toEqual({ ms: 1.5 * day, text: '36h' });
    expect(parseRetention(at('2w'))).toEqual({ ms: 14 * day, text: '2w' });
    expect(parseRetention(at('100y'))).toEqual({ ms: 36_500 * day, text: '100y' });
    expect(parseRetention(at('0.5'))).toEqual({ ms: 15.5 * day, text: '0.5' });
    expect(parseRetention(at('5x'))).toBeNull();
    expect(parseRetention(at('0d'))).toBeNull();
    expect(parseRetention('process_start_time_seconds 1700000000\n')).toBeNull();
  });
});
