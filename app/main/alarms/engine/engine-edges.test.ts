/**
 * The operator actions of engine.ts at their edges, on the spec's fixture:
 * what every refusal tells the console (catalog params) and the audit trail
 * (message), the shelve maximum itself, unshelve, reset while the condition
 * is present, station conditions re-reported or restored, and the server
 * conditions handed to a new session. Expectations are the spec's literals.
 */
import { describe, expect, it } from 'vitest';
import { stationConfigSchema } from '../../../shared/config.js';
import { AlarmRefusal } from './refusal.js';
import { AT301, AT302, BadNoCommunication, Harness, LI, fixtureRaw } from './testing.js';

const XI = (n: number) => `XI-${n}/limit`;
const shelveFor = (minutes: number | null, maxMinutes = 480) => ({ minutes, maxMinutes, reason: 'r', by: 'op1' });

function refused(fn: () => unknown): AlarmRefusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof AlarmRefusal) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** AT-301 at 30 ppm held, then back to 0: latched (E), unacked. */
const latch = (h: Harness, tag: string) => h.set(tag, 30).advance(1000).set(tag, 0);

describe('refusals name what was refused: catalog params for the console, the message for the audit trail', () => {
  it('unknown alarm, not shelvable, out of service, not shelved, not out of service', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.engine.outOfService(XI(5), 'transmitter replaced', 'sup1');
    const cases: [() => unknown, string, object, string][] = [
      [() => h.engine.shelve('nope', shelveFor(10)), 'unknownAlarm', { alarm: 'nope' }, 'nope'],
      [() => h.engine.shelve(AT301, shelveFor(10)), 'notShelvable', { alarm: AT301 }, AT301],
      [() => h.engine.shelve(XI(5), shelveFor(10)), 'alreadyOutOfService', { alarm: XI(5) }, XI(5)],
      [() => h.engine.outOfService(XI(5), 'again', 'sup1'), 'alreadyOutOfService', { alarm: XI(5) }, XI(5)],
      [() => h.engine.unshelve(LI, 'op1', null), 'notShelved', { alarm: LI }, LI],
      [() => h.engine.returnToService(LI, 'sup1', null), 'notOutOfService', { alarm: LI }, LI],
    ];
    for (const [fn, reason, params, named] of cases) {
      const r = refused(fn);
      expect([r.reason, r.params]).toEqual([reason, params]);
      expect(r.message).toContain(named);
    }
  });

  it('a shelve longer than allowed names both lengths', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    const r = refused(() => h.engine.shelve(LI, shelveFor(12 * 60, 8 * 60)));
    expect([r.reason, r.params]).toEqual(['shelveTooLong', { max: 480, requested: 720 }]);
    expect(r.message).toMatch(/720 min.*480 min/);
  });

  it('an ack of a page where two rows moved names exactly those two', () => {
    const h = new Harness();
    for (const n of [3, 4, 5]) h.set(`XI-${n}`, 60);
    const ids = [XI(3), XI(5), XI(4)];
    const seen = ids.map((id) => h.row(id)!.revision);
    h.set('XI-3', 40).set('XI-4', 40); // both return to normal, unacked: D
    const r = refused(() => h.engine.acknowledge(ids, seen, 'op1', null));
    expect([r.reason, r.params]).toEqual(['changed', { alarms: 'XI-3/limit, XI-4/limit' }]);
    expect(r.message).toContain('alarm changed — review: XI-3/limit, XI-4/limit');
    expect(h.row(XI(5))!.flags.acked).toBe(false);
  });

  it('reset: condition present, not latched, data not live, not acknowledged', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.set('AT-301', 30);
    latch(h, 'AT-302');
    const first = refused(() => h.engine.reset([AT302], 'op1', null));
    h.ack(AT302);
    h.set('AT-302', null, BadNoCommunication);
    const cases: [AlarmRefusal, string, string][] = [
      [refused(() => h.engine.reset([AT301], 'op1', null)), 'conditionPresent', AT301],
      [refused(() => h.engine.reset([LI], 'op1', null)), 'notLatched', LI],
      [refused(() => h.engine.reset([AT302], 'op1', null)), 'suspect', AT302],
      [first, 'ackFirst', AT302],
    ];
    for (const [r, reason, alarm] of cases) {
      expect([r.reason, r.params]).toEqual([reason, { alarm }]);
      expect(r.message).toContain(alarm);
    }
  });

  it('a refusal is an Error named AlarmRefusal (what a stack trace or a log shows)', () => {
    const r = refused(() => new Harness().engine.unshelve(LI, 'op1', null));
    expect(r).toBeInstanceOf(Error);
    expect(String(r)).toMatch(/^AlarmRefusal: /);
  });
});

describe('shelve and unshelve', () => {
  it('a shelve as long as the configured maximum is allowed (only longer requests are refused)', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    expect(h.engine.shelve(LI, shelveFor(480, 480))).toBe(h.t + 8 * 3_600_000);
    expect(h.state(LI)).toBe('F');
  });

  it('unshelve puts an alarm that is still active back on the banner, annunciated again', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.ack(LI);
    h.engine.shelve(LI, shelveFor(30));
    h.engine.unshelve(LI, 'op1', 'recalibrated');
    h.advance(0);
    expect(h.row(LI)).toMatchObject({ state: 'B', shelve: null, audible: true });
    expect(h.journal.slice(-2)).toMatchObject([{ event: 'unshelved', user: 'op1', comment: 'recalibrated' }, { event: 'reannunciated' }]);
  });
});

