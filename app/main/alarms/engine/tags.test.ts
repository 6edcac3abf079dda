/**
 * What the engine keeps per tag and the per-sample arithmetic (tags.ts),
 * through the engine's public entry points, on the spec's fixture plus a few
 * tags of our own, run through the real schema and compiler. Expectations are
 * literals worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { stationConfigSchema } from '../../../shared/config.js';
import { compileAlarms } from '../definitions.js';
import { Harness, LI, fixtureRaw } from './testing.js';

const tag = (name: string, alarms: object) => ({ name, server: 'sim', nodeId: `ns=1;s=${name}`, unit: 'u', range: [0, 100], kind: 'analog', area: 'A1', alarms });
const plain = (name: string) => ({ name, server: 'sim', nodeId: `ns=1;s=${name}`, unit: 'u', range: [0, 100], kind: 'analog', area: 'A1' });
const roc = (direction: 'rising' | 'falling' | 'both') => ({ rateOfChange: { limit: 10, direction, windowS: 60, priority: 3, message: `rate ${direction}` } });

function harness(tags: object[] = []): Harness {
  const raw = fixtureRaw();
  return new Harness(stationConfigSchema.parse({ ...raw, tags: [...raw.tags, ...tags] }));
}

describe('tags and their alarms', () => {
  it('a restored alarm stays suspect through a config reload until its tag reports (no fresh data, no trust)', () => {
    const before = harness();
    before.set('LI-101', 85).advance(5000);
    const kept = before.engine.takeChanges().persist;

    const h = harness();
    h.engine.restore(kept);
    expect(h.row(LI)).toMatchObject({ state: 'B', suspect: true });
    // The engineer edits the H message: LI-101 is redefined, and no sample of it has come yet.
    const raw = fixtureRaw();
    const li = raw.tags.find((t) => t.name === 'LI-101') as { alarms: { limits: Record<string, object> } };
    li.alarms.limits.H = { value: 80, priority: 2, message: 'Tank level high' };
    h.engine.define(compileAlarms(stationConfigSchema.parse(raw)));
    expect(h.row(LI)).toMatchObject({ state: 'B', suspect: true, message: 'Tank level high' });
    h.set('LI-101', 85);
    expect(h.row(LI)).toMatchObject({ state: 'B', suspect: false });
  });

  it('a server condition whose source is named like a tag is not evaluated from that tag\'s samples', () => {
    const h = harness();
    const id = 'server/sim/ns=1;i=5001';
    h.engine.serverCondition({
      id, server: 'sim', source: 'LI-101', area: 'A1', message: 'Overfill interlock tripped', priority: 1, active: true, acked: false,
      confirmed: null, suppressed: false, retain: true, value: null, time: h.t, user: null, comment: null,
    });
    // A config reload re-indexes every alarm, the server's conditions among them.
    h.engine.define(compileAlarms(h.config));
    h.set('LI-101', 50).advance(60_000);
    expect(h.row(id)).toMatchObject({ state: 'B', flags: { active: true }, value: null });
    expect(h.events(id)).toEqual(['activated']);
  });

  it('a Boolean value counts as 0 and 1 against limits (an analog tag on a Variant node may send one)', () => {
    const h = harness([tag('XS-1', { limits: { H: { value: 0.5, priority: 3, message: 'Switch on' } } })]);
    h.set('XS-1', true);
    expect(h.row('XS-1/limit')).toMatchObject({ state: 'B', condition: 'H', value: true });
    h.set('XS-1', false);
    expect(h.row('XS-1/limit')!.state).toBe('D');
  });
});

describe('rate of change', () => {
  it('a rate equal to the limit alarms, as a value at a limit does', () => {
    const h = harness([tag('TI-1', roc('both'))]);
    h.set('TI-1', 50).advance(60_000).set('TI-1', 60); // 10 per minute
    expect(h.row('TI-1/rateOfChange')).toMatchObject({ state: 'B', condition: 'ROC', limit: 10 });
  });

  it('a rising-only alarm ignores a fast fall; a falling-only alarm ignores a fast rise', () => {
    const h = harness([tag('TI-1', roc('rising')), tag('TI-2', roc('falling'))]);
    h.set('TI-1', 50).set('TI-2', 50).advance(60_000);
    h.set('TI-1', 20).set('TI-2', 80); // -30 and +30 per minute
    expect(h.row('TI-1/rateOfChange')).toBeUndefined();
    expect(h.row('TI-2/rateOfChange')).toBeUndefined();
  });

  it('a steady or slowly moving value raises nothing, in either direction', () => {
    const h = harness([tag('TI-1', roc('both'))]);
    h.set('TI-1', 50).advance(60_000).set('TI-1', 50).advance(60_000).set('TI-1', 45); // 0, then -5 per minute
    expect(h.row('TI-1/rateOfChange')).toBeUndefined();
    h.advance(60_000).set('TI-1', 34); // -11 per minute
    expect(h.row('TI-1/rateOfChange')).toMatchObject({ state: 'B' });
  });
});

describe('suppression by design: below and above are strict (the console shows "PT-1 < 1", "PT-2 > 5")', () => {
  const suppressed = () =>
    harness([
      tag('FI-201', { suppressWhen: { tag: 'PT-1', below: 1 }, limits: { L: { value: 10, priority: 3, message: 'Flow low' } } }),
      tag('FI-202', { suppressWhen: { tag: 'PT-2', above: 5 }, limits: { L: { value: 10, priority: 3, message: 'Flow low' } } }),
      plain('PT-1'),
      plain('PT-2'),
    ]);

  it('below: suppressed under the value only', () => {
    const h = suppressed();
    h.set('FI-201', 5);
    const states = [1, 0.5, 2].map((v) => h.set('PT-1', v).state('FI-201/limit'));
    expect(states).toEqual(['B', 'G', 'B']);
  });

  it('above: suppressed over the value only', () => {
    const h = suppressed();
    h.set('FI-202', 5);
    const states = [5, 6, 4].map((v) => h.set('PT-2', v).state('FI-202/limit'));
    expect(states).toEqual(['B', 'G', 'B']);
  });
});
