import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { SyncStore } from './store/sync-store.js';
import { AuditTrail } from '../accounts/audit/trail.js';
import { tempDir } from './testing/harness.js';
import { cliCommand } from '../../../scripts/cli-bundles.js';

const tmp = tempDir();
const data = tmp.dir;

const sink = (into: string[]) => new Writable({ write(chunk, _enc, done) { into.push(String(chunk)); done(); } });

/** The CLI in this process (one test runs it as a process, for the exit code). */
async function sync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const code = await main([...args, '--data', data], sink(out), sink(err));
  return { code, out: out.join(''), err: err.join('') };
}

beforeAll(() => {
  writeFileSync(join(data, 'station.yaml'), `
station: { name: Tank Farm North }
servers: [{ id: sim, endpoint: "opc.tcp://127.0.0.1:4840/vigil" }]
areas: [{ id: Area1, name: Area 1 }]
tags: []
sync:
  upstreams:
    - { id: region, url: "http://127.0.0.1:8086", flavour: influxdb1, database: vigil }
    - { id: vm, url: "http://127.0.0.1:8428", flavour: victoriametrics, streams: [gaps] }
`);
  const store = SyncStore.open(join(data, 'sync.sqlite'));
  store.addQuarantine('region', 'samples', [
    { origin: 'upstream', line: 'tf,tag=A value=1 1700000000000', reason: 'HTTP 400: partial write: field type conflict', t: 1_700_000_000_000, key: 'A', record: null },
    { origin: 'station', line: 'tf,tag="B" value=NaN,status=0i 1700000000001', reason: 'value NaN with status Good cannot be written', t: 1_700_000_000_001, key: 'B', record: '{"tag":"B"}' },
  ], 1_700_000_100_000);
  store.close();
});
afterAll(() => tmp.remove());

/** The actions in the station's audit trail so far, oldest first. */
function auditActions(): string[] {
  if (!existsSync(join(data, 'audit.sqlite'))) return [];
  const trail = AuditTrail.openReadOnly(data);
  try {
    return [...trail.entries()].map((e) => e.action);
  } finally {
    trail.close();
  }
}

describe('npm run sync', () => {
  it('status names each upstream, that no station runs, and the quarantine', async () => {
    const r = await sync('status');
    expect(r.code).toBe(0);
    expect(r.out).toContain('station: not running');
    expect(r.out).toMatch(/region {2}influxdb1 {2}http:\/\/127\.0\.0\.1:8086/);
    expect(r.out).toContain('no status yet');
  });

  it('quarantine list and export (csv and line protocol)', async () => {
    const list = await sync('quarantine', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out).map((q: { key: string; origin: string }) => [q.key, q.origin])).toEqual([['A', 'upstream'], ['B', 'station']]);
    const csv = join(data, 'q.csv');
    expect((await sync('export', '--out', csv)).code).toBe(0);
    const text = readFileSync(csv, 'utf8').split('\n');
    expect(text[0]).toBe('id,upstream,stream,refused_by,reason,key,time,quarantined_at,line,record');
    expect(text[1]).toBe('1,region,samples,upstream,HTTP 400: partial write: field type conflict,A,2023-11-14T22:13:20.000Z,2023-11-14T22:15:00.000Z,tf,tag=A value=1 1700000000000,'.replace('tf,tag=A value=1 1700000000000', '"tf,tag=A value=1 1700000000000"'));
    const lp = join(data, 'q.lp');
    expect((await sync('quarantine', 'export', '--out', lp, '--format', 'lp')).code).toBe(0);
    expect(readFileSync(lp, 'utf8')).toBe('# 1 region: HTTP 400: partial write: field type conflict\ntf,tag=A value=1 1700000000000\n' +
      '# 2 region: refused by the station: value NaN with status Good cannot be written\n# tf,tag="B" value=NaN,status=0i 1700000000001\n');
    // An existing file is not overwritten.
    expect((await sync('export', '--out', lp)).code).toBe(1);
  });

  it('retry marks only lines the upstream refused; resend and resume are queued for the station', async () => {
    const r = await sync('retry', '--upstream', 'region');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1 quarantined line\(s\) marked/);
    const q = await sync('resend', '--from', '2024-03-01T00:00:00Z', '--to', '2024-03-01T01:00:00Z', '--comment', 'region lost a disk');
    expect(q.code).toBe(0);
    expect(q.out).toContain('to region;'); // vm takes only the gaps stream
    const store = SyncStore.open(join(data, 'sync.sqlite'));
    try {
      expect(store.quarantine({ retry: true }).map((x) => x.key)).toEqual(['A']);
      const replays = store.replays();
      expect(replays.map((x) => [x.upstream, x.stream, x.kind, x.from, x.to])).toEqual([['region', 'samples', 'time', String(Date.UTC(2024, 2, 1)), String(Date.UTC(2024, 2, 1, 1))]]);
      expect(replays[0]!.reason).toMatch(/region lost a disk$/);
      expect((await sync('resume', '--upstream', 'vm')).code).toBe(0);
      expect(store.takeRequests()).toEqual([{ upstream: 'vm', action: 'resume' }]);
    } finally {
      store.close();
    }
  });

  it('writes what it changed to the audit trail, with the shell user as its source', async () => {
    const before = auditActions().length;
    expect((await sync('retry', '--ids', '1', '--comment', 'type fixed upstream')).code).toBe(0);
    expect((await sync('resume', '--upstream', 'region')).code).toBe(0);
    expect((await sync('resend', '--stream', 'gaps', '--from', '2024-03-01T00:00:00Z', '--to', '2024-03-01T01:00:00Z')).code).toBe(0);
    expect((await sync('status')).code).toBe(0); // reading changes nothing: no entry
    const trail = AuditTrail.openReadOnly(data);
    try {
      const entries = [...trail.entries()].slice(before);
      expect(entries.map((e) => [e.action, e.target, e.newValue, e.comment, e.result, e.user])).toEqual([
        ['sync.retry', 'all upstreams', '{"ids":[1]}', 'type fixed upstream', 'ok', null],
        ['sync.resume', 'region', null, null, 'ok', null],
        ['sync.resend', 'all upstreams', '{"from":"2024-03-01T00:00:00.000Z","stream":"gaps","to":"2024-03-01T01:00:00.000Z"}', null, 'ok', null],
      ]);
      expect(entries[2]!.detail).toBe('queued for region, vm');
      for (const e of entries) expect(e.source).toMatch(/^cli:.+@.+$/);
      expect(trail.verify()).toMatchObject({ ok: true });
    } finally {
      trail.close();
    }
  });

  it('usage errors exit 2, runtime errors 1, with a message', async () => {
    expect((await sync()).code).toBe(2);
    const bad = await sync('resend', '--from', 'yesterday', '--to', 'now');
    expect([bad.code, bad.err]).toEqual([2, expect.stringMatching(/--from: expected/)]);
    const unknown = await sync('status', '--upstream', 'nope');
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('unknown upstream "nope"; the config has region, vm')]);
    // As a process: the exit code reaches the shell.
    const [node, bundle] = cliCommand('sync');
    const r = spawnSync(node, [bundle, 'status', '--data', join(data, 'missing')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('sync.sqlite does not exist');
  });
});
