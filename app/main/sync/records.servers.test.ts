/**
 * The alarm journal and the audit trail upstream, end to end: the real alarms
 * module journals alarms raised and cleared by samples, the real audit trail
 * records entries (bursts in one millisecond, names needing escapes), and
 * the sync module as the station composes it (read-only connections to
 * alarms.sqlite and audit.sqlite) forwards both to Debian's InfluxDB 1.x,
 * first as a backlog, then live. Upstream, every record is there exactly
 * once, field by field (seq, time, alarm, event, state, message; action,
 * user, hash); on VictoriaMetrics without deduplication, where a second copy
 * would be kept, every seq sample is there exactly once.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { AuditTrail, type ChainedEntry } from '../accounts/audit/trail.js';
import { AlarmsModule } from '../alarms/module.js';
import { extraTags, fixtureRaw } from '../alarms/engine/testing.js';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { SyncModule } from './module.js';
import { tempDir, until } from './testing/harness.js';
import { InfluxServer, VictoriaServer } from './testing/servers.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

type Row = Record<string, unknown>;
async function points(influx: InfluxServer, measurement: string): Promise<Row[]> {
  const res = await influx.query(`SELECT * FROM "${measurement}"`, 'region');
  const s = res.series?.[0];
  if (!s) return [];
  return s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]])));
}

type Journal = ReturnType<AlarmsModule['journal']['read']>;
type Audit = ChainedEntry[];

/**
 * A station whose alarms module and audit trail write 100 rounds of records
 * (60 before the sync starts: a backlog; 40 after: live), forwarded to one
 * upstream until nothing waits. Returns what the station wrote.
 */
async function run(name: string, upstream: Record<string, unknown>): Promise<{ journal: Journal; audit: Audit }> {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  const file = join(dir, 'station.yaml');
  writeFileSync(file, stringify({
    ...fixtureRaw(),
    sync: { site: 'North 1', measurement: 'fx', upstreams: [{ id: 'region', streams: ['alarms', 'audit'], flushIntervalMs: 50, batch: { lines: 500 }, ...upstream }] },
  }));
  const config = new ConfigStore(loadStationConfig(file), { source: file });
  // One millisecond per round: within a round the stream's tags tell every record apart.
  let t = Date.now() - 600_000;
  const clock = { now: () => t };
  const alarms = AlarmsModule.open({ config, dataDir: dir, logger: silentLogger(), clock, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
  alarms.start();
  const audit = AuditTrail.open(dir, { now: () => t, sleep: async () => {} });
  const historian = Historian.open(join(dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  const sync = new SyncModule({ config, dataDir: dir, logger: silentLogger(), feed: historian, alarmJournal: alarms.journal.file, auditTrail: audit.file });
  const round = (i: number) => {
    // XI-1..12: H at 50, no delays: each round raises or clears all twelve in one millisecond.
    alarms.write(extraTags.map((tag) => ({ tag, t, value: i % 2 === 0 ? 60 + i : 40, status: 0 })));
    alarms.flush();
    // Station entries of one action in one millisecond (shelves expiring together), and a sign-in refused for a name that cannot be a tag on 1.x.
    for (const tag of extraTags) audit.record({ user: null, role: null, action: 'alarms.shelveExpired', target: `${tag}/limit`, result: 'ok', source: 'station' });
    audit.record({ user: i % 5 === 0 ? 'bad\\' : 'op 1, "shift B"', role: i % 5 === 0 ? null : 'operator', action: 'session.signIn', result: i % 5 === 0 ? 'refused' : 'ok', comment: 'line one\nline two', source: 'ws:10.0.0.5:51234' });
    t++;
  };
  for (let i = 0; i < 60; i++) round(i);
  await sync.start();
  try {
    for (let i = 60; i < 100; i++) round(i);
    const journal = alarms.journal.read(0, 100_000);
    const trail = [...audit.entries()];
    expect(journal).toHaveLength(100 * 12);
    expect(trail).toHaveLength(100 * 13);
    await until('both streams drained', () => {
      const u = sync.status().upstreams[0];
      return u !== undefined && u.backlog.records === 0 && u.sentLines >= journal.length + trail.length;
    }, 60_000);
    expect(sync.status().upstreams[0]!.quarantined).toBe(0);
    return { journal, audit: trail };
  } finally {
    await sync.stop();
    alarms.stop();
    audit.close();
    await historian.close();
  }
}

describe('alarm journal and audit trail to InfluxDB 1.x', () => {
  let influx: InfluxServer;
  beforeAll(async () => {
    influx = await InfluxServer.launch();
    await influx.createDatabase('region');
  });
  afterAll(() => influx?.dispose());

  it('a backlog, then live records: each arrives once, as the station wrote it', async () => {
    const wrote = await run('influx', { url: influx.url, flavour: 'influxdb1', database: 'region' });
    const gotAlarms = await points(influx, 'fx_alarms');
    expect(gotAlarms).toHaveLength(wrote.journal.length);
    const bySeq = new Map(gotAlarms.map((p) => [p.seq as number, p]));
    for (const j of wrote.journal) {
      const p = bySeq.get(j.seq);
      expect(p, `journal line ${j.seq}`).toBeDefined();
      expect([p!.time, p!.alarm, p!.event, p!.state, p!.condition, p!.priority, p!.site, p!.value, p!.message]).toEqual(
        [j.t, j.alarmId, j.event, j.state, j.condition, String(j.priority), 'North 1', j.value, j.message],
      );
    }

    const gotAudit = await points(influx, 'fx_audit');
    expect(gotAudit).toHaveLength(wrote.audit.length);
    const auditBySeq = new Map(gotAudit.map((p) => [p.seq as number, p]));
    for (const a of wrote.audit) {
      const p = auditBySeq.get(a.seq);
      expect(p, `audit entry ${a.seq}`).toBeDefined();
      const user = a.user === 'bad\\' ? p!.user_text : p!.user;
      expect([p!.time, p!.action, p!.result, user, p!.target, p!.hash, p!.prev, p!.source]).toEqual([a.at, a.action, a.result, a.user, a.target, a.hash, a.prev, a.source]);
      if (a.comment !== null) expect(p!.comment).toBe('line one line two');
    }
  });
});

describe('alarm journal and audit trail to VictoriaMetrics (no deduplication: a copy sent twice would show)', () => {
  let vm: VictoriaServer;
  beforeAll(async () => { vm = await VictoriaServer.launch(); });
  afterAll(() => vm?.dispose());

  it('every record once: the seq samples upstream are exactly the station\'s', async () => {
    const wrote = await run('vm', { url: vm.url, flavour: 'victoriametrics' });
    const seqs = async (metric: string) => {
      const series = await vm.export(`{__name__="${metric}"}`);
      return series.flatMap((s) => s.values.map((v, i) => [v, s.timestamps[i]!, s.metric.alarm ?? s.metric.action!] as const)).sort((a, b) => a[0] - b[0]);
    };
    expect(await seqs('fx_alarms_seq')).toEqual(wrote.journal.map((j) => [j.seq, j.t, j.alarmId]));
    expect(await seqs('fx_audit_seq')).toEqual(wrote.audit.map((a) => [a.seq, a.at, a.action]));
  });
});
