/**
 * The settings form against the station's own rules: what it refuses is what the station's config
 * validation refuses (app/shared/config.ts on the spec's fixture LI-101, 0–100 %), and the one edit
 * it sends (alarms.editSettings) holds exactly the changed settings, which that validation accepts
 * together, ending at what was typed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stationConfigSchema } from '../../../shared/config.js';
import { requests } from '../../../shared/api.js';
import { Formats } from '../../../shared/i18n/index.js';
import { compileAlarms, definitionOf } from '../../../main/alarms/definitions.js';
import { fixtureRaw, LI } from '../../../main/alarms/engine/testing.js';
import { changeCount, checkDraft, conflictsOf, draftOf, draftTyped, rebaseDraft, type SettingsDraft } from './settings-form.js';

const raw = fixtureRaw();
const config = stationConfigSchema.parse(raw);
const def = definitionOf(compileAlarms(config).find((d) => d.id === LI)!, config);
const en = new Formats('en'), ru = new Formats('ru');
const fresh = (f = en): SettingsDraft => ({ ...draftOf(def, (v, d) => f.number(v, d)), comment: 'MOC-7' });
const opts = { range: [0, 100] as const, commaDecimal: false, unit: 'm' };

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
    expect(r.edit).toBeNull();
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

  it('sends the changed limits in one edit, which the station takes as a whole (H and HH both above the old HH)', () => {
    const value = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.record({ HH: value, H: value, L: value, LL: value }), (limits) => {
        fc.pre(stationTakes(limits));
        const d = fresh();
        for (const k of ['HH', 'H', 'L', 'LL'] as const) d.limits[k] = String(limits[k]);
        const r = checkDraft(def, d, opts);
        const was: Limits = { HH: 90, H: 80, L: 15, LL: 5 };
        const changed = Object.fromEntries(Object.entries(limits).filter(([k, v]) => was[k as keyof Limits] !== v));
        if (Object.keys(changed).length === 0) return expect(r.edit).toBeNull();
        // Only what changed is sent, and all of it at once ends at what was typed.
        expect(r.edit?.limits ?? {}, JSON.stringify(limits)).toEqual(changed);
        expect(stationTakes({ ...was, ...r.edit!.limits })).toBe(true);
      }),
      { numRuns: 300 },
    );
    const d = fresh();
    d.limits.H = '95';
    d.limits.HH = '98';
    // Either alone is out of order with the other's old value; together they are in order.
    expect(stationTakes({ H: 95 })).toBe(false);
    expect(stationTakes({ HH: 98, H: 95 })).toBe(true);
    const r = checkDraft(def, d, opts);
    expect(r.problems).toEqual([]);
    expect(r.edit).toEqual({ id: LI, limits: { HH: 98, H: 95 }, comment: 'MOC-7' });
    expect(changeCount(r.edit!)).toBe(2);
  });

  it('reads numbers in the console\'s language: a decimal comma in Russian, none in English', () => {
    const d = fresh(ru);
    d.limits.H = '80,5';
    expect(checkDraft(def, d, { ...opts, commaDecimal: true }).edit).toEqual({ id: LI, limits: { H: 80.5 }, comment: 'MOC-7' });
    const e = fresh();
    e.limits.H = '80,5';
    expect(checkDraft(def, e, opts).problems).toEqual([{ field: 'limit.H', key: 'alarmsUi.settings.notNumber', params: { text: '80,5' } }]);
  });

  it('names the field and says it in the station\'s words: out of range, out of order', () => {
    const d = fresh();
    d.limits.HH = '101';
    expect(checkDraft(def, d, opts).problems).toEqual([
      { field: 'limit.HH', key: 'alarms.refused.limitOutsideRange', params: { alarm: LI, condition: 'HH', value: 101, low: 0, high: 100, unit: '\u202fm' } },
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
    const r = checkDraft(def, ok, opts);
    expect(r.edit).toEqual({ id: LI, priorities: { H: 1 }, offDelayS: 0, deadband: { value: 3, percentOfSpan: true }, comment: 'MOC-7' });
    expect(changeCount(r.edit!)).toBe(3);
    // What the station's request takes, as it is.
    expect(requests['alarms.editSettings'].params.parse(r.edit)).toEqual(r.edit);
    // A form with a problem sends nothing, not even the settings that are fine.
    ok.limits.HH = '101';
    expect(checkDraft(def, ok, opts).edit).toBeNull();
  });
});

describe('a form open while someone else saves the same alarm', () => {
  const write = (v: number, d: number) => en.number(v, d);
  /** The definition after another engineer's save: H 80 -> 82 (the fixture's H is 80, its on-delay 5 s). */
  const theirs = { ...def, conditions: def.conditions.map((c) => (c.condition === 'H' ? { ...c, limit: 82 } : c)) };
  const label = (field: string) => `[${field}]`;

  it('sends only what this engineer typed: the field they did not touch follows the other save', () => {
    const mine = fresh();
    mine.onDelayS = '7';
    const rebased = rebaseDraft(mine, def, theirs, write);
    expect([rebased.limits.H, rebased.onDelayS, rebased.comment]).toEqual(['82', '7', 'MOC-7']);
    expect(conflictsOf(rebased, def, theirs, write, label)).toEqual([]);
    // Against the definition as it now is: the on-delay alone (the form fixed at opening had sent H = 80 back).
    expect(checkDraft(theirs, rebased, opts).edit).toEqual({ id: LI, onDelayS: 7, comment: 'MOC-7' });
  });

  it('says a typed value that someone else changed meanwhile, with the value now in force; once said, the typed value is sent', () => {
    const mine = fresh();
    mine.limits.H = '85';
    const rebased = rebaseDraft(mine, def, theirs, write);
    expect(rebased.limits.H).toBe('85');
    expect(conflictsOf(rebased, def, theirs, write, label)).toEqual([
      { field: 'limit.H', key: 'alarmsUi.settings.changedMeanwhile', params: { setting: '[limit.H]', value: '82' } },
    ]);
    // The console then takes the new definition as the one the form started from.
    expect(conflictsOf(rebased, theirs, theirs, write, label)).toEqual([]);
    expect(checkDraft(theirs, rebased, opts).edit).toEqual({ id: LI, limits: { H: 85 }, comment: 'MOC-7' });
  });

  it('is no conflict when both typed the same value', () => {
    const mine = fresh();
    mine.limits.H = '82';
    expect(conflictsOf(rebaseDraft(mine, def, theirs, write), def, theirs, write, label)).toEqual([]);
  });
});

