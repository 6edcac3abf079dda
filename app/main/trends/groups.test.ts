/** Trend groups through the console API: saved in <data>/trends.sqlite for every user, audited, refused without the permission. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import { tempDir } from '../../../historian/store/testing.js';
import { Dispatcher } from '../api/dispatcher.js';
import { internalConnection, type Session } from '../api/connection.js';
import type { AuditRecord } from '../api/audit-sink.js';
import { silentLogger } from '../log.js';
import { TrendsModule } from './module.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function station(): { call: (m: string, p: unknown) => Promise<unknown>; audit: AuditRecord[]; as: (s: Session | null) => void; dir: string; restart: () => TrendsModule } {
  const tmp = tempDir('vigil-groups-');
  const h = Historian.open(join(tmp.dir, 'archive'));
  cleanups.push(tmp.remove, () => h.close());
  let session: Session | null = null;
  const audit: AuditRecord[] = [];
  let d = new Dispatcher(silentLogger());
  const make = () => {
    d = new Dispatcher(silentLogger());
    const m = new TrendsModule({ historian: h, dataDir: tmp.dir, stationName: () => 'S', logger: silentLogger() });
    m.register(d);
    m.start();
    cleanups.push(() => m.stop());
    d.useSessions({ sessionOf: () => session });
    d.useAudit({ record: (e) => void audit.push(e) });
    return m;
  };
  make();
  const conn = internalConnection();
  return { call: (m, p) => d.dispatch(m, p, conn), audit, as: (s) => (session = s), dir: tmp.dir, restart: make };
}

const operator: Session = { id: '1', user: 'ann', displayName: 'Ann', roles: ['operator'], since: 0 };
const admin: Session = { id: '2', user: 'root', displayName: 'Root', roles: ['administrator'], since: 0 };
const group = { name: 'Tank 101', pens: ['Area1.TK101.Level', 'Area1.TK101.Temperature'], range: { mode: 'last', range: '8h' } };

describe('trend groups', () => {
  it('are saved for every user with who saved them, audited; a name is not overwritten by accident', async () => {
    const s = station();
    s.as(operator);
    expect(await s.call('trends.saveGroup', group)).toMatchObject({ ok: true, result: { ...group, savedBy: 'ann' } });
    expect(s.audit.at(-1)).toMatchObject({ action: 'trends.saveGroup', user: 'ann', result: 'ok', target: 'Tank 101', newValue: { pens: group.pens } });
    const again = (await s.call('trends.saveGroup', { ...group, pens: ['X'] })) as { ok: false; error: { code: string; i18n: { key: string } } };
    expect(again.error).toMatchObject({ code: 'conflict', i18n: { key: 'trends.error.groupExists' } });
    await s.call('trends.saveGroup', { ...group, pens: ['X'], range: { mode: 'fixed', start: 1, end: 2 }, replace: true });
    expect(s.audit.at(-1)).toMatchObject({ result: 'ok', oldValue: { pens: group.pens }, newValue: { pens: ['X'] } });
    // Another console, nobody signed in: viewing needs no permission, the group is there after a restart.
    s.as(null);
    s.restart();
    expect(await s.call('trends.groups', {})).toMatchObject({ ok: true, result: [{ name: 'Tank 101', pens: ['X'], range: { mode: 'fixed', start: 1, end: 2 } }] });
    expect(await s.call('trends.saveGroup', { ...group, name: 'B' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    s.as(admin); // duties apart: an administrator does not run the plant's trends
    expect(await s.call('trends.deleteGroup', { name: 'Tank 101' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    s.as(operator);
    expect(await s.call('trends.deleteGroup', { name: 'Tank 101' })).toMatchObject({ ok: true });
    expect(await s.call('trends.deleteGroup', { name: 'Tank 101' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await s.call('trends.saveGroup', { ...group, pens: [] })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('a row that no longer reads as a group is skipped and kept, not dropped', async () => {
    const s = station();
    s.as(operator);
    await s.call('trends.saveGroup', group);
    await s.call('trends.saveGroup', { ...group, name: 'Other' });
    const db = new Database(join(s.dir, 'trends.sqlite'));
    db.prepare("UPDATE trend_group SET range = '{\"mode\":\"sideways\"}' WHERE name = 'Other'").run();
    db.close();
    expect(await s.call('trends.groups', {})).toMatchObject({ ok: true, result: [{ name: 'Tank 101' }] });
    const check = new Database(join(s.dir, 'trends.sqlite'));
    expect(check.prepare('SELECT count(*) AS n FROM trend_group').get()).toEqual({ n: 2 });
    check.close();
  });
});
