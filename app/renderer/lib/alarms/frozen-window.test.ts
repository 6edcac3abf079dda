/**
 * The frozen-value window in the settings form: the YAML's bounds (> 0, at most a week, as the station
 * config documents them), the locale's decimal comma, only a typed window sent, another engineer's
 * save followed while untouched and said when typed over; with the form's own check of the other fields.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmDefinition } from '../../../shared/api/alarms.js';
import { Formats } from '../../../shared/i18n/format.js';
import { checkDraft, draftOf } from './settings-form.js';
import { checkFrozen, frozenConflict, frozenDuration, frozenText, rebaseFrozen, withFrozen } from './frozen-window.js';

const ID = 'Area1.TK101.Level/frozen';
const WEEK_S = 7 * 24 * 3600;
const en = new Formats('en');
const ru = new Formats('ru');
const zh = new Formats('zh');
const write = (f: Formats) => (v: number, decimals: number) => f.number(v, decimals);

function frozenDef(afterS: number | undefined, over: Partial<AlarmDefinition> = {}): AlarmDefinition {
  return {
    id: ID, kind: 'frozen', tag: 'Area1.TK101.Level', server: 'sim', area: 'Area1', unit: 'm',
    conditions: [{ condition: 'FROZEN', limit: null, priority: 3, message: 'TK101 level transmitter frozen', rationalization: null }],
    deadband: 0, deadbandPercentOfSpan: false, onDelayS: 0, offDelayS: 0, latching: false, shelvable: true, suppressWhen: null,
    ...(afterS === undefined ? {} : { frozenAfterS: afterS }), ...over,
  };
}

/** The whole form's check, as the dialog runs it. */
function submit(def: AlarmDefinition, typed: string, comment = 'MOC-70', commaDecimal = false) {
  const f = commaDecimal ? ru : en;
  const draft = { ...draftOf(def, write(f)), comment };
  return withFrozen(checkDraft(def, draft, { range: [0, 20], commaDecimal, unit: def.unit }), checkFrozen(def, typed, commaDecimal), typed !== frozenText(def, write(f)), def, comment);
}

