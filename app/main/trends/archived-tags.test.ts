/**
 * A tag renamed out of the station's configuration stays readable: the station as `npm start`
 * composes it (bootStation) archives LT-101, starts again on a configuration that names it
 * LT-101A instead, and the console API still lists LT-101 with its unit and description, reads
 * its history and exports it, under the permissions of any configured tag. Expectations are the
 * configuration texts and the samples written here (a hand count), and Python's reading of the CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { bootStation, type RunningStation } from '../station/boot.js';
import type { StationArchive } from '../station/archive.js';
import { parseStartArgs } from '../args.js';
import { silentLogger } from '../log.js';
import { TransportConnection } from '../api/connection.js';
import type { AccountsModule } from '../accounts/module.js';
import { hashPassword } from '../accounts/password.js';
import type { RequestName } from '../../shared/api.js';
import { decodeSeries } from '../../shared/history/decode.js';
import type { TrendsModule } from './module.js';

const root = new URL('../../../', import.meta.url).pathname;
/** "Last month": samples a minute apart, 30 days before the test runs. */
const T0 = Math.floor((Date.now() - 30 * 86_400_000) / 60_000) * 60_000;
const LEVELS = [4.25, 4.5, 5, 5.75, 6.5, 7, 7.25, 7.5, 7.25, 7];
const CYCLE_MS = 1000;
/**
 * What the archive holds of them (design.md, after HIST): each value after a gap of more than two
 * acquisition cycles comes after a cyclic record, the previous value re-stamped one cycle before it.
 */
const ARCHIVED = LEVELS.flatMap((value, i) => [
  ...(i > 0 ? [{ t: T0 + i * 60_000 - CYCLE_MS, value: LEVELS[i - 1]! }] : []),
  { t: T0 + i * 60_000, value },
]);
const OPERATOR = 'olga', PASSWORD = 'correct-horse-battery-9';

const tag = (name: string, nodeId: string, unit: string, description: string) => ({
  name, server: 'sim', nodeId, kind: 'analog', area: 'A1', unit, description, range: [0, 20], compression: { kind: 'none' },
});
/** Before the rename: LT-101 and TT-101. After it: LT-101A reads the same node; LT-101 is in no configuration. */
const before = [tag('LT-101', 'ns=1;s=LT101', 'm', 'Tank 101 level'), tag('TT-101', 'ns=1;s=TT101', '°C', 'Tank 101 temperature')];
const after = [tag('LT-101A', 'ns=1;s=LT101', 'm', 'Tank 101 level (radar)'), before[1]];
const configText = (tags: object[]) =>
  stringify({
    station: { name: 'Archive North' },
    // Nothing listens: the only data is what the test writes.
    servers: [{ id: 'sim', endpoint: 'opc.tcp://127.0.0.1:1/none', samplingIntervalMs: CYCLE_MS }],
    areas: [{ id: 'A1', name: 'Tanks' }],
    tags,
  });

interface Answer { ok: boolean; result?: unknown; error?: { code: string; message: string } }
interface Console { call(method: RequestName, params?: unknown): Promise<Answer> }
const consoleOf = (running: RunningStation): Console => {
  const conn = new TransportConnection('ws', '127.0.0.1', true, () => {});
  return { call: (method, params = {}) => running.station.dispatcher.dispatch(method, params, conn) as Promise<Answer> };
};
const ok = <T>(a: Answer): T => {
  expect(a.error).toBeUndefined();
  return a.result as T;
};

let dir: string;
let running: RunningStation | null = null;
let server: Server;
let base = '';

async function boot(tags: object[]): Promise<RunningStation> {
  writeFileSync(join(dir, 'station.yaml'), configText(tags));
  const args = parseStartArgs(['--data', join(dir, 'data'), '--config', join(dir, 'station.yaml'), '--no-simulator', '--browser']);
  running = await bootStation(args, 'browser', silentLogger());
  return running;
}

