/**
 * The console's gate on alarm actions: what it offers each role, written out here from
 * app/shared/permissions.ts and specs/alarms.md (an operator acknowledges, silences, shelves and
 * resets; out of service is for supervisors and engineers, return to service for engineers only;
 * an administrator does not operate the plant, nor exports data), checked against the station's own dispatcher, and
 * the answer a refused key gets, in the catalog's words.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roles, type Role } from '../../../shared/permissions.js';
import { Translator } from '../../../shared/i18n/index.js';
import { Dispatcher } from '../../../main/api/dispatcher.js';
import { internalConnection, type Connection, type Session } from '../../../main/api/connection.js';
import { silentLogger } from '../../../main/log.js';
import { withPermissionNamed } from '../permission-text.js';
import { requests } from '../../../shared/api.js';
import { alarmActionRequests, alarmActions, keyActions, mayDo, permissionFor, refusalFor, refusalOf, type AlarmAction, type Who } from './permits.js';

const who = (...held: Role[]): Who => ({ user: 'olga', roles: held });

/** Who may do what, as the permission table and the spec say it. */
const EXPECTED: Record<Role, AlarmAction[]> = {
  operator: ['acknowledge', 'silence', 'shelve', 'unshelve', 'reset', 'confirm', 'exportJournal'],
  supervisor: ['acknowledge', 'silence', 'shelve', 'unshelve', 'reset', 'confirm', 'outOfService', 'exportJournal'],
  engineer: ['outOfService', 'returnToService', 'configure', 'exportJournal'],
  administrator: [],
};

describe('the alarm actions the console offers', () => {
  it('offers each role exactly the actions its permissions allow, and nobody signed in none', () => {
    for (const role of roles) expect(alarmActions.filter((a) => mayDo(who(role), a)), role).toEqual(EXPECTED[role]);
    expect(alarmActions.filter((a) => mayDo(null, a))).toEqual([]);
    // Roles add up: a supervisor who is also an engineer has both sets.
    expect(alarmActions.filter((a) => mayDo(who('supervisor', 'engineer'), a))).toEqual(alarmActions);
  });

  it('never offers an operator out of service or return to service (spec H, case 18)', () => {
    expect(mayDo(who('operator'), 'outOfService')).toBe(false);
    expect(mayDo(who('operator'), 'returnToService')).toBe(false);
    expect(mayDo(who('supervisor'), 'returnToService')).toBe(false);
  });

  it('agrees with the station: its dispatcher refuses exactly what the console does not offer, in the same words', async () => {
    const sessions = new Map<Connection, Session>();
    const d = new Dispatcher(silentLogger());
    d.useSessions({ sessionOf: (c) => sessions.get(c) ?? null });
    d.useAudit({ record: () => undefined });
    const en = new Translator('en');
    const t = en.t.bind(en);
    for (const role of [null, ...roles]) {
      const conn = internalConnection(role ?? 'nobody');
      if (role) sessions.set(conn, { id: role, user: 'olga', displayName: 'Olga', roles: [role], since: 0 });
      const user = role ? who(role) : null;
      for (const action of alarmActions) {
        const res = await d.dispatch(alarmActionRequests[action], {}, conn);
        const refused = !res.ok && res.error.code === 'forbidden';
        expect(refused, `${action} as ${role ?? 'nobody'}`).toBe(!mayDo(user, action));
        if (!res.ok && refused) {
          // The station's refusal as the console shows it (i18n.errorText) is the console's own answer.
          const station = t(res.error.i18n!.key as Parameters<typeof t>[0], withPermissionNamed(res.error.i18n!.params, t));
          expect(refusalOf(user, action, t)).toBe(station);
        }
      }
    }
  });

  it('gates every alarm call the console makes (actions.ts): a new one must be added here', () => {
    const source = readFileSync(new URL('./actions.ts', import.meta.url), 'utf8');
    const called = [...source.matchAll(/api\.call\('(alarms\.\w+)'/g)].map((m) => m[1]);
    expect(called.length).toBeGreaterThan(0);
    expect([...new Set(called)].sort()).toEqual([...new Set(Object.values(alarmActionRequests))].sort());
  });

  it('gates the settings editor by the permission of its one edit, which the single-setting edits need too', () => {
    expect(alarmActionRequests.configure).toBe('alarms.editSettings');
    for (const name of ['alarms.editSettings', 'alarms.setLimit', 'alarms.setPriority', 'alarms.setDelays', 'alarms.setDeadband'] as const) {
      expect(requests[name].permission, name).toBe('alarms.configure');
    }
    expect(permissionFor('configure')).toBe('alarms.configure');
    expect(mayDo(who('engineer'), 'configure')).toBe(true);
    for (const role of ['operator', 'supervisor', 'administrator'] as const) expect(mayDo(who(role), 'configure'), role).toBe(false);
  });

  it('gates the alarm keys that act: silence, both acks and shelve; moving and showing need nothing', () => {
    expect(keyActions).toEqual({ silence: 'silence', ackSelected: 'acknowledge', ackPage: 'acknowledge', shelve: 'shelve' });
  });
});

describe('the answer to an action the user may not do', () => {
  const en = new Translator('en'), ru = new Translator('ru'), zh = new Translator('zh');
  const tr = (x: Translator) => x.t.bind(x);

  it('names the permission needed, in the console\'s language, and whether to sign in', () => {
    expect(refusalOf(who('operator'), 'outOfService', tr(en))).toBe('olga may not do this: it needs the permission “Take alarms out of service”.');
    expect(refusalOf(who('supervisor'), 'returnToService', tr(en))).toBe('olga may not do this: it needs the permission “Return alarms to service”.');
    expect(refusalOf(null, 'acknowledge', tr(en))).toBe('Sign in first: this needs the permission “Acknowledge alarms”.');
    expect(refusalOf(who('engineer'), 'shelve', tr(en))).toBe('olga may not do this: it needs the permission “Shelve alarms”.');
    expect(refusalOf(who('operator'), 'outOfService', tr(ru))).toBe('У пользователя olga нет права «Вывод сигнализаций из работы».');
    expect(refusalOf(null, 'silence', tr(ru))).toBe('Сначала войдите в систему: нужно право «Отключение сирены».');
    expect(refusalOf(who('operator'), 'outOfService', tr(zh))).toBe('olga 无权执行此操作：需要“停用报警”权限。');
    expect(refusalOf(who('administrator'), 'reset', tr(zh))).toBe('olga 无权执行此操作：需要“复位锁存报警”权限。');
  });

  it('is the same for a page\'s own action (the trends\' CSV export needs data.export)', () => {
    expect(refusalFor(who('administrator'), 'data.export', tr(en))).toBe('olga may not do this: it needs the permission “Export data”.');
    expect(refusalFor(null, 'data.export', tr(en))).toBe('Sign in first: this needs the permission “Export data”.');
    expect(refusalFor(who('operator'), 'data.export', tr(en))).toBeNull();
    expect(refusalOf(who('administrator'), 'exportJournal', tr(en))).toBe('olga may not do this: it needs the permission “Export data”.');
  });

  it('is null where the user may act', () => {
    for (const role of roles) for (const action of EXPECTED[role]) expect(refusalOf(who(role), action, tr(en)), `${role} ${action}`).toBeNull();
  });
});
