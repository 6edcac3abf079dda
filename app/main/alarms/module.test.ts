/**
 * The alarms module through the real dispatcher, with real SQLite and a real
 * YAML file: permissions refused before the handler, audit entries with
 * target, old/new value and comment, the conflict on escalation, engineer
 * edits written back with comments kept and effective at once, the journal
 * and its CSV, and states kept across a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvTokenizer } from '../../../historian/csv/tokenize.js';
import { stringify } from 'yaml';
import Database from 'better-sqlite3';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { internalConnection, type Connection, type Session } from '../api/connection.js';
import type { AuditRecord } from '../api/audit-sink.js';
import { silentLogger } from '../log.js';
import { ConfigStore } from '../station/config-store.js';
import { loadStationConfig } from '../station/config-file.js';
import type { AlarmChanges, AlarmDefinition, AlarmDefinitions, AlarmList, ApiResponse } from '../../shared/api.js';
import type { Role } from '../../shared/permissions.js';
import { AlarmsModule } from './module.js';
import { AT301, AT302, LI, T0, fixtureRaw } from './engine/testing.js';

let dir: string;
let file: string;
let t: number;
let m: AlarmsModule;
let d: Dispatcher;
let audit: AuditRecord[];
let published: AlarmChanges[];
const sessions = new Map<Connection, Session>();
const clock = { now: () => t };

function connection(user: string, roles: Role[]): Connection {
  const c = internalConnection(user);
  sessions.set(c, { id: user, user, displayName: user, roles, since: 0 });
  return c;
}
const op = connection('op1', ['operator']);
const sup = connection('sup1', ['supervisor']);
const eng = connection('eng1', ['engineer']);
const nobody = internalConnection('nobody');

function open(): AlarmsModule {
  const store = new ConfigStore(loadStationConfig(file), { source: file });
  const mod = AlarmsModule.open({ config: store, dataDir: dir, logger: silentLogger(), clock, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
  d = new Dispatcher(silentLogger());
  d.useSessions({ sessionOf: (c) => sessions.get(c) ?? null });
  d.useAudit({ record: (e) => audit.push(e) });
  const events = new EventHub();
  events.subscribe((name, data) => name === 'alarms.changed' && published.push(data as AlarmChanges));
  mod.register(d, events);
  mod.start();
  return mod;
}

const call = async <T>(c: Connection, method: string, params: unknown = {}): Promise<ApiResponse<T>> => (await d.dispatch(method, params, c)) as ApiResponse<T>;
const ok = async <T>(c: Connection, method: string, params: unknown = {}): Promise<T> => {
  const r = await call<T>(c, method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result;
};
const set = (tag: string, value: number | boolean | null, status = 0) => {
  m.write([{ tag, t, value, status }]);
  m.flush();
};
const advance = (ms: number) => {
  const end = t + ms;
  while (t < end) {
    t = Math.min(end, t + 100);
    m.engine.tick();
  }
  m.flush();
};
/** RFC 4180 parsing by the historian's tokenizer: an independent reader of what was written. */
function parse(csv: string): string[][] {
  const out: string[][] = [];
  const tk = new CsvTokenizer({ record: (f) => out.push(f), badRecord: (line, _e, _f, message) => out.push([`BAD ${line}: ${message}`]) }, ',');
  tk.push(csv);
  tk.end();
  return out;
}
const row = async (id: string) => (await ok<AlarmList>(op, 'alarms.snapshot')).rows.find((r) => r.id === id);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-alarms-'));
  file = join(dir, 'station.yaml');
  writeFileSync(file, `# Fixture station: comments must survive an engineer's edit\n${stringify(fixtureRaw())}`);
  t = T0;
  audit = [];
  published = [];
  m = open();
});

