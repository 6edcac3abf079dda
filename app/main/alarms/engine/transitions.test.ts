/**
 * Transitions at the edges of the spec's rules, on its fixture (testing.ts):
 * the off-delay after a step down, one-shot shelving's time limit, what the
 * journal must say so that the KPI sees an alarm end, the end of a shelve
 * taken over by out of service, and who acknowledged a server's condition.
 * Expectations from specs/alarms.md, quoted.
 */
import { describe, expect, it } from 'vitest';
import { stationConfigSchema } from '../../../shared/config.js';
import { compileAlarms } from '../definitions.js';
import { computeKpi } from '../kpi.js';
import type { ServerCondition } from './engine.js';
import { FI, fixtureRaw, Harness, LI } from './testing.js';

const kpiSettings = { operators: 1, fleetingSeconds: 5, staleHours: 24, chatteringCount: 3, chatteringWindowS: 60, flood: { windowMinutes: 10, startAbove: 10, endBelow: 5 } };
const kpiOf = (h: Harness, from: number) =>
  computeKpi(from, h.t, h.journal.map((j) => ({ t: j.t, alarmId: j.alarmId, tag: j.tag, condition: j.condition, event: j.event, state: j.state, priority: j.priority })), [], kpiSettings);

/** The fixture with changes to LI-101's or FI-102's alarm block. */
function withAlarms(tag: string, change: Record<string, unknown>) {
  const raw = fixtureRaw();
  const t = raw.tags.find((x) => x.name === tag) as { alarms: object };
  Object.assign(t.alarms, change);
  return stationConfigSchema.parse(raw);
}

describe('spec C: "normal beyond deadband for the off-delay -> A" — the off-delay runs from the return to normal', () => {
  it('HH acknowledged, 85 (H) for 5 s, then 50: cleared 10 s after 50, not 10 s after leaving HH', () => {
    const h = new Harness();
    h.set('LI-101', 95).advance(5000);
    h.ack(LI);
    h.set('LI-101', 85).advance(5000);
    expect(h.row(LI)).toMatchObject({ state: 'C', condition: 'HH' });
    const normal = h.t;
    h.set('LI-101', 50).advance(9900);
    expect(h.row(LI)).toMatchObject({ state: 'C', flags: { active: true } });
    h.advance(100);
    expect(h.row(LI)).toBeUndefined();
    expect(h.journal.find((j) => j.alarmId === LI && j.event === 'cleared')!.t).toBe(normal + 10_000);
  });

  it('LL, 12 (L) for 8 s, then 50: cleared 10 s after 50', () => {
    const h = new Harness();
    h.set('LI-101', 3).advance(5000);
    h.ack(LI);
    h.set('LI-101', 12).advance(8000);
    const normal = h.t;
    h.set('LI-101', 50).advance(9900);
    expect(h.row(LI)).toMatchObject({ state: 'C', condition: 'LL' });
    h.advance(100);
    expect(h.row(LI)).toBeUndefined();
    expect(h.journal.find((j) => j.alarmId === LI && j.event === 'cleared')!.t).toBe(normal + 10_000);
  });
});

describe('spec: shelving is "time-limited (a configured maximum, e.g. 8 h ...)" — one-shot shelving too', () => {
  it('a one-shot shelve of an alarm that never returns ends at the maximum: unshelved, B (flash + horn)', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.ack(LI);
    const until = h.engine.shelve(LI, { minutes: null, maxMinutes: 480, reason: 'level transmitter drifting', by: 'op1' });
    expect(until).toBe(h.t + 8 * 3_600_000);
    expect(h.row(LI)).toMatchObject({ state: 'F', flags: { shelving: 'OneShotShelved' }, shelve: { oneShot: true, until } });
    h.advance(8 * 3_600_000 - 100);
    expect(h.state(LI)).toBe('F');
    h.advance(100);
    expect(h.row(LI)).toMatchObject({ state: 'B', audible: true, shelve: null });
    expect(h.events(LI).slice(-2)).toEqual(['shelveExpired', 'reannunciated']);
  });

  it('one that returns to normal first ends with the return (case 16), its limit with it', () => {
    const h = new Harness();
    h.set('LI-101', 12).advance(5000);
    h.engine.shelve(LI, { minutes: null, maxMinutes: 480, reason: 'draining', by: 'op1' });
    h.set('LI-101', 20).advance(10_000);
    expect(h.row(LI)).toBeUndefined();
    expect(h.engine.hasTimers).toBe(false);
  });

  it('"Safety (SIS) alarms can be marked not shelvable": an engineer marking a shelved alarm not shelvable unshelves it, journaled', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.engine.shelve(LI, { minutes: null, maxMinutes: 480, reason: 'r', by: 'op1' });
    h.advance(0);
    h.journal.length = 0;
    h.engine.define(compileAlarms(withAlarms('LI-101', { shelvable: false })));
    h.advance(100);
    expect(h.row(LI)).toMatchObject({ state: 'B', shelvable: false, shelve: null, audible: true });
    expect(h.journal.filter((j) => j.alarmId === LI).map((j) => [j.event, j.user])).toEqual([['unshelved', null], ['reannunciated', null]]);
    expect(h.engine.hasTimers).toBe(false);
  });
});