describe('the frozen-value window in the settings form', () => {
  it('sends a typed window alone (no "nothing is changed"), read the locale\'s way', () => {
    expect(submit(frozenDef(600), '900')).toEqual({ problems: [], edit: { id: ID, comment: 'MOC-70', frozenAfterS: 900 } });
    expect(submit(frozenDef(600), '90,5', 'MOC-70', true)).toEqual({ problems: [], edit: { id: ID, comment: 'MOC-70', frozenAfterS: 90.5 } });
    // Untouched: nothing to send, said as the form says it.
    expect(submit(frozenDef(600), '600').problems.map((p) => p.key)).toEqual(['alarmsUi.settings.nothingChanged']);
  });

  it('goes with the other settings typed in the same save', () => {
    const def = frozenDef(600);
    const draft = { ...draftOf(def, write(en)), onDelayS: '5', comment: 'MOC-71' };
    const checked = withFrozen(checkDraft(def, draft, { range: null, commaDecimal: false, unit: 'm' }), checkFrozen(def, '1200', false), true, def, 'MOC-71');
    expect(checked).toEqual({ problems: [], edit: { id: ID, onDelayS: 5, comment: 'MOC-71', frozenAfterS: 1200 } });
  });

  it('refuses a window outside the YAML\'s bounds, naming the field with the range, in the station\'s words', () => {
    for (const [typed, value] of [['0', 0], ['-3', -3], [String(WEEK_S + 1), WEEK_S + 1]] as const) {
      expect(submit(frozenDef(600), typed), typed).toEqual({
        problems: [{ field: 'frozenAfterS', key: 'alarms.refused.frozenAfterRange', params: { alarm: ID, value, max: WEEK_S } }], edit: null,
      });
    }
    expect(submit(frozenDef(600), String(WEEK_S)).edit).toMatchObject({ frozenAfterS: WEEK_S });
    expect(submit(frozenDef(600), 'ten').problems).toEqual([{ field: 'frozenAfterS', key: 'alarmsUi.settings.notNumber', params: { text: 'ten' } }]);
    // The comment is still required.
    expect(submit(frozenDef(600), '900', ' ').problems.map((p) => p.field)).toEqual(['comment']);
  });

  it('says the typed window beside the field as typed, to its last digit, the locale\'s way (1.5 s read "2 s")', () => {
    // Chinese writes a span's units without spaces (CLDR zh, Intl.DurationFormat: "1小时20分钟").
    const nb = (s: string, locale: string) => s.replaceAll(' ', '\u00a0').replaceAll('|', locale === 'zh' ? '' : ' ');
    const cases: [Formats, boolean, string, string][] = [
      [en, false, '1.5', '1.5 s'],
      [en, false, '1.50', '1.50 s'],
      [en, false, '0.25', '0.25 s'],
      [en, false, '45', '45 s'],
      [en, false, '90', '1 min|30 s'],
      [en, false, '90.5', '1 min|30.5 s'],
      [en, false, '65.5', '1 min|05.5 s'],
      [en, false, '600', '10 min|00 s'],
      [en, false, '3,630', '1 h|00 min|30 s'],
      [en, false, '3600', '1 h|00 min'],
      [en, false, '86400', '1 d|0 h'],
      [en, false, '90061', '1 d|1 h|01 min|01 s'],
      [en, false, '1.5e2', '2 min|30 s'],
      [ru, true, '1,5', '1,5 с'],
      [ru, true, '1.5', '1,5 с'],
      [ru, true, '90', '1 мин|30 с'],
      [ru, true, '90,5', '1 мин|30,5 с'],
      [ru, true, '3 630', '1 ч|00 мин|30 с'],
      [ru, true, '86 400', '1 д|0 ч'],
      [zh, false, '1.5', '1.5秒'],
      [zh, false, '90', '1分钟|30秒'],
      [zh, false, '3630', '1小时|00分钟|30秒'],
      [zh, false, '86400', '1天|0小时'],
      // More than six decimals: every digit typed, none rounded away (was "1.000000 s" for 1.0000004).
      [en, false, '1.0000004', '1.0000004 s'],
      [en, false, '1.50000001', '1.50000001 s'],
      [ru, true, '90,123456789', '1 мин|30,123456789 с'],
      [en, false, '65.99999999', '1 min|05.99999999 s'],
      [zh, false, '3600.0000001', '1小时|00分钟|00.0000001秒'],
    ];
    for (const [f, comma, typed, said] of cases) expect(frozenDuration(typed, comma, f), `${f.locale} ${typed}`).toBe(nb(said, f.locale));
    for (const none of ['', 'ten', '0', '-3', '10,5']) expect(frozenDuration(none, false, en), none).toBeNull();
  });

  it('says a whole window as the console says any duration (Formats.duration), where that loses nothing', () => {
    for (const f of [en, ru, zh]) {
      for (const s of [1, 9, 59, 60, 61, 599, 3599, 3600, 7200, 86_400, 90_000, 7 * 86_400]) {
        expect(frozenDuration(String(s), f.locale === 'ru', f), `${f.locale} ${s}`).toBe(f.duration(s * 1000));
      }
    }
  });

  it('has no window for an alarm of another kind', () => {
    const limit = frozenDef(undefined, { id: 'Area1.TK101.Level/limit', kind: 'limit' });
    expect(frozenText(limit, write(en))).toBeNull();
    expect(checkFrozen(limit, null, false)).toEqual({ problems: [] });
  });

  it('follows another engineer\'s save while untouched; typed over, it stays and is said with the window now in force', () => {
    const opened = frozenDef(600), now = frozenDef(1800);
    // As the form writes it: grouped the locale's way.
    expect(rebaseFrozen('600', opened, now, write(en))).toBe('1,800');
    expect(rebaseFrozen('600', opened, now, write(ru))).toBe('1\u00a0800');
    expect(rebaseFrozen('900', opened, now, write(en))).toBe('900');
    expect(frozenConflict('1,800', opened, now, write(en), 'Frozen after, s')).toEqual([]);
    expect(frozenConflict('600', opened, opened, write(en), 'Frozen after, s')).toEqual([]);
    expect(frozenConflict('900', opened, now, write(en), 'Frozen after, s')).toEqual([
      { field: 'frozenAfterS', key: 'alarmsUi.settings.changedMeanwhile', params: { setting: 'Frozen after, s', value: '1,800' } },
    ]);
  });
});
