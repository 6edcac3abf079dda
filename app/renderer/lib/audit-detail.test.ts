import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { auditDetail, auditValue } from './audit-detail.js';
import { changeText } from './audit-view.js';
import { passwordProblem } from '../../main/accounts/password.js';

const ru = new Translator('ru');
const zh = new Translator('zh');
const en = new Translator('en');
const tr = (t: Translator) => t.t.bind(t);

// Details as the station writes them (app/main/api/dispatcher.ts, app/main/accounts/).
const STATION = [
  'alarms.kpi: sign in first; this needs the permission "alarms.kpi"',
  'accounts.disable: ivan (operator) lacks the permission "accounts.manage"',
  '3 more refused like this within 10 s of the first: audit.query: sign in first; this needs the permission "audit.view"',
  'wrong password (2 in a row)',
  'wrong password (5 in a row); locked',
  'no such account',
  'no such account; locked',
  '5 failed sign-ins in a row: locked for 15 min',
  '5 failed sign-ins in a row: locked for 15 min (no such account)',
  'session token of ivan presented from another address',
  'shift handover to petrov',
  'handover from ivanova',
  '1 accounts',
  '4 accounts',
  'unknown or expired session token',
  'taken over from a console still connected',
  'reconnected within the inactivity time',
  'no operator input',
  'connection closed and not resumed',
  'the console closed',
  'nobody was signed in',
  'the account no longer exists',
  'the account was disabled',
  'the password was changed: every session of the account ends',
  'new password set by its user; other sessions of the account ended: 2',
  'the password was changed by its user at another console',
  'new password set; failed sign-ins and any lock cleared',
];