describe('a shelve kept across a restart of an alarm marked not shelvable meanwhile', () => {
  it('is ended at the restore, journaled, and the alarm annunciates', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.engine.shelve(LI, { minutes: 60, maxMinutes: 480, reason: 'r', by: 'op1' });
    const kept = JSON.parse(JSON.stringify(h.engine.takeChanges().persist)) as Parameters<Harness['engine']['restore']>[0];
    const r = new Harness(withAlarms('LI-101', { shelvable: false }));
    r.t = h.t;
    r.engine.restore(kept);
    r.advance(0);
    expect(r.row(LI)).toMatchObject({ state: 'B', shelve: null, audible: true });
    expect(r.events(LI)).toEqual(['unshelved', 'reannunciated']);
  });
});

describe('the journal says when an alarm ends, so that the KPI ("Stale: active over 24 h") does not list a normal alarm', () => {
  it('an active alarm that returns while out of service, then returned to service: the return is journaled; not stale', () => {
    const h = new Harness();
    const from = h.t;
    h.set('LI-101', 85).advance(5000);
    h.ack(LI);
    h.engine.outOfService(LI, 'transmitter replaced', 'eng1');
    h.set('LI-101', 50).advance(60_000);
    h.engine.returnToService(LI, 'eng1', null);
    h.advance(2 * 86_400_000);
    expect(h.row(LI)).toBeUndefined();
    expect(h.journal.filter((j) => j.alarmId === LI).map((j) => `${j.event}/${j.state}`)).toEqual([
      'activated/B', 'acknowledged/C', 'outOfService/H', 'cleared/H', 'returnedToService/A',
    ]);
    expect(kpiOf(h, from).stale).toEqual([]);
  });

  it('out of service, the process moves it tracks are still not journaled (only the end of what the journal holds)', () => {
    const h = new Harness();
    h.engine.outOfService(LI, 'calibration', 'eng1');
    h.set('LI-101', 85).advance(5000).set('LI-101', 50).advance(10_000);
    expect(h.events(LI)).toEqual(['outOfService']);
  });

  it('a normal pump stop (case 17\'s design, with an on-delay): the activation under suppression ends with it; not stale', () => {
    const h = new Harness(withAlarms('FI-102', { onDelayS: 5 }));
    const from = h.t;
    h.set('P-101', false).set('FI-102', 2).advance(10_000);
    expect(h.row(FI)!.state).toBe('G');
    // The pump starts and the flow comes up within the on-delay: nothing to annunciate.
    h.set('P-101', true).advance(2000).set('FI-102', 30);
    h.advance(2 * 86_400_000);
    expect(h.row(FI)).toBeUndefined();
    expect(h.journal.filter((j) => j.alarmId === FI).map((j) => `${j.event}/${j.state}`)).toEqual(['activated/G', 'cleared/A', 'unsuppressed/A']);
    expect(kpiOf(h, from).stale).toEqual([]);
  });
});

describe('"audited": taking a shelved alarm out of service ends its shelve in the journal', () => {
  it('shelved 60 min, then out of service: unshelved then outOfService are journaled, by the user who did it', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    h.engine.shelve(LI, { minutes: 60, maxMinutes: 480, reason: 'r', by: 'op1' });
    h.engine.outOfService(LI, 'maintenance', 'eng1');
    h.advance(1000);
    expect(h.journal.filter((j) => j.alarmId === LI).map((j) => [j.event, j.user])).toEqual([
      ['activated', null], ['shelved', 'op1'], ['unshelved', 'eng1'], ['outOfService', 'eng1'],
    ]);
    expect(h.row(LI)).toMatchObject({ state: 'H', shelve: null, flags: { shelving: 'Unshelved' } });
  });
});

describe('spec case 5: "ack journaled with user and comment" — also for an OPC UA server\'s condition', () => {
  const c: ServerCondition = {
    id: 'server/sim/nsu=urn:vigil:simulator;s=Area1.ESD.TripAlarm', server: 'sim', source: 'ESD', area: 'A1', message: 'ESD tripped', priority: 1,
    active: true, acked: false, confirmed: true, suppressed: false, retain: true, value: null, time: 0, user: null, comment: null,
  };

  it('the console user who sent the ack and the confirm is journaled, not the station\'s OPC UA session user', () => {
    const h = new Harness();
    h.engine.serverCondition({ ...c, time: h.t });
    h.engine.serverActionSent(c.id, 'acknowledge', 'op1', 'area checked');
    // The server reports it with its session's user and the comment as sent ("user: comment").
    h.engine.serverCondition({ ...c, time: h.t, acked: true, confirmed: false, user: 'vigil-station', comment: 'op1: area checked' });
    h.engine.serverActionSent(c.id, 'confirm', 'sup1', null);
    h.engine.serverCondition({ ...c, time: h.t, acked: true, confirmed: true, user: 'vigil-station', comment: 'sup1' });
    const lines = h.engine.takeJournal().filter((j) => j.event === 'acknowledged' || j.event === 'confirmed');
    expect(lines.map((j) => [j.event, j.user, j.comment])).toEqual([['acknowledged', 'op1', 'area checked'], ['confirmed', 'sup1', null]]);
    expect(h.row(c.id)).toMatchObject({ ackUser: 'op1', ackComment: 'area checked' });
  });

  it('an ack made elsewhere (another client of the server) is journaled as the server reports it', () => {
    const h = new Harness();
    h.engine.serverCondition({ ...c, time: h.t });
    h.engine.serverActionSent(c.id, 'acknowledge', 'op1', null);
    h.engine.serverActionFailed(c.id, 'acknowledge');
    h.engine.serverCondition({ ...c, time: h.t, acked: true, confirmed: false, user: 'dcs-operator', comment: 'seen on the DCS' });
    expect(h.engine.takeJournal().find((j) => j.event === 'acknowledged')).toMatchObject({ user: 'dcs-operator', comment: 'seen on the DCS' });
  });
});
