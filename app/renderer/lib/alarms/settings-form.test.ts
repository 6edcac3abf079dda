/**
 * The settings form against the station's own rules: what it refuses is what the station's config
 * validation refuses (app/shared/config.ts on the spec's fixture LI-101, 0–100 %), and the calls it
 * makes are each accepted by that validation in turn, ending at what was typed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stationConfigSchema } from '../../../shared/config.js';
import { Formats } from '../../../shared/i18n/index.js';
import { compileAlarms, definitionOf } from '../../../main/alarms/definitions.js';
import { fixtureRaw, LI } from '../../../main/alarms/engine/testing.js';
import { checkDraft, draftOf, limitOrder, type SettingsCall, type SettingsDraft } from './settings-form.js';

const raw = fixtureRaw();
const config = stationConfigSchema.parse(raw);
const def = definitionOf(compileAlarms(config).find((d) => d.id === LI)!, config);
const en = new Formats('en'), ru = new Formats('ru');
const fresh = (f = en): SettingsDraft => ({ ...draftOf(def, (v, d) => f.number(v, d)), comment: 'MOC-7' });
const opts = { range: [0, 100] as const, commaDecimal: false };

type Limits = Record<'HH' | 'H' | 'L' | 'LL', number>;
/** The fixture with LI-101's limits set as given: what the station would validate after an edit. */
function configWith(limits: Partial<Limits>) {
  const r = structuredClone(raw) as { tags: { name: string; alarms?: { limits?: Record<string, { value: number }> } }[] };
  const l = r.tags.find((t) => t.name === 'LI-101')!.alarms!.limits!;
  for (const [k, v] of Object.entries(limits)) l[k]!.value = v;
  return r;
}
const stationTakes = (limits: Partial<Limits>) => stationConfigSchema.safeParse(configWith(limits)).success;

describe('the settings form', () => {
  it('starts from the definition, the locale\'s way, and sends nothing for nothing changed', () => {
    const d = fresh(ru);
    expect(d.limits).toEqual({ HH: '90', H: '80', L: '15', LL: '5' });
    expect([d.onDelayS, d.offDelayS, d.deadband, d.percentOfSpan]).toEqual(['5', '10', '2', false]);
    const r = checkDraft(def, d, opts);
    expect(r.calls).toEqual([]);
    expect(r.problems.map((p) => p.key)).toEqual(['alarmsUi.settings.nothingChanged']);
  });

  it('refuses exactly the limits the station\'s config validation refuses (range and LL < L < H < HH)', () => {
    const value = fc.integer({ min: -20, max: 120 });
    fc.assert(
      fc.property(fc.record({ HH: value, H: value, L: value, LL: value }), (limits) => {
        const d = fresh();
        for (const k of ['HH', 'H', 'L', 'LL'] as const) d.limits[k] = String(limits[k]);
        const r = checkDraft(def, d, opts);
        const limitProblems = r.problems.filter((p) => p.field.startsWith('limit.'));
        expect(limitProblems.length === 0, JSON.stringify(limits)).toBe(stationTakes(limits));
      }),
      { numRuns: 400 },
    );
  });

  it('orders the edits so that the station takes each one alone (raising H above the old HH goes after HH)', () => {
    const value = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.record({ HH: value, H: value, L: value, LL: value }), (limits) => {
        fc.pre(stationTakes(limits));
        const d = fresh();
        for (const k of ['HH', 'H', 'L', 'LL'] as const) d.limits[k] = String(limits[k]);
        const r = checkDraft(def, d, opts);
        const now: Partial<Limits> = { HH: 90, H: 80, L: 15, LL: 5 };
        for (const c of r.calls) {
          if (c.name !== 'alarms.setLimit') continue;
          now[c.params.condition as keyof Limits] = c.params.value;
          expect(stationTakes(now), `${JSON.stringify(limits)} at ${c.params.condition}`).toBe(true);
        }
        expect(now).toEqual(limits);
      }),
      { numRuns: 300 },
    );
    const d = fresh();
    d.limits.H = '95';
    d.limits.HH = '98';
    expect(checkDraft(def, d, opts).calls.map((c) => c.params)).toEqual([
      { id: LI, condition: 'HH', value: 98, comment: 'MOC-7' },
      { id: LI, condition: 'H', value: 95, comment: 'MOC-7' },
    ]);
  });

  it('reads numbers in the console\'s language: a decimal comma in Russian, none in English', () => {
    const d = fresh(ru);
    d.limits.H = '80,5';
    expect(checkDraft(def, d, { ...opts, commaDecimal: true }).calls).toEqual([{ name: 'alarms.setLimit', params: { id: LI, condition: 'H', value: 80.5, comment: 'MOC-7' } }]);
    const e = fresh();
    e.limits.H = '80,5';
    expect(checkDraft(def, e, opts).problems).toEqual([{ field: 'limit.H', key: 'alarmsUi.settings.notNumber', params: { text: '80,5' } }]);
  });

  it('names the field and says it in the station\'s words: out of range, out of order', () => {
    const d = fresh();
    d.limits.HH = '101';
    expect(checkDraft(def, d, opts).problems).toEqual([
      { field: 'limit.HH', key: 'alarms.refused.limitOutsideRange', params: { alarm: LI, condition: 'HH', value: 101, low: 0, high: 100 } },
    ]);
    d.limits.HH = '90';
    d.limits.H = '92';
    expect(checkDraft(def, d, opts).problems).toEqual([
      { field: 'limit.H', key: 'alarms.refused.limitOrder', params: { alarm: LI, higher: 'HH', higherValue: 90, lower: 'H', lowerValue: 92 } },
    ]);
  });

  it('takes delays of 0..3600 s and a deadband up to 50 % of span, and wants a comment', () => {
    const d = fresh();
    d.onDelayS = '3601';
    d.deadband = '51';
    d.percentOfSpan = true;
    d.comment = '  ';
    expect(checkDraft(def, d, opts).problems.map((p) => [p.field, p.key])).toEqual([
      ['onDelayS', 'alarmsUi.settings.delayRange'],
      ['deadband', 'alarms.refused.deadbandPercentTooBig'],
      ['comment', 'alarmsUi.settings.commentRequired'],
    ]);
    const ok = fresh();
    ok.offDelayS = '0';
    ok.deadband = '3';
    ok.percentOfSpan = true;
    ok.priorities.H = 1;
    const calls: SettingsCall[] = checkDraft(def, ok, opts).calls;
    expect(calls).toEqual([
      { name: 'alarms.setPriority', params: { id: LI, condition: 'H', priority: 1, comment: 'MOC-7' } },
      { name: 'alarms.setDelays', params: { id: LI, offDelayS: 0, comment: 'MOC-7' } },
      { name: 'alarms.setDeadband', params: { id: LI, deadband: 3, percentOfSpan: true, comment: 'MOC-7' } },
    ]);
  });

  it('finds no order when none exists, and then keeps the plain one (the station says why)', () => {
    const was = new Map([['H', 80], ['HH', 90]] as const);
    expect(limitOrder(was, new Map([['H', 95], ['HH', 85]] as const))).toEqual(['H', 'HH']);
  });
});