describe('a form with something typed in it (Escape asks before throwing it away)', () => {
  const write = (v: number, d: number) => ru.number(v, d);
  const untouched = () => draftOf(def, write);

  it('is untouched as opened, and again once a field is typed back to what it was', () => {
    expect(draftTyped(untouched(), def, write)).toBe(false);
    const d = untouched();
    d.limits.H = '81';
    d.limits.H = '80';
    expect(draftTyped(d, def, write)).toBe(false);
    expect(draftTyped({ ...untouched(), comment: '  ' }, def, write)).toBe(false);
  });

  it('is typed in with any field changed or a comment written', () => {
    const changes: ((d: SettingsDraft) => void)[] = [
      (d) => (d.limits.H = '80,5'),
      (d) => (d.limits.LL = ''),
      (d) => (d.priorities.H = 1),
      (d) => (d.onDelayS = '6'),
      (d) => (d.offDelayS = '0'),
      (d) => (d.deadband = '2,5'),
      (d) => (d.percentOfSpan = true),
      (d) => (d.comment = 'MOC-9'),
    ];
    for (const change of changes) {
      const d = untouched();
      change(d);
      expect(draftTyped(d, def, write), change.toString()).toBe(true);
    }
  });

  it('is untouched when only someone else\'s save moved its fields (rebaseDraft)', () => {
    const theirs = { ...def, onDelayS: 9 };
    expect(draftTyped(rebaseDraft(untouched(), def, theirs, write), theirs, write)).toBe(false);
  });
});
