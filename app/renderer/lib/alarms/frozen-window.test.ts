/**
 * The frozen-value window in the settings form: the YAML's bounds (> 0, at most a week, as the station
 * config documents them), the locale's decimal comma, only a typed window sent, another engineer's
 * save followed while untouched and said when typed over; with the form's own check of the other fields.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmDefinition } from '../../../shared/api/alarms.js';
import { Formats } from '../../../shared/i18n/format.js';
import { checkDraft, draftOf } from './settings-form.js';
import { checkFrozen, frozenConflict, frozenText, rebaseFrozen, withFrozen } from './frozen-window.js';

const ID = 'Area1.TK101.Level/frozen';
const WEEK_S = 7 * 24 * 3600;
const en = new Formats('en');
const ru = new Formats('ru');
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