async function signedInOperator(r: RunningStation): Promise<Console> {
  const c = consoleOf(r);
  ok(await c.call('session.signIn', { user: OPERATOR, password: PASSWORD }));
  return c;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-archived-tag-'));
  server = createServer((req, res) => {
    if (!running?.station.module<TrendsModule>('trends')!.downloads.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // First run: LT-101 is configured, archived and saved in a trend group.
  const first = await boot(before);
  const accounts = first.station.module<AccountsModule>('accounts')!;
  accounts.store.insert({ user: OPERATOR, displayName: 'Olga Ivanova', roles: ['operator'], password: await hashPassword(PASSWORD, accounts.config().passwordHash) }, Date.now());
  const archive = first.station.module<StationArchive>('archive')!;
  archive.write(LEVELS.map((value, i) => ({ tag: 'LT-101', t: T0 + i * 60_000, value, status: 0 })));
  await archive.flush();
  const op = await signedInOperator(first);
  ok(await op.call('trends.saveGroup', { name: 'Tank 101', pens: ['LT-101', 'TT-101'], range: { mode: 'fixed', start: T0, end: T0 + 600_000 } }));
  await first.stop();
  running = null;

  // Second run: the tag is renamed; LT-101 lives on in the archive alone.
  await boot(after);
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a tag renamed out of the configuration', () => {
  it('is listed among the archived tags with the unit, description and range its configuration had', async () => {
    const viewer = consoleOf(running!);
    const configured = ok<{ name: string }[]>(await viewer.call('tags.list')).map((t) => t.name);
    expect(configured).not.toContain('LT-101');
    const archived = ok<{ name: string }[]>(await viewer.call('history.tags'));
    expect(archived.find((t) => t.name === 'LT-101')).toEqual({ name: 'LT-101', kind: 'analog', description: 'Tank 101 level', unit: 'm', range: [0, 20], stepped: false });
    expect(archived.map((t) => t.name).sort()).toEqual(['LT-101', 'LT-101A', 'TT-101']);
  });

  it('reads its history without signing in, as a configured tag reads', async () => {
    const viewer = consoleOf(running!);
    const raw = ok<{ series: Parameters<typeof decodeSeries>[0][] }>(await viewer.call('history.raw', { tags: ['LT-101'], start: T0 - 60_000, end: T0 + 600_000 }));
    const s = decodeSeries(raw.series[0]!);
    expect(Array.from(s.raw!.t)).toEqual(ARCHIVED.map((r) => r.t));
    expect(Array.from(s.raw!.value)).toEqual(ARCHIVED.map((r) => r.value));
    // Good, whatever info bits the historian adds (OPC UA Part 4: quality is the top two bits).
    expect(Array.from(s.raw!.status).map((st) => st >>> 30)).toEqual(ARCHIVED.map(() => 0));
    expect(s.versions.map((v) => v.unit)).toEqual(['m']);
    // The plot read the trend makes: 10 columns of a minute, each a level held all minute.
    const plot = ok<{ series: Parameters<typeof decodeSeries>[0][] }>(await viewer.call('history.plot', { tags: ['LT-101', 'TT-101'], start: T0, end: T0 + 600_000, buckets: 10 }));
    const p = decodeSeries(plot.series[0]!);
    expect(Array.from(p.plot!.first)).toEqual(LEVELS);
    expect(Array.from(p.plot!.last)).toEqual(LEVELS);
  });

  it('keeps its place in the trend group saved before the rename, and the group\'s pens read', async () => {
    const viewer = consoleOf(running!);
    const groups = ok<{ name: string; pens: string[] }[]>(await viewer.call('trends.groups'));
    expect(groups.find((g) => g.name === 'Tank 101')?.pens).toEqual(['LT-101', 'TT-101']);
    const plot = ok<{ series: { tag: string }[] }>(await viewer.call('history.plot', { tags: ['LT-101', 'TT-101'], start: T0, end: T0 + 600_000, buckets: 10 }));
    expect(plot.series.map((s) => s.tag)).toEqual(['LT-101', 'TT-101']);
  });

  it('exports to CSV with data.export, as a configured tag does; without it, refused alike', async () => {
    const params = { tags: ['LT-101'], start: T0, end: T0 + 600_000, shape: 'raw', timeZone: null };
    const viewer = consoleOf(running!);
    const refusedArchived = await viewer.call('trends.export', params);
    const refusedConfigured = await viewer.call('trends.export', { ...params, tags: ['TT-101'] });
    expect(refusedArchived.error?.code).toBe('forbidden');
    expect(refusedConfigured.error?.code).toBe('forbidden');

    const op = await signedInOperator(running!);
    const started = ok<{ target: { kind: string; url: string } }>(await op.call('trends.export', params));
    expect(started.target.kind).toBe('download');
    const file = join(dir, 'lt-101.csv');
    writeFileSync(file, Buffer.from(await (await fetch(base + started.target.url)).arrayBuffer()));
    const csv = JSON.parse(execFileSync('python3', [join(root, 'scripts/verify-trend-csv.py'), '--json', file], { encoding: 'utf8' })) as { ok: boolean; problem?: string; rows: number; data: string[][] };
    expect(csv.ok, csv.problem).toBe(true);
    expect(csv.rows).toBe(ARCHIVED.length);
    expect(csv.data.map((row) => [Date.parse(row[0]!), row[1], Number(row[2]), row[3], row[4]])).toEqual(
      ARCHIVED.map((r) => [r.t, 'LT-101', r.value, 'm', 'Good']),
    );
  });
});