afterEach(() => {
  m.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('alarm actions through the dispatcher', () => {
  it('acknowledge: journaled and audited with user, comment and the state it left; events carry the change', async () => {
    set('LI-101', 81);
    advance(5000);
    const r = (await row(LI))!;
    expect(r.state).toBe('B');
    const res = await ok<{ acknowledged: string[] }>(op, 'alarms.acknowledge', { ids: [LI], revisions: [r.revision], comment: 'closing XV-101', scope: 'selected' });
    expect(res.acknowledged).toEqual([LI]);
    expect((await row(LI))!.state).toBe('C');
    expect(audit.at(-1)).toMatchObject({ user: 'op1', role: 'operator', action: 'alarms.acknowledge', target: LI, oldValue: ['B'], newValue: 'acknowledged', comment: 'closing XV-101', result: 'ok' });
    const journal = await ok<{ entries: { event: string; user: string | null; comment: string | null }[] }>(op, 'alarms.journal', { tags: ['LI-101'] });
    expect(journal.entries.map((e) => e.event)).toEqual(['acknowledged', 'activated']);
    expect(journal.entries[0]).toMatchObject({ user: 'op1', comment: 'closing XV-101' });
    const versions = published.map((p) => p.version);
    expect(versions).toEqual(versions.map((_, i) => versions[0]! + i));
    expect(published.at(-1)!.rows.find((x) => x.id === LI)?.state).toBe('C');
  });

  it('an ack of a row that escalated since it was seen is refused "alarm changed — review" and audited as refused', async () => {
    set('LI-101', 85);
    advance(5000);
    const seen = (await row(LI))!.revision;
    set('LI-101', 91);
    advance(5000);
    const res = await call(op, 'alarms.acknowledge', { ids: [LI], revisions: [seen], scope: 'page' });
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict', i18n: { key: 'alarms.refused.changed' } } });
    expect((await row(LI))!.flags.acked).toBe(false);
    expect(audit.at(-1)).toMatchObject({ action: 'alarms.acknowledge', result: 'refused', user: 'op1' });
  });

  it('refuses before the handler: nobody signed in, an engineer acking, an operator returning an alarm to service', async () => {
    set('LI-101', 85);
    advance(5000);
    const r = (await row(LI))!;
    const ack = { ids: [LI], revisions: [r.revision], scope: 'selected' };
    expect(await call(nobody, 'alarms.acknowledge', ack)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(eng, 'alarms.acknowledge', ack)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await ok(sup, 'alarms.outOfService', { id: AT302, reason: 'detector replaced' });
    expect(audit.at(-1)).toMatchObject({ user: 'sup1', action: 'alarms.outOfService', target: AT302, newValue: 'out of service', comment: 'detector replaced' });
    expect(await call(op, 'alarms.returnToService', { id: AT302 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(op, 'alarms.outOfService', { id: LI, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await row(AT302))!.state).toBe('H');
    expect((await row(LI))!.state).toBe('B');
  });

  it('shelving: a reason is required, the operator maximum holds (8 h), a supervisor may go longer, safety alarms are refused', async () => {
    set('LI-101', 85);
    advance(5000);
    set('AT-301', 30);
    expect(await call(op, 'alarms.shelve', { id: LI, minutes: 30, reason: ' ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(op, 'alarms.shelve', { id: LI, minutes: 720, reason: 'maintenance' })).toMatchObject({
      ok: false, error: { code: 'forbidden', i18n: { key: 'alarms.refused.shelveTooLong', params: { max: 480, requested: 720 } } },
    });
    expect(await call(op, 'alarms.shelve', { id: AT301, minutes: 10, reason: 'r' })).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'alarms.refused.notShelvable' } } });
    const { until } = await ok<{ until: number }>(sup, 'alarms.shelve', { id: LI, minutes: 720, reason: 'tank out for cleaning' });
    expect(until).toBe(t + 720 * 60_000);
    expect(audit.at(-1)).toMatchObject({ user: 'sup1', action: 'alarms.shelve', target: LI, oldValue: 'B', comment: 'tank out for cleaning', result: 'ok' });
    await ok(op, 'alarms.unshelve', { id: LI, comment: 'back' });
    expect((await row(LI))!.state).toBe('B');
  });

  it('silence stops the horn without acknowledging; reset of a latched gas alarm is refused while gas is present', async () => {
    set('AT-301', 30);
    expect((await ok<AlarmList>(op, 'alarms.snapshot')).summary.horn.tone).toBe(1);
    await ok(op, 'alarms.silence');
    const snap = await ok<AlarmList>(op, 'alarms.snapshot');
    expect(snap.summary.horn).toEqual({ tone: null, silenced: true });
    expect(snap.rows.find((x) => x.id === AT301)!.flags.acked).toBe(false);
    const r = (await row(AT301))!;
    await ok(op, 'alarms.acknowledge', { ids: [AT301], revisions: [r.revision], scope: 'selected' });
    expect(await call(op, 'alarms.reset', { ids: [AT301] })).toMatchObject({ ok: false, error: { code: 'conflict', i18n: { key: 'alarms.refused.conditionPresent' } } });
    set('AT-301', 0);
    await ok(op, 'alarms.reset', { ids: [AT301], comment: 'area clear' });
    expect(await row(AT301)).toBeUndefined();
  });
});

describe('engineer edits', () => {
  it('a new limit is written to the YAML with its comments, audited old/new, and effective at once', async () => {
    set('LI-101', 75);
    advance(10_000);
    expect(await row(LI)).toBeUndefined();
    const def = await ok<{ conditions: { condition: string; limit: number }[] }>(eng, 'alarms.setLimit', { id: LI, condition: 'H', value: 70, comment: 'MOC-42' });
    expect(def.conditions.find((c) => c.condition === 'H')!.limit).toBe(70);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Fixture station: comments must survive')).toBe(true);
    expect(loadStationConfig(file).tags.find((x) => x.name === 'LI-101')!.alarms!.limits!.H!.value).toBe(70);
    expect(audit.at(-1)).toMatchObject({
      user: 'eng1', action: 'alarms.setLimit', target: LI, comment: 'MOC-42', result: 'ok',
      oldValue: { 'tags.0.alarms.limits.H.value': 80 }, newValue: { 'tags.0.alarms.limits.H.value': 70 },
    });
    advance(5000);
    expect((await row(LI))!).toMatchObject({ state: 'B', condition: 'H', limit: 70 });
  });

  it('an edit that makes the config invalid changes nothing and says why, by a key a console translates', async () => {
    const before = readFileSync(file, 'utf8');
    const res = await call(eng, 'alarms.setLimit', { id: LI, condition: 'H', value: 95, comment: 'MOC-43' });
    expect(res).toMatchObject({ ok: false, error: {
      code: 'bad_request', message: expect.stringContaining('expected HH (90) above H (95)'),
      i18n: { key: 'alarms.refused.limitOrder', params: { alarm: LI, higher: 'HH', higherValue: 90, lower: 'H', lowerValue: 95 } },
    } });
    expect(await call(eng, 'alarms.setLimit', { id: LI, condition: 'HH', value: 120, comment: 'MOC-43' })).toMatchObject({ ok: false, error: {
      i18n: { key: 'alarms.refused.limitOutsideRange', params: { alarm: LI, condition: 'HH', value: 120, low: 0, high: 100, unit: '\u202f%' } },
    } });
    expect(await call(eng, 'alarms.setDeadband', { id: LI, deadband: 60, percentOfSpan: true, comment: 'MOC-43' })).toMatchObject({ ok: false, error: {
      i18n: { key: 'alarms.refused.deadbandPercentTooBig', params: { alarm: LI, max: 50 } },
    } });
    // The audit trail keeps the station's English; the audit page reads these words (app/renderer/lib/audit-detail.test.ts).
    expect(audit.slice(-3).map((a) => [a.result, a.detail])).toEqual([
      ['refused', `${LI}: tags[0].alarms.limits.HH.value: expected HH (90) above H (95)`],
      ['refused', `${LI}: tags[0].alarms.limits.HH.value: expected HH within the tag's range [0, 100] (a limit outside it can never trip: the transmitter saturates at its range); got 120`],
      ['refused', `${LI}: expected a deadband of at most 50 % of span, got 60`],
    ]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await call(eng, 'alarms.setLimit', { id: AT301, condition: 'L', value: 3, comment: 'MOC-43' })).toMatchObject({ ok: false, error: { i18n: { key: 'alarms.refused.noSuchCondition' } } });
    expect(await call(op, 'alarms.setLimit', { id: LI, condition: 'H', value: 70, comment: 'MOC-43' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('an edit without a comment (why it changes) is refused, and the file is untouched', async () => {
    const before = readFileSync(file, 'utf8');
    for (const comment of [undefined, '  ']) {
      const res = await call(eng, 'alarms.setLimit', { id: LI, condition: 'H', value: 70, ...(comment === undefined ? {} : { comment }) });
      expect(res).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'error.badRequest', params: { fields: 'comment' } } } });
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('priority, delays and deadband', async () => {
    await ok(eng, 'alarms.setPriority', { id: LI, condition: 'H', priority: 1, comment: 'MOC-44' });
    await ok(eng, 'alarms.setDelays', { id: LI, onDelayS: 0, comment: 'MOC-44' });
    const def = await ok<{ deadband: number; deadbandPercentOfSpan: boolean; onDelayS: number }>(eng, 'alarms.setDeadband', { id: LI, deadband: 3, percentOfSpan: true, comment: 'MOC-44' });
    expect(def).toMatchObject({ deadband: 3, deadbandPercentOfSpan: true, onDelayS: 0 });
    set('LI-101', 81);
    expect((await row(LI))!).toMatchObject({ state: 'B', priority: 1 });
  });
});

describe('several settings in one edit (alarms.editSettings)', () => {
  const H = 'tags.0.alarms.limits.H';
  const HH = 'tags.0.alarms.limits.HH';
  const limitsOnDisk = () => loadStationConfig(file).tags.find((x) => x.name === 'LI-101')!.alarms!;
  const definitionOfLI = async () => (await ok<AlarmDefinitions>(op, 'alarms.definitions')).alarms.find((a) => a.id === LI)!;

  it('applies limits, a priority, a delay and the deadband together: one validation of the result, one audit entry', async () => {
    // One by one, H above the old HH is refused: the config is checked after each single edit.
    expect(await call(eng, 'alarms.setLimit', { id: LI, condition: 'H', value: 95, comment: 'MOC-50' })).toMatchObject({ ok: false, error: { i18n: { key: 'alarms.refused.limitOrder' } } });
    const auditBefore = audit.length;
    const def = await ok<AlarmDefinition>(eng, 'alarms.editSettings', {
      id: LI, limits: { H: 95, HH: 98 }, priorities: { H: 1 }, onDelayS: 0, deadband: { value: 3, percentOfSpan: true }, comment: 'MOC-50: raise the high limits',
    });
    expect(def.conditions.filter((c) => c.condition === 'H' || c.condition === 'HH').map((c) => [c.condition, c.limit, c.priority])).toEqual([['HH', 98, 1], ['H', 95, 1]]);
    expect(def).toMatchObject({ onDelayS: 0, offDelayS: 10, deadband: 3, deadbandPercentOfSpan: true });

    // Written to the file, its comments kept.
    expect(readFileSync(file, 'utf8').startsWith('# Fixture station: comments must survive')).toBe(true);
    const onDisk = limitsOnDisk();
    expect(onDisk.limits!.H).toMatchObject({ value: 95, priority: 1 });
    expect(onDisk.limits!.HH).toMatchObject({ value: 98, priority: 1 });
    expect(onDisk).toMatchObject({ onDelayS: 0, offDelayS: 10, deadbandPercent: 3 });
    expect(onDisk.deadband).toBeUndefined();

    // Exactly one audit entry, listing every path changed, old and new.
    expect(audit.slice(auditBefore)).toEqual([expect.objectContaining({
      user: 'eng1', role: 'engineer', action: 'alarms.editSettings', target: LI, comment: 'MOC-50: raise the high limits', result: 'ok',
    })]);
    const entry = audit.at(-1)!;
    expect(entry.oldValue).toEqual({
      [`${H}.value`]: 80, [`${HH}.value`]: 90, [`${H}.priority`]: 2, 'tags.0.alarms.onDelayS': 5, 'tags.0.alarms.deadband': 2, 'tags.0.alarms.deadbandPercent': null,
    });
    expect(entry.newValue).toEqual({
      [`${H}.value`]: 95, [`${HH}.value`]: 98, [`${H}.priority`]: 1, 'tags.0.alarms.onDelayS': 0, 'tags.0.alarms.deadband': null, 'tags.0.alarms.deadbandPercent': 3,
    });

    // In effect at once, all of it: 96 % is H now (not HH), at the new priority, without an on-delay.
    set('LI-101', 96);
    expect((await row(LI))!).toMatchObject({ state: 'B', condition: 'H', limit: 95, priority: 1 });
  });

  it('one change the station refuses keeps all the others out: the file byte for byte, the definitions, no change audited', async () => {
    const before = readFileSync(file, 'utf8');
    const defBefore = await definitionOfLI();
    const cases: [Record<string, unknown>, string, Record<string, unknown>][] = [
      // H above the HH that stays: the config's order check on the result.
      [{ limits: { H: 95 }, priorities: { H: 1 }, onDelayS: 0 }, 'alarms.refused.limitOrder', { alarm: LI, higher: 'HH', higherValue: 90, lower: 'H', lowerValue: 95 }],
      // A limit outside the tag's range beside a valid one.
      [{ limits: { H: 70, HH: 120 }, offDelayS: 0 }, 'alarms.refused.limitOutsideRange', { alarm: LI, condition: 'HH', value: 120, low: 0, high: 100, unit: '\u202f%' }],
      // The station's own checks before the file: a deadband over 50 % of span, a condition the alarm lacks.
      [{ limits: { H: 95, HH: 98 }, deadband: { value: 60, percentOfSpan: true } }, 'alarms.refused.deadbandPercentTooBig', { alarm: LI, max: 50 }],
      [{ limits: { H: 70 }, priorities: { ROC: 1 } }, 'alarms.refused.noSuchCondition', { alarm: LI, condition: 'ROC' }],
    ];
    for (const [changes, key, params] of cases) {
      const auditBefore = audit.length;
      const res = await call(eng, 'alarms.editSettings', { id: LI, ...changes, comment: 'MOC-51' });
      expect(res, key).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key, params } } });
      expect(readFileSync(file, 'utf8'), key).toBe(before);
      // The trail has the refusal and why, and no change: no old or new value.
      expect(audit.slice(auditBefore), key).toEqual([expect.objectContaining({ action: 'alarms.editSettings', result: 'refused', target: null, oldValue: undefined, newValue: undefined })]);
    }
    expect(audit.filter((a) => a.action === 'alarms.editSettings' && a.result === 'ok')).toEqual([]);
    expect(await definitionOfLI()).toEqual(defBefore);
    // And the engine still runs on the old settings: 85 % is H after the old 5 s on-delay.
    set('LI-101', 85);
    expect(await row(LI)).toBeUndefined();
    advance(5000);
    expect((await row(LI))!).toMatchObject({ state: 'B', condition: 'H', limit: 80, priority: 2 });
  });

  it('refuses an edit with nothing to change, or without a comment, by a key a console translates', async () => {
    const before = readFileSync(file, 'utf8');
    for (const empty of [{}, { limits: {}, priorities: {} }]) {
      const res = await call(eng, 'alarms.editSettings', { id: LI, ...empty, comment: 'MOC-52' });
      expect(res).toMatchObject({ ok: false, error: { code: 'bad_request', message: `${LI}: no setting to change`, i18n: { key: 'alarms.refused.nothingToChange', params: { alarm: LI } } } });
    }
    expect(audit.at(-1)).toMatchObject({ action: 'alarms.editSettings', result: 'refused', detail: `${LI}: no setting to change` });
    for (const comment of [undefined, '  ']) {
      const res = await call(eng, 'alarms.editSettings', { id: LI, limits: { H: 70 }, ...(comment === undefined ? {} : { comment }) });
      expect(res).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'error.badRequest', params: { fields: 'comment' } } } });
    }
    // A condition that is not a limit's, or a priority out of 1..4: the request's own checks.
    expect(await call(eng, 'alarms.editSettings', { id: LI, limits: { STATE: 1 }, comment: 'MOC-52' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(eng, 'alarms.editSettings', { id: LI, priorities: { H: 5 }, comment: 'MOC-52' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call(eng, 'alarms.editSettings', { id: 'no-such/limit', limits: { H: 70 }, comment: 'MOC-52' })).toMatchObject({ ok: false, error: { i18n: { key: 'alarms.refused.unknownAlarm' } } });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('is refused before the handler to anyone without alarms.configure: nothing is written', async () => {
    const before = readFileSync(file, 'utf8');
    const edit = { id: LI, limits: { H: 70 }, comment: 'MOC-53' };
    for (const c of [op, sup, nobody]) {
      expect(await call(c, 'alarms.editSettings', edit)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('"alarms.configure"') } });
    }
    expect(audit.filter((a) => a.action === 'alarms.editSettings').map((a) => [a.user, a.result])).toEqual([['op1', 'refused'], ['sup1', 'refused'], [null, 'refused']]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await definitionOfLI()).conditions.find((c) => c.condition === 'H')!.limit).toBe(80);
  });
});

describe('journal', () => {
  it('exports RFC 4180 CSV with formula-looking text defused', async () => {
    set('LI-101', 81);
    advance(5000);
    const r = (await row(LI))!;
    await ok(op, 'alarms.acknowledge', { ids: [LI], revisions: [r.revision], comment: '=HYPERLINK("x"), "quoted"', scope: 'selected' });
    const { csv, filename } = await ok<{ csv: string; filename: string }>(op, 'alarms.journalExport', {});
    expect(filename).toMatch(/^alarm-journal-.*\.csv$/);
    const table = parse(csv) as string[][];
    expect(table[0]).toEqual(['seq', 'time', 'alarm', 'tag', 'area', 'condition', 'event', 'state', 'value', 'value_suspect', 'priority', 'user', 'comment', 'message']);
    expect(table[1]).toEqual(['1', new Date(T0 + 5000).toISOString(), LI, 'LI-101', 'A1', 'H', 'activated', 'B', '81', 'false', '2', '', '', 'Ammonia tank level high']);
    expect(table[2]![12]).toBe('\'=HYPERLINK("x"), "quoted"');
  });

  it('read(afterSeq, max) gives every line once, in order, with increasing sequence numbers', () => {
    for (let i = 0; i < 3; i++) {
      set('XI-1', 60);
      set('XI-1', 40);
    }
    const all = m.journal.read(0, 100);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.journal.read(4, 100).map((e) => e.seq)).toEqual([5, 6]);
    expect(m.journal.read(0, 2).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('retention removes old lines, and sequence numbers are never reused', () => {
    set('XI-1', 60);
    set('XI-1', 40);
    t += 401 * 86_400_000;
    expect(m.journal.prune(400, t)).toBe(2);
    set('XI-1', 60);
    expect(m.journal.read(0, 10).map((e) => e.seq)).toEqual([3]);
  });

  it('KPIs for a supervisor, not an operator', async () => {
    set('XI-1', 60);
    expect(await call(op, 'alarms.kpi', { from: T0, to: T0 + 600_000 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const kpi = await ok<{ annunciations: number; byPriority: number[] }>(sup, 'alarms.kpi', { from: T0, to: T0 + 600_000 });
    expect(kpi).toMatchObject({ annunciations: 1, byPriority: [1, 0, 0, 0] });
  });
});

describe('restart', () => {
  it('keeps out-of-service, shelved and latched states; the WAL is folded back on close', async () => {
    await ok(sup, 'alarms.outOfService', { id: AT302, reason: 'detector replaced' });
    set('LI-101', 85);
    advance(5000);
    await ok(op, 'alarms.shelve', { id: LI, minutes: 60, reason: 'level transmitter check' });
    set('AT-301', 30);
    set('AT-301', 0);
    m.stop();
    expect(existsSync(join(dir, 'alarms.sqlite-wal'))).toBe(false);
    m = open();
    const rows = (await ok<AlarmList>(op, 'alarms.snapshot')).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(AT302)).toMatchObject({ state: 'H', outOfService: { by: 'sup1', reason: 'detector replaced' }, suspect: true });
    expect(byId.get(LI)).toMatchObject({ state: 'F', shelve: { until: T0 + 5000 + 3_600_000, reason: 'level transmitter check' } });
    expect(byId.get(AT301)).toMatchObject({ state: 'E', latched: true, flags: { acked: false } });
    // Fresh data ends the suspicion; the shelve still runs out on time.
    set('LI-101', 85);
    expect((await row(LI))!.suspect).toBe(false);
    advance(3_600_000);
    expect((await row(LI))!).toMatchObject({ state: 'B', audible: true });
  });
});

describe('spec fixes through the module (real dispatcher, real SQLite)', () => {
  const ESD = 'server/sim/nsu=urn:vigil:simulator;s=Area1.ESD.TripAlarm';
  const esd = {
    id: ESD, server: 'sim', source: 'ESD', area: 'A1', message: 'ESD tripped', priority: 1,
    active: true, acked: false, confirmed: true as boolean | null, suppressed: false, retain: true, value: null, time: T0, user: null as string | null, comment: null as string | null,
  };
  const journalOf = (id: string) => m.journal.read(0, 1000).filter((e) => e.alarmId === id);

  it('spec "B | flashing, horn" survives a restart: a B alarm kept in alarms.sqlite sounds after it', async () => {
    set('LI-101', 85);
    advance(5000);
    m.stop();
    m = open();
    expect((await row(LI))!).toMatchObject({ state: 'B', audible: true });
    expect((await ok<AlarmList>(op, 'alarms.snapshot')).summary.horn).toEqual({ tone: 2, silenced: false });
  });

  it('spec: shelving is "time-limited (a configured maximum, e.g. 8 h ...)": a one-shot shelve gets the role\'s maximum as its limit', async () => {
    set('LI-101', 85);
    advance(5000);
    const { until } = await ok<{ until: number | null }>(op, 'alarms.shelve', { id: LI, oneShot: true, reason: 'transmitter drifting' });
    expect(until).toBe(t + 480 * 60_000);
    expect(audit.at(-1)).toMatchObject({ action: 'alarms.shelve', newValue: expect.stringContaining('one-shot'), comment: 'transmitter drifting' });
    expect((await row(LI))!).toMatchObject({ state: 'F', shelve: { oneShot: true, until } });
    // Kept across a restart, limit included; at the limit it ends (LI still 85): B, flashing and horn.
    m.stop();
    m = open();
    set('LI-101', 85);
    advance(480 * 60_000);
    expect((await row(LI))!).toMatchObject({ state: 'B', audible: true, shelve: null });
    expect(journalOf(LI).map((e) => e.event).slice(-2)).toEqual(['shelveExpired', 'reannunciated']);
  });

  it('a one-shot shelve kept by an older version (no limit) gets the longest configured maximum from when it was shelved', async () => {
    set('LI-101', 85);
    advance(5000);
    await ok(op, 'alarms.shelve', { id: LI, oneShot: true, reason: 'old' });
    m.stop();
    // What an older version kept: a one-shot shelve without a limit.
    const db = new Database(join(dir, 'alarms.sqlite'));
    const kept = JSON.parse((db.prepare('SELECT state FROM alarm_state WHERE id = ?').get(LI) as { state: string }).state) as { shelve: { until: number | null } };
    kept.shelve.until = null;
    db.prepare('UPDATE alarm_state SET state = ? WHERE id = ?').run(JSON.stringify(kept), LI);
    db.close();
    m = open();
    expect((await row(LI))!).toMatchObject({ state: 'F', shelve: { oneShot: true, until: t + 1440 * 60_000 } });
  });

  it('spec "H … manual return to service only (engineer)": a supervisor may take an alarm out of service but not return it', async () => {
    await ok(sup, 'alarms.outOfService', { id: AT302, reason: 'detector replaced' });
    expect(await call(sup, 'alarms.returnToService', { id: AT302 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await row(AT302))!.state).toBe('H');
    await ok(eng, 'alarms.returnToService', { id: AT302, comment: 'new detector tested' });
    expect(await row(AT302)).toBeUndefined();
  });

  it('the return of an alarm while out of service is journaled, so the journal does not keep it active (activeAt, KPI stale)', async () => {
    set('LI-101', 85);
    advance(5000);
    await ok(eng, 'alarms.outOfService', { id: LI, reason: 'transmitter replaced' });
    set('LI-101', 50);
    advance(60_000);
    await ok(eng, 'alarms.returnToService', { id: LI });
    advance(2 * 86_400_000);
    expect(m.journal.activeAt(t).map((a) => a.alarmId)).not.toContain(LI);
    expect((await ok<{ stale: { alarmId: string }[] }>(sup, 'alarms.kpi', { from: T0, to: t })).stale).toEqual([]);
  });

  it('spec case 5 "ack journaled with user and comment": a server condition\'s ack and confirm are journaled with the console user', async () => {
    // A link that answers as an OPC UA server does: the change comes back as an event naming the station's session user.
    let server = { ...esd };
    const report = (change: Partial<typeof esd>) => {
      server = { ...server, ...change };
      m.engine.serverCondition(server);
    };
    m.conditionLinks.set('sim', {
      acknowledge: async (_id, comment) => report({ acked: true, confirmed: false, user: 'vigil-opcua', comment }),
      confirm: async (_id, comment) => report({ confirmed: true, user: 'vigil-opcua', comment }),
      shelve: () => Promise.reject(new Error('no shelving in this test')),
      unshelve: () => Promise.reject(new Error('no shelving in this test')),
    });
    report({});
    m.flush();
    const r = (await row(ESD))!;
    await ok(op, 'alarms.acknowledge', { ids: [ESD], revisions: [r.revision], comment: 'ESD checked', scope: 'selected' });
    await ok(op, 'alarms.confirm', { ids: [ESD], revisions: [(await row(ESD))!.revision], comment: 'area safe' });
    m.flush();
    expect(journalOf(ESD).map((e) => [e.event, e.user, e.comment])).toEqual([
      ['activated', null, null], ['acknowledged', 'op1', 'ESD checked'], ['confirmed', 'op1', 'area safe'],
    ]);
  });

  it('a server condition is not journaled as activated again by the ConditionRefresh after a restart; the KPI counts it once', async () => {
    m.engine.serverCondition(esd);
    m.engine.serverCondition({ ...esd, acked: true, confirmed: false, user: 'op1' });
    m.flush();
    m.stop();
    t += 60_000;
    m = open();
    expect((await row(ESD))!).toMatchObject({ state: 'C', suspect: true });
    m.engine.serverCondition({ ...esd, acked: true, confirmed: false }); // the refresh at the first connection
    m.flush();
    expect(journalOf(ESD).map((e) => e.event)).toEqual(['activated', 'acknowledged']);
    const kpi = await ok<{ annunciations: number; top: { alarmId: string; count: number }[] }>(sup, 'alarms.kpi', { from: T0 - 1000, to: t + 1000 });
    expect(kpi.annunciations).toBe(1);
    expect(kpi.top).toMatchObject([{ alarmId: ESD, count: 1 }]);
  });
});