describe('reset only while normal (spec: "reset refused while gas >= 25")', () => {
  const withDelayedDetector = () => {
    const raw = fixtureRaw();
    const at303 = {
      name: 'AT-303', server: 'sim', nodeId: 'ns=1;s=AT-303', unit: 'ppm', range: [0, 100], kind: 'analog', area: 'A1',
      alarms: { latching: true, onDelayS: 5, limits: { HH: { value: 25, priority: 1, message: 'Ammonia gas high-high' } } },
    };
    return new Harness(stationConfigSchema.parse({ ...raw, tags: [...raw.tags, at303] }));
  };

  it('an active latching alarm, acknowledged, cannot be reset before it returns: the condition is present', () => {
    const h = new Harness();
    h.set('AT-301', 30);
    h.ack(AT301);
    expect(refused(() => h.engine.reset([AT301], 'op1', null)).reason).toBe('conditionPresent');
    expect(h.state(AT301)).toBe('C');
  });

  it('a latched alarm whose gas is back above the limit is not reset while the on-delay runs', () => {
    const h = withDelayedDetector();
    h.set('AT-303', 30).advance(5000).set('AT-303', 0);
    h.ack('AT-303/limit');
    expect(h.state('AT-303/limit')).toBe('E');
    h.set('AT-303', 30).advance(2000); // abnormal, 3 s of the on-delay left
    expect(refused(() => h.engine.reset(['AT-303/limit'], 'op1', null)).reason).toBe('conditionPresent');
    expect(h.row('AT-303/limit')).toMatchObject({ state: 'E', latched: true });
  });
});

describe('station conditions (sync)', () => {
  const syncConfig = () =>
    stationConfigSchema.parse({ ...fixtureRaw(), sync: { upstreams: [{ id: 'region', url: 'http://region.example:8086', flavour: 'influxdb1', database: 't', enabled: true }] } });
  const paused = { message: 'Sending to upstream region is paused: 401', text: { key: 'alarms.sync.paused', params: { upstream: 'region', detail: '401' } } };

  it('re-reported with the same text, the row does not change (an ack with the revision shown still applies)', () => {
    const h = new Harness(syncConfig());
    h.engine.stationCondition('sync/region', paused);
    h.engine.takeChanges();
    const rev = h.row('sync/region')!.revision;
    h.engine.stationCondition('sync/region', paused);
    expect(h.row('sync/region')!.revision).toBe(rev);
    expect(h.engine.takeChanges().rows).toEqual([]);
    expect(h.engine.acknowledge(['sync/region'], [rev], 'op1', null)).toEqual(['sync/region']);
  });

  it('restored after a restart it is suspect until the station reports it again', () => {
    const before = new Harness(syncConfig());
    before.engine.stationCondition('sync/region', paused);
    const kept = before.engine.takeChanges().persist;
    const h = new Harness(syncConfig());
    h.engine.restore(kept);
    expect(h.row('sync/region')).toMatchObject({ state: 'B', suspect: true });
    h.engine.takeChanges();
    const rev = h.row('sync/region')!.revision;
    h.engine.stationCondition('sync/region', paused);
    expect(h.row('sync/region')).toMatchObject({ state: 'B', suspect: false });
    // Handed to the consoles again (the flag), but the alarm is the one shown: an ack with the revision seen while suspect applies.
    expect(h.engine.takeChanges().rows.map((r) => [r.id, r.suspect])).toEqual([['sync/region', false]]);
    expect(h.row('sync/region')!.revision).toBe(rev);
    expect(h.engine.acknowledge(['sync/region'], [rev], 'op1', null)).toEqual(['sync/region']);
  });
});

describe('server conditions handed to a new session', () => {
  it('are the server\'s own conditions only, listed as retained (OPC UA Part 9: Retain true while of interest)', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000); // a station alarm of server sim
    const id = 'server/sim/ns=1;i=5001';
    h.engine.serverCondition({
      id, server: 'sim', source: 'P-101', area: 'A1', message: 'Pump tripped', priority: 2, active: true, acked: false,
      confirmed: null, suppressed: false, retain: true, value: null, time: h.t, user: null, comment: null,
    });
    expect(h.engine.serverConditions('sim')).toMatchObject([{ id, active: true, acked: false, retain: true }]);
    expect(h.engine.serverConditions('sim')).toHaveLength(1);
  });
});

describe('a server condition of the highest priority (an ESD or SIS trip)', () => {
  it('is not shelvable; one of a lower priority is', () => {
    const h = new Harness();
    const condition = (id: string, priority: number) => h.engine.serverCondition({
      id, server: 'sim', source: 'ESD', area: 'A1', message: 'ESD tripped', priority, active: true, acked: false,
      confirmed: false, suppressed: false, retain: true, value: true, time: h.t, user: null, comment: null,
    });
    condition('server/sim/esd', 1);
    condition('server/sim/pump', 2);
    expect([h.row('server/sim/esd')?.shelvable, h.row('server/sim/pump')?.shelvable]).toEqual([false, true]);
    const req = { minutes: 10, maxMinutes: 60, reason: 'nuisance', by: 'op' };
    expect(() => h.engine.shelve('server/sim/esd', req)).toThrow(/may not be shelved/);
    expect(h.engine.shelve('server/sim/pump', req)).toBe(h.t + 600_000);
  });
});