describe('audit details in the console\'s language', () => {
  it('reads every detail the station writes, in Russian and Chinese; an English console shows the stored text but for refusals', () => {
    for (const d of STATION) {
      if (!/the permission "/.test(d)) expect(auditDetail(d, tr(en), 'en')).toBe(d === '1 accounts' ? '1 account' : d);
      expect(auditDetail(d, tr(ru), 'ru'), d).not.toBe(d);
      expect(auditDetail(d, tr(zh), 'zh'), d).not.toBe(d);
    }
    // The English catalog says the station's words (the refusals as the console says them when they happen).
    for (const d of STATION.slice(3)) expect(auditDetail(d, tr(en), ''), d).toBe(d === '1 accounts' ? '1 account' : d);
  });

  it('says a count with the language\'s plural, in English too (the station writes "1 accounts" at its start)', () => {
    // CLDR plural forms: English one/other; Russian one (1, 21), few (2–4, 22), many (5–20, 11).
    const say = (d: string, t: Translator, lang: string) => auditDetail(d, tr(t), lang);
    expect(say('1 accounts', en, 'en')).toBe('1 account');
    expect(say('0 accounts', en, 'en')).toBe('0 accounts');
    expect(say('1 accounts', ru, 'ru')).toBe('1 учётная запись');
    expect(say('3 accounts', ru, 'ru')).toBe('3 учётные записи');
    expect(say('11 accounts', ru, 'ru')).toBe('11 учётных записей');
    expect(say('21 accounts', ru, 'ru')).toBe('21 учётная запись');
    expect(say('1 entries', en, 'en')).toBe('1 entry');
    expect(say('22 entries', ru, 'ru')).toBe('22 записи');
    expect(say('{}: 1 lines', en, 'en')).toBe('the whole journal: 1 line');
    expect(say('1 failed sign-ins in a row: locked for 15 min', en, 'en')).toBe('1 failed sign-in in a row: locked for 15 min');
    expect(say('1 failed sign-ins in a row: locked for 15 min', ru, 'ru')).toBe('1 неудачный вход подряд: блокировка на 15 мин');
    expect(say('3 failed sign-ins in a row: locked for 15 min', ru, 'ru')).toBe('3 неудачных входа подряд: блокировка на 15 мин');
    expect(say('5 failed sign-ins in a row: locked for 15 min', ru, 'ru')).toBe('5 неудачных входов подряд: блокировка на 15 мин');
  });

  it('says a sign-in refused for a locked name, and its repeats counted into one entry, in the console\'s language', () => {
    // As app/main/accounts/sign-in.ts and api/dispatcher.ts write them: the lock's end as an ISO time, shown as a time.
    const d = 'account locked until 2026-12-07T01:15:00.000Z';
    const ruText = auditDetail(d, tr(ru), 'ru', new Formats('ru', 'UTC'));
    expect(ruText).toMatch(/^учётная запись заблокирована до .*01:15/);
    expect(ruText).not.toContain('2026-12-07T');
    expect(auditDetail(d, tr(zh), 'zh', new Formats('zh', 'UTC'))).toMatch(/^账户锁定至 .*01:15/);
    const repeated = auditDetail(`299 more refused like this within 10 s of the first: ${d}`, tr(zh), 'zh', new Formats('zh', 'UTC'));
    expect(repeated).toContain('账户锁定至');
    expect(repeated).not.toContain('account locked');
  });

  it('says an audit export refused as too large in the console\'s language, its counts grouped the locale\'s way', () => {
    // The detail as app/main/accounts/audit-handlers.ts writes it; the words from the ru and zh catalogs, the grouping CLDR's.
    const d = '123456 entries match: more than 100000; narrow the time range or use `npm run audit -- export`';
    expect(auditDetail(d, tr(ru), 'ru')).toBe('Подходит записей: 123\u00a0456, больше 100\u00a0000. Сузьте интервал времени или выгрузите через «npm run audit -- export».');
    expect(auditDetail(d, tr(zh), 'zh')).toBe('匹配 123,456条记录，超过 100,000条：请缩小时间范围，或使用“npm run audit -- export”导出。');
  });

  it('says a sign-in by shift handover, and the session it ended, in the console\'s language', () => {
    // The sign-in's detail as app/main/accounts/session-handlers.ts writes it; the ended session's as sessions.ts does.
    expect(auditDetail('handover from ivanova', tr(ru), 'ru')).toBe('приём смены у ivanova');
    expect(auditDetail('handover from ivanova', tr(zh), 'zh')).toBe('从 ivanova 接班');
    expect(auditDetail('handover from ivanova', tr(en), 'en')).toBe('handover from ivanova');
    expect(auditDetail('handover from ivanova', tr(en), '')).toBe('handover from ivanova');
    expect(auditDetail('shift handover to petrov', tr(ru), 'ru')).toBe('передача смены: petrov');
    expect(auditDetail('nobody was signed in', tr(ru), 'ru')).toBe('никто не был в системе');
  });

  it('says refusals as the console says them when they happen, the repeated ones with their count', () => {
    expect(auditDetail(STATION[0]!, tr(ru), 'ru')).toBe('Сначала войдите в систему: нужно право «Отчёты о показателях сигнализаций».');
    expect(auditDetail(STATION[2]!, tr(ru), 'ru')).toBe('ещё 3 отказа такого же рода в течение 10 с после первого: Сначала войдите в систему: нужно право «Просмотр журнала аудита».');
    expect(auditDetail(STATION[1]!, tr(zh), 'zh')).toBe('ivan 无权执行此操作：需要“管理用户账户”权限。');
    expect(auditDetail(STATION[4]!, tr(zh), 'zh')).toBe('密码错误（连续 5次）；已锁定');
  });

  it('names the permission a refusal needed, never its id, in English too', () => {
    expect(auditDetail(STATION[0]!, tr(en), 'en')).toBe('Sign in first: this needs the permission “Alarm performance reports”.');
    expect(auditDetail(STATION[1]!, tr(en), 'en')).toBe('ivan may not do this: it needs the permission “Manage user accounts”.');
    expect(auditDetail(STATION[2]!, tr(en), 'en')).toBe('3 more refused like this within 10 s of the first: Sign in first: this needs the permission “View the audit trail”.');
    expect(auditDetail('alarms.outOfService: olga (operator) lacks the permission "alarms.outOfService"', tr(en), 'en'))
      .toBe('olga may not do this: it needs the permission “Take alarms out of service”.');
    // Repeated refusals of another kind keep the station's English.
    expect(auditDetail('2 more refused like this within 10 s of the first: wrong password (1 in a row)', tr(en), 'en'))
      .toBe('2 more refused like this within 10 s of the first: wrong password (1 in a row)');
    // A permission this console does not know (a newer station) is shown as it came.
    expect(auditDetail('reports.print: olga (operator) lacks the permission "reports.print"', tr(ru), 'ru')).toBe('У пользователя olga нет права «reports.print».');
  });

  it('says a refused new password and a refused alarm action as the console says them when they happen', () => {
    // The password texts as the station makes them; the alarm refusals as app/main/alarms writes them.
    const password = [passwordProblem('short', { minLength: 10 }), passwordProblem(' leading-space-pw', { minLength: 10 }), passwordProblem('my-ivanov-2026', { minLength: 10, user: 'ivanov' })];
    const cases: [string, Parameters<Translator['t']>][] = [
      ...password.map((p): [string, Parameters<Translator['t']>] => [p!.message, [p!.key as Parameters<Translator['t']>[0], p!.params]]),
      ['no alarm "Area1.TK101.Level.HH"', ['alarms.refused.unknownAlarm', { alarm: 'Area1.TK101.Level.HH' }]],
      ['alarm changed — review: Area1.TK101.Level.HH, Area1.TK102.Level.H', ['alarms.refused.changed', { alarms: 'Area1.TK101.Level.HH, Area1.TK102.Level.H' }]],
      ['Area1.GD101.HH may not be shelved', ['alarms.refused.notShelvable', { alarm: 'Area1.GD101.HH' }]],
      ['Area1.TK101.Level.H: 600 min asked, at most 480 min allowed', ['alarms.refused.shelveTooLong', { requested: 600, max: 480 }]],
      ['Area1.TK101.Level.H is not shelved', ['alarms.refused.notShelved', { alarm: 'Area1.TK101.Level.H' }]],
      ['Area1.TK101.Level.HH: the condition is still present', ['alarms.refused.conditionPresent', { alarm: 'Area1.TK101.Level.HH' }]],
      ['Area1.TK101.Level.HH is not latched', ['alarms.refused.notLatched', { alarm: 'Area1.TK101.Level.HH' }]],
      ['Area1.TK101.Level.HH: its data is not live, the condition cannot be verified', ['alarms.refused.suspect', { alarm: 'Area1.TK101.Level.HH' }]],
      ['Area1.TK101.Level.HH must be acknowledged before it is reset', ['alarms.refused.ackFirst', { alarm: 'Area1.TK101.Level.HH' }]],
      ['Area1.TK101.Level.H is out of service', ['alarms.refused.alreadyOutOfService', { alarm: 'Area1.TK101.Level.H' }]],
      ['Area1.TK101.Level.H is already out of service', ['alarms.refused.alreadyOutOfService', { alarm: 'Area1.TK101.Level.H' }]],
      ['Area1.TK101.Level.H is not out of service', ['alarms.refused.notOutOfService', { alarm: 'Area1.TK101.Level.H' }]],
      ['Area1.TK101.Level.limit has no LL condition', ['alarms.refused.noSuchCondition', { alarm: 'Area1.TK101.Level.limit', condition: 'LL' }]],
      ['sim.Area1.Pump.Fault is not defined in the station config', ['alarms.refused.notConfigurable', { alarm: 'sim.Area1.Pump.Fault' }]],
      ['comm.sim has no delays', ['alarms.refused.notConfigurable', { alarm: 'comm.sim' }]],
      ['comm.sim has no deadband', ['alarms.refused.notConfigurable', { alarm: 'comm.sim' }]],
      ['Area1.TK101.Level.HH has no confirm step', ['alarms.refused.notConfirmable', { alarm: 'Area1.TK101.Level.HH' }]],
      ['your role may not shelve alarms', ['alarms.refused.shelveNotAllowed']],
      // Account changes refused, as app/main/accounts writes them.
      ['an account "ivanov" exists already', ['accounts.exists', { user: 'ivanov' }]],
      ['no account "petrov"', ['accounts.notFound', { user: 'petrov' }]],
      ['"eng" is the last enabled administrator: make another administrator first', ['accounts.lastAdministrator', { user: 'eng' }]],
      ['eng may not change the roles of their own account: another administrator does that', ['accounts.ownRoles']],
      ['admin may not reset their own password here: change it with the current password (Change password), or on the station with `npm run accounts -- passwd`', ['accounts.resetPassword.own']],
      ['accounts exist already: sign in instead', ['accounts.setup.exists']],
      ['the first administrator is created on the station itself (or with `npm run accounts -- add`), not over the network', ['accounts.setup.loopbackOnly']],
      ['refused: a sign-in is being checked on this console already; wait for its answer', ['accounts.signIn.inProgress']],
    ];
    for (const [detail, [key, params]] of cases) {
      for (const t of [ru, zh]) {
        const said = auditDetail(detail, tr(t), t === ru ? 'ru' : 'zh');
        expect(said, detail).toBe(t.t(key, params));
        expect(said, detail).not.toBe(detail);
      }
    }
    expect(auditDetail(password[0]!.message, tr(ru), 'ru')).toBe('Пароль должен быть не короче 10 символов.');
    expect(auditDetail('"eng" is the last enabled administrator: make another administrator first', tr(ru), 'ru')).toBe('«eng» — последний действующий администратор: сначала назначьте другого.');
    expect(auditDetail('Area1.TK101.Level.HH: the condition is still present', tr(en), 'en')).toBe('Area1.TK101.Level.HH: the condition is still present');
  });

  it('says an engineer\'s refused settings edit as the console said it, numbers the locale\'s way', () => {
    // As app/main/alarms/module.test.ts sees the station write them.
    const range = "LI-101/limit: tags[0].alarms.limits.HH.value: expected HH within the tag's range [0, 100] (a limit outside it can never trip: the transmitter saturates at its range); got 120.5";
    const order = 'LI-101/limit: tags[0].alarms.limits.HH.value: expected HH (90) above H (95.5)';
    expect(auditDetail(range, tr(ru), 'ru')).toBe('HH 120,5 вне диапазона тега 0 … 100: такая уставка никогда не сработает.');
    expect(auditDetail(order, tr(ru), 'ru')).toBe('HH (90) должен быть выше H (95,5).');
    expect(auditDetail(order, tr(zh), 'zh')).toBe('HH（90）必须高于 H（95.5）。');
    expect(auditDetail('LI-101/limit: expected a deadband of at most 50 % of span, got 60', tr(ru), 'ru')).toBe('Зона нечувствительности — не более 50 % диапазона.');
    expect(auditDetail('X-1/deviation: expected DEVH above 0, got 0', tr(zh), 'zh')).toBe('DEVH 必须大于 0。');
    expect(auditDetail("FI-7/limit: tags[3].alarms.deadbandPercent: missing range: a deadband in % of span needs the tag's range: [low, high]", tr(ru), 'ru'))
      .toBe('Для зоны нечувствительности в % диапазона нужен диапазон тега; у FI-7 его нет.');
    expect(auditDetail('LI-101/limit: no setting to change', tr(ru), 'ru')).toBe('Для LI-101/limit нечего сохранять: не указано ни одной настройки для изменения.');
    expect(auditDetail('LI-101/limit: no setting to change', tr(zh), 'zh')).toBe('LI-101/limit 没有需要保存的内容：未指定要修改的设置。');
    expect(auditDetail('LI-101/limit: no setting to change', tr(en), 'en')).toBe('LI-101/limit: no setting to change');
    expect(auditDetail(order, tr(en), 'en')).toBe(order);
  });

  it('keeps any other detail as stored: a comment, a server\'s text, a near miss', () => {
    for (const d of ['called the field crew', 'BadSessionIdInvalid (0x80250000)', 'no operator input today', 'wrong password']) {
      expect(auditDetail(d, tr(ru), 'ru')).toBe(d);
    }
  });

  it('says an alarm action\'s old and new values and its detail in the console\'s language; other actions\' values stay data', () => {
    const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
    const say = (action: string, v: string) => auditValue(action, v, tr(ru), 'ru', when);
    // As app/main/alarms/handlers.ts writes them (old states as letters, new as words).
    expect(changeText({ oldValue: '["B"]', newValue: '"acknowledged"' }, 80, (v) => say('alarms.acknowledge', v))).toBe('Активна, не квитирована → Квитирована');
    expect(say('alarms.acknowledge', 'B, D')).toBe(`${ru.t('alarmsUi.stateName.B')}; ${ru.t('alarmsUi.stateName.D')}`);
    expect(say('alarms.reset', 'latched')).toBe(ru.t('alarmsUi.event.latched'));
    expect(say('alarms.reset', 'reset')).toBe(ru.t('alarmsUi.event.reset'));
    expect(say('alarms.outOfService', 'out of service')).toBe(ru.t('alarmsUi.event.outOfService'));
    expect(say('alarms.silence', 'silenced')).toBe(ru.t('alarmsUi.event.silenced'));
    expect(say('alarms.confirm', 'confirmed')).toBe(ru.t('alarmsUi.event.confirmed'));
    expect(say('alarms.unshelve', 'shelved')).toBe(ru.t('alarmsUi.event.shelved'));
    expect(say('alarms.shelve', 'shelved until 2026-12-04T16:00:00.000Z')).toBe('отложена до 2026-12-04 16:00');
    expect(say('alarms.shelve', 'shelved one-shot')).toBe(ru.t('audit.value.shelvedOneShot'));
    expect(say('alarms.shelve', 'shelved one-shot, at most until 2026-12-05T00:00:00.000Z')).toBe(ru.t('audit.value.shelvedOneShotUntil', { until: '2026-12-05 00:00' }));
    expect(auditValue('alarms.shelve', 'shelved one-shot', tr(zh), 'zh', when)).toBe('搁置至恢复正常');
    // Not an alarm action, not one of its words, or an English console: as stored.
    for (const [action, v] of [['accounts.update', 'B'], ['alarms.setLimit', 'reset'], ['alarms.editSettings', 'B'], ['alarms.acknowledge', 'B, X'], ['alarms.shelve', 'shelved until someday']]) {
      expect(say(action!, v!)).toBe(v);
    }
    expect(auditValue('alarms.acknowledge', 'acknowledged', tr(en), 'en', when)).toBe('acknowledged');
    // Their details.
    expect(auditDetail('selected: 3', tr(ru), 'ru')).toBe('выбранные: 3');
    expect(auditDetail('page: 12', tr(ru), 'ru')).toBe(ru.t('audit.detail.ackScope', { scope: 'page', count: 12 }));
    expect(auditDetail('2 sounding', tr(zh), 'zh')).toBe(zh.t('audit.detail.sounding', { count: 2 }));
    expect(auditDetail('2 sounding', tr(en), '')).toBe('2 sounding');
    expect(auditDetail('selected: 3', tr(en), '')).toBe('selected: 3');
  });
});
