/**
 * The alarm journal failing under the module (real SQLite, real dispatcher): another program
 * holding a write lock on alarms.sqlite (a DB browser's BEGIN IMMEDIATE). The engine has moved on
 * by the time the journal is written, so a line not written must be held, not lost: spec case 5,
 * "ack journaled with user and comment", and states kept across a restart (README, restart).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import Database from 'better-sqlite3';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { internalConnection, type Connection, type Session } from '../api/connection.js';
import type { AuditRecord } from '../api/audit-sink.js';
import { silentLogger } from '../log.js';
import { ConfigStore } from '../station/config-store.js';
import { loadStationConfig } from '../station/config-file.js';
import type { AlarmChanges, AlarmJournalHealth, AlarmList, ApiResponse } from '../../shared/api.js';
import { AlarmsModule } from './module.js';
import { RETRY_MS } from './journal/writer.js';
import { T0, fixtureRaw } from './engine/testing.js';

const XI = 'XI-1/limit'; // H 50, priority 1, no delays: activates on the sample

let dir: string;
let t: number;
let m: AlarmsModule;
let d: Dispatcher;
let audit: AuditRecord[];
let published: AlarmChanges[];
let health: AlarmJournalHealth[];
let other: Database.Database | null;
const clock = { now: () => t };
const sessions = new Map<Connection, Session>();
const op = internalConnection('op1');
sessions.set(op, { id: 'op1', user: 'op1', displayName: 'op1', roles: ['operator'], since: 0 });

function open(): AlarmsModule {
  const file = join(dir, 'station.yaml');
  const mod = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(file), { source: file }), dataDir: dir, logger: silentLogger(), clock, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
  d = new Dispatcher(silentLogger());
  d.useSessions({ sessionOf: (c) => sessions.get(c) ?? null });
  d.useAudit({ record: (e) => audit.push(e) });
  const events = new EventHub();
  events.subscribe((name, data) => {
    if (name === 'alarms.changed') published.push(data as AlarmChanges);
    if (name === 'alarms.journalHealth') health.push(data as AlarmJournalHealth);
  });
  mod.register(d, events);
  mod.start();
  return mod;
}

const set = (tag: string, value: number) => {
  m.write([{ tag, t, value, status: 0 }]);
  m.flush();
};
/** Another program's write transaction on the journal's file, as a DB browser holds it. */
const lockJournal = () => {
  other = new Database(join(dir, 'alarms.sqlite'));
  other.exec('BEGIN IMMEDIATE');
};
const unlockJournal = () => {
  other!.exec('ROLLBACK');
  other!.close();
  other = null;
};
const events = () => m.journal.read(0, 100).map((e) => `${e.alarmId} ${e.event} ${e.user ?? ''}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-journal-'));
  writeFileSync(join(dir, 'station.yaml'), stringify(fixtureRaw()));
  t = T0;
  audit = [];
  published = [];
  health = [];
  other = null;
  m = open();
});

afterEach(() => {
  if (other) unlockJournal();
  m.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the alarm journal locked by another program', () => {
  it('an activation still reaches the consoles as a row, and is journaled and kept once the lock goes', async () => {
    lockJournal();
    const started = performance.now();
    set('XI-1', 60);
    // A flush used to wait out SQLite's 5 s busy timeout on the main thread, which runs the alarm timer.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(published.at(-1)!.rows.map((r) => [r.id, r.state])).toEqual([[XI, 'B']]);
    expect(published.at(-1)!.summary.unacked).toEqual([1, 0, 0, 0]);
    expect(health).toEqual([{ state: 'failing', since: T0, error: 'database is locked' }]);
    expect((await d.dispatch('alarms.journalHealth', {}, op))).toEqual({ ok: true, result: health[0] });

    unlockJournal();
    await sleep(RETRY_MS + 100);
    t += 1000;
    m.flush();
    expect(events()).toEqual([`${XI} activated `]);
    expect(m.journal.states().map((s) => s.id)).toEqual([XI]);
    expect(health.at(-1)).toEqual({ state: 'writing', since: T0 + 1000, error: null });
    m.flush();
    expect(events()).toEqual([`${XI} activated `]);
  });

  it('an ack applied while the journal is locked answers ok, is audited ok, and is journaled after the activation when the lock goes', async () => {
    set('XI-1', 60);
    lockJournal();
    const row = (await d.dispatch('alarms.snapshot', {}, op)) as ApiResponse<AlarmList>;
    const revision = row.ok ? row.result.rows.find((r) => r.id === XI)!.revision : -1;
    set('XI-1', 61); // a value the journal cannot take either: the held lines keep their order
    const res = await d.dispatch('alarms.acknowledge', { ids: [XI], revisions: [revision], scope: 'selected', comment: 'seen' }, op);
    expect(res).toEqual({ ok: true, result: { acknowledged: [XI] } });
    expect(audit.at(-1)).toMatchObject({ action: 'alarms.acknowledge', result: 'ok' });
    expect(published.at(-1)!.rows.map((r) => [r.id, r.state])).toEqual([[XI, 'C']]);

    unlockJournal();
    await sleep(RETRY_MS + 100);
    m.flush();
    expect(events()).toEqual([`${XI} activated `, `${XI} acknowledged op1`]);
    // Kept as acknowledged: a restart does not sound it again.
    m.stop();
    m = open();
    const after = (await d.dispatch('alarms.snapshot', {}, op)) as ApiResponse<AlarmList>;
    expect(after.ok && after.result.rows.map((r) => [r.id, r.state, r.flags.acked])).toEqual([[XI, 'C', true]]);
  });

  it('lines held at stop are written by the stop once the file is free, without waiting for the retry', () => {
    lockJournal();
    set('XI-1', 60);
    set('XI-1', 40);
    unlockJournal();
    m.stop();
    m = open();
    expect(events()).toEqual([`${XI} activated `, `${XI} returned `]);
  });
});
