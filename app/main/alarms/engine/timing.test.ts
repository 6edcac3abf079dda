/**
 * Delays, shelves and the flood window timed on the process and on a clock that does not step, on
 * the spec's fixture (specs/alarms.md: LI-101 H 80 P2, HH 90 P1, deadband 2, on-delay 5 s,
 * off-delay 10 s): samples held up in transit and delivered late or together (source times), an
 * H -> HH rise inside the on-delay, an NTP step of the wall clock; and the one-shot shelve's end,
 * and what changes an alarm's revision. Expectations are the spec's figures counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { UncertainSensorNotAccurate } from '../../../../historian/status.js';
import { AT301, BadNoCommunication, Harness, LI, T0, refusalOf as refusal } from './testing.js';

const s = (seconds: number) => T0 + seconds * 1000;
const lines = (h: Harness, id = LI) => h.journal.filter((j) => j.alarmId === id).map((j) => `${(j.t - T0) / 1000}s ${j.event} ${j.condition} P${j.priority} v=${j.value}`);
const oneShot = { minutes: null, maxMinutes: 480, reason: 'nuisance', by: 'op1' };

describe('on- and off-delays timed over the process (source times) as well as by the station clock', () => {
  it('a stalled link delivers 85 (source 7 s) and 50 (source 13 s) together at 14 s: H activated at 12 s with 85, then returns', () => {
    const h = new Harness();
    h.advance(14_000);
    h.engine.ingest([{ tag: 'LI-101', t: s(7), value: 85, status: 0 }, { tag: 'LI-101', t: s(13), value: 50, status: 0 }]);
    h.advance(0);
    // Above 80 from 7 s to 13 s at the source: 6 s >= the 5 s on-delay; active from 7 + 5 = 12 s.
    expect(lines(h)).toEqual(['12s activated H P2 v=85']);
    expect(h.row(LI)).toMatchObject({ state: 'B', condition: 'H', activatedAt: s(12), audible: true });
    expect(h.summary.unacked).toEqual([0, 1, 0, 0]);
    // Normal (50) from its arrival at 14 s: RTN after the 10 s off-delay, still to be acknowledged.
    h.advance(9_900);
    expect(h.state(LI)).toBe('B');
    h.advance(100);
    expect(lines(h)).toEqual(['12s activated H P2 v=85', '24s returned H P2 v=50']);
    expect(h.state(LI)).toBe('D');
  });

  it('arrivals 3 s apart (source 7 s and 13 s, arrived 11 s and 14 s): the source span decides', () => {
    const h = new Harness();
    h.advance(11_000);
    h.engine.ingest([{ tag: 'LI-101', t: s(7), value: 85, status: 0 }]);
    h.advance(3_000);
    expect(h.state(LI)).toBe('A');
    h.engine.ingest([{ tag: 'LI-101', t: s(13), value: 50, status: 0 }]);
    h.advance(0);
    expect(lines(h)).toEqual(['12s activated H P2 v=85']);
  });

  it('above H for 4 s at the source (less than the on-delay), delivered together: nothing', () => {
    const h = new Harness();
    h.advance(14_000);
    h.engine.ingest([{ tag: 'LI-101', t: s(7), value: 85, status: 0 }, { tag: 'LI-101', t: s(11), value: 50, status: 0 }]);
    h.advance(30_000);
    expect(lines(h)).toEqual([]);
    expect(h.state(LI)).toBe('A');
  });

  it('off-delay alike: normal for 11 s at the source, delivered with the next 85: cleared at +10 s, then a new on-delay', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000).ack(LI);
    h.advance(25_000);
    h.engine.ingest([{ tag: 'LI-101', t: s(12), value: 70, status: 0 }, { tag: 'LI-101', t: s(23), value: 85, status: 0 }]);
    h.advance(0);
    expect(lines(h).slice(2)).toEqual(['22s cleared H P2 v=70']);
    expect(h.state(LI)).toBe('A');
    h.advance(4_900);
    expect(h.state(LI)).toBe('A');
    h.advance(100);
    expect(lines(h).slice(3)).toEqual(['35s activated H P2 v=85']);
  });

  it('a loss marker\'s time (the station\'s) does not time the process: 85 from 7 s, marker at 13 s, nothing', () => {
    const h = new Harness();
    h.advance(11_000);
    h.engine.ingest([{ tag: 'LI-101', t: s(7), value: 85, status: 0 }]);
    h.advance(1000);
    h.engine.ingest([{ tag: 'LI-101', t: s(13), value: null, status: BadNoCommunication, marker: true }]);
    h.advance(30_000);
    expect(lines(h)).toEqual([]);
    expect(h.state(LI)).toBe('A');
  });

  it('a value that holds (no further sample) is still timed by the station clock: case 3', () => {
    const h = new Harness();
    h.set('LI-101', 81).advance(4_900);
    expect(h.state(LI)).toBe('A');
    h.advance(100);
    expect(lines(h)).toEqual(['5s activated H P2 v=81']);
  });
});

describe('a rise past HH inside the on-delay: each limit passes its own on-delay', () => {
  it('81 for 3 s, then 91: H at 5 s (above 80 for 5 s), HH at 8 s (above 90 for 5 s), not HH at 5 s', () => {
    const h = new Harness();
    h.set('LI-101', 81).advance(3000).set('LI-101', 91).advance(2000);
    expect(h.row(LI)).toMatchObject({ state: 'B', condition: 'H', priority: 2 });
    h.advance(2900);
    expect(h.row(LI)!.condition).toBe('H');
    h.advance(100);
    expect(h.row(LI)).toMatchObject({ state: 'B', condition: 'HH', priority: 1 });
    expect(lines(h)).toEqual(['5s activated H P2 v=91', '8s escalated HH P1 v=91']);
  });

  it('91 from normal: HH after 5 s, with no H line first (both limits reached at once)', () => {
    const h = new Harness();
    h.set('LI-101', 91).advance(5000);
    expect(lines(h)).toEqual(['5s activated HH P1 v=91']);
  });

  it('back under 90 after 2 s at 91: H at 5 s, HH never', () => {
    const h = new Harness();
    h.set('LI-101', 81).advance(3000).set('LI-101', 91).advance(2000).set('LI-101', 85).advance(20_000);
    expect(lines(h)).toEqual(['5s activated H P2 v=91']);
  });
});

describe('delays, shelves and the flood window on a clock that does not step (an NTP step of the wall clock)', () => {
  it('the wall clock stepped back 2 min 2 s into the on-delay: annunciated 5 s after 85 arrived, journaled at wall time', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(2000);
    h.stepWallClock(-120_000);
    h.advance(2900);
    expect(h.state(LI)).toBe('A');
    h.advance(100);
    expect(h.state(LI)).toBe('B');
    // Wall time: 5 s after the start, less the 120 s step.
    expect(lines(h)).toEqual(['-115s activated H P2 v=85']);
  });

  it('a 30 min shelve with the wall clock stepped back 2 min ends after 30 min; one stepped forward 1 h does not end it', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000).ack(LI);
    h.engine.shelve(LI, { minutes: 30, maxMinutes: 480, reason: 'maintenance', by: 'op1' });
    h.stepWallClock(-120_000).advance(30 * 60_000 - 100);
    expect(h.state(LI)).toBe('F');
    h.advance(100);
    expect(h.state(LI)).toBe('B');
    const g = new Harness();
    g.set('LI-101', 85).advance(5000).ack(LI);
    g.engine.shelve(LI, { minutes: 30, maxMinutes: 480, reason: 'maintenance', by: 'op1' });
    g.stepWallClock(3_600_000).advance(100);
    expect(g.state(LI)).toBe('F');
  });

  it('the flood window (11 annunciations in 1 min) is not emptied by the wall clock stepping forward 20 min', () => {
    const h = new Harness();
    for (let i = 1; i <= 11; i++) h.set(`XI-${i}`, 60).advance(5000);
    expect(h.summary.flood).toMatchObject({ active: true, count: 11 });
    const since = h.summary.flood.since;
    h.stepWallClock(20 * 60_000).advance(100);
    expect(h.summary.flood).toMatchObject({ active: true, count: 11, since });
  });
});

describe('one-shot shelving ends when the alarm returns to normal (spec)', () => {
  it('refused, with its reason, on an alarm not active (D, E, A): its next activation (HH, P1) sounds', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000).set('LI-101', 70).advance(10_000);
    expect(h.state(LI)).toBe('D');
    expect(refusal(() => h.engine.shelve(LI, oneShot))).toEqual(['notActive', { alarm: LI }]);
    h.set('AT-301', 30).advance(100).set('AT-301', 0).advance(100).ack(AT301);
    expect(h.state(AT301)).toBe('E');
    expect(refusal(() => h.engine.shelve('XI-3/limit', oneShot))).toEqual(['notActive', { alarm: 'XI-3/limit' }]);
    expect(h.events(LI)).not.toContain('shelved');
    h.advance(2 * 3_600_000).set('LI-101', 91).advance(5000);
    expect(h.row(LI)).toMatchObject({ state: 'B', condition: 'HH', audible: true });
    expect(h.summary.unacked).toEqual([1, 0, 0, 0]);
  });

  it('its end by the return is journaled once: no shelveExpired, no reannunciation on the next tick', () => {
    const h = new Harness();
    h.set('LI-101', 12).advance(5000);
    h.engine.shelve(LI, oneShot);
    h.advance(1000).set('LI-101', 20).advance(10_000);
    // Past the one-shot's time limit (the role's 8 h) too: nothing is left to expire.
    h.advance(9 * 3_600_000);
    expect(h.events(LI)).toEqual(['activated', 'shelved', 'returned', 'unshelved']);
    expect(h.state(LI)).toBe('A');
    expect(h.engine.hasTimers).toBe(false);
    // The next Low annunciates (case 16).
    h.set('LI-101', 12).advance(5000);
    expect(h.row(LI)).toMatchObject({ state: 'B', condition: 'L', audible: true });
  });
});

describe('the revision: what an ack is judged by', () => {
  it('a status flickering Uncertain/Good on a steady B alarm keeps its revision; the ack with the revision seen goes', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    const seen = h.row(LI)!.revision;
    h.engine.takeChanges();
    for (let i = 0; i < 10; i++) h.set('LI-101', 85, i % 2 ? 0 : UncertainSensorNotAccurate).advance(1000);
    h.set('LI-101', 85, UncertainSensorNotAccurate);
    // The suspect flag is shown: the row is handed over with it.
    expect(h.engine.takeChanges().rows.find((r) => r.id === LI)).toMatchObject({ state: 'B', suspect: true, revision: seen });
    expect(h.engine.acknowledge([LI], [seen], 'op1', null)).toEqual([LI]);
  });

  it('an escalation still moves it: an ack with the revision seen before is refused', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    const seen = h.row(LI)!.revision;
    h.set('LI-101', 91).advance(5000);
    expect(refusal(() => h.engine.acknowledge([LI], [seen], 'op1', null))[0]).toBe('changed');
  });
});
