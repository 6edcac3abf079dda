/**
 * A page's message (the Sync page's "Send again" answer, a station's refusal) arrives while the
 * console is in English; the operator then switches to Russian in the header: the message reads in
 * Russian. The console's own i18n (compiled as the browser runs it) does the switching; the expected
 * texts are the catalog's, written out here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ApiCallError } from './api-base.js';
import { failure, kept, keptText, type KeptMessage } from './kept-message.js';
import { problemNow, raise } from './field-problem.js';
import { importRunesTree } from './testing/runes-tree.js';

type I18nModule = typeof import('./i18n.svelte.js');
let i18n: I18nModule['i18n'];

beforeAll(async () => {
  ({ i18n } = await importRunesTree<I18nModule>(fileURLToPath(new URL('./i18n.svelte.ts', import.meta.url))));
});

describe('a message kept as what it says is worded in the language shown', () => {
  it('a done message (with a plural) made in English reads in Russian after the switch', () => {
    i18n.choose('en');
    const m = kept('sync.done.resend', { queued: 2 });
    expect(keptText(m, i18n)).toBe('Queued for 2 upstreams.');
    i18n.choose('ru');
    expect(keptText(m, i18n)).toBe('Поставлено в очередь для 2 серверов.');
  });

  it("the station's refusal, with the permission it needs named, follows the switch both ways", () => {
    i18n.choose('en');
    const err = new ApiCallError('sync.resend', 'forbidden', 'op1 may not do this: it needs the permission sync.manage', {
      key: 'error.forbidden.permission',
      params: { user: 'op1', permission: 'sync.manage' },
    });
    const m = failure(err);
    expect(keptText(m, i18n)).toBe('op1 may not do this: it needs the permission “Manage upstream transfer”.');
    i18n.choose('ru');
    expect(keptText(m, i18n)).toBe('У пользователя op1 нет права «Управление передачей данных».');
    i18n.choose('en');
    expect(keptText(m, i18n)).toBe('op1 may not do this: it needs the permission “Manage upstream transfer”.');
  });

  it('a failure without a key (the link dropped), or a text with none, is shown as it came, whatever the language', () => {
    i18n.choose('ru');
    expect(keptText(failure(new Error('socket closed')), i18n)).toBe('socket closed');
    expect(keptText({ text: 'range: expected one of 15m, 1h; got "2h"' }, i18n)).toBe('range: expected one of 15m, 1h; got "2h"');
  });

  it("the KPI page's bad period, raised in English about the fields as they were, reads in Russian while they stand", () => {
    i18n.choose('en');
    const fields = { period: 'custom', from: '2026-12-06T10:00', to: '2026-12-06T09:00' };
    const raised = raise<typeof fields, KeptMessage>(kept('alarmsUi.kpi.badPeriod'), fields);
    const shown = problemNow(raised, fields);
    expect(shown && keptText(shown, i18n)).toBe('Choose a period whose start is before its end.');
    i18n.choose('ru');
    expect(shown && keptText(shown, i18n)).toBe('Выберите период, начало которого раньше конца.');
    expect(problemNow(raised, { ...fields, to: '2026-12-06T11:00' })).toBeNull();
  });
});
