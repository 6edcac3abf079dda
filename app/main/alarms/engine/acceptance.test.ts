/**
 * The 20 acceptance cases of specs/alarms.md, one test each, on the engine
 * with a hand-driven clock. Expectations are the spec's literals (limits,
 * priorities, delays, states A–H); nothing is read back from the engine's
 * own configuration.
 */
import { describe, expect, it } from 'vitest';
import { bannerOrder } from '../../../shared/alarm-order.js';
import { computeKpi } from '../kpi.js';
import { definitionsOf } from '../definitions.js';
import { AlarmEngine } from './engine.js';
import { AlarmRefusal } from './refusal.js';
import { AT301, AT302, BadNoCommunication, FI, Harness, LI, T0, extraTags } from './testing.js';

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AlarmRefusal) return err.reason;
    throw err;
  }
  throw new Error('expected a refusal');
};

/** LI-101 held at v long enough to pass the 5 s on-delay. */
const raiseLI = (h: Harness, v: number) => h.set('LI-101', v).advance(5000);

describe('alarms acceptance (specs/alarms.md)', () => {
  it('case 1: LI=50 for 60 s -> normal, no active alarms, horn off', () => {
    const h = new Harness();
    h.set('LI-101', 50).advance(60_000);
    expect(h.engine.rows()).toEqual([]);
    expect(h.summary.unacked).toEqual([0, 0, 0, 0]);
    expect(h.summary.active).toEqual([0, 0, 0, 0]);
    expect(h.summary.horn).toEqual({ tone: null, silenced: false });
  });

  it('case 2: LI=81 at t0, 79 at t0+3 s -> no alarm (on-delay)', () => {
    const h = new Harness();
    h.set('LI-101', 81).advance(3000).set('LI-101', 79).advance(60_000);
    expect(h.state(LI)).toBe('A');
    expect(h.journal).toEqual([]);
  });

  it('case 3: LI=81 held 5 s -> B at t0+5 s, P2 HIGH 81 % unacked, P2 tone', () => {
    const h = new Harness();
    h.set('LI-101', 81).advance(4900);
    expect(h.state(LI)).toBe('A');
    h.advance(100);
    const row = h.row(LI)!;
    expect(row).toMatchObject({ state: 'B', priority: 2, condition: 'H', tag: 'LI-101', valueAtActivation: 81, unit: '%', limit: 80, audible: true });
    expect(row.flags).toMatchObject({ active: true, acked: false });
    expect(row.activatedAt).toBe(T0 + 5000);
    expect(h.summary.horn).toEqual({ tone: 2, silenced: false });
    // Priority 2 is coded amber triangle (spec: "2 amber triangle").
    const p2 = definitionsOf(h.config, h.engine.definitions()).priorities[1]!;
    expect(p2.shape).toBe('triangle');
  });

  it('case 4: after 3, Silence -> horn off, still B and flashing; a new alarm sounds again', () => {
    const h = new Harness();
    raiseLI(h, 81);
    expect(h.engine.silence()).toBe(1);
    expect(h.summary.horn).toEqual({ tone: null, silenced: true });
    expect(h.row(LI)).toMatchObject({ state: 'B', audible: false, flags: { acked: false } });
    h.set('AT-301', 30);
    expect(h.summary.horn.tone).toBe(1);
    expect(h.row(AT301)!.audible).toBe(true);
  });

  it('case 5: after 3, select, Ack -> C steady; ack journaled with user and comment', () => {
    const h = new Harness();
    raiseLI(h, 81);
    expect(h.ack(LI, 'op1', 'inlet closing')).toEqual([LI]);
    expect(h.row(LI)).toMatchObject({ state: 'C', ackUser: 'op1', ackComment: 'inlet closing', audible: false });
    expect(h.summary.horn.tone).toBeNull();
    const ack = h.journal.find((j) => j.event === 'acknowledged')!;
    expect(ack).toMatchObject({ alarmId: LI, user: 'op1', comment: 'inlet closing', state: 'C', t: T0 + 5000 });
  });

  it('case 6: from C, 79 stays C (deadband), 77.9 -> A after 10 s, 81 within the on-delay -> nothing', () => {
    const h = new Harness();
    raiseLI(h, 81);
    h.ack(LI);
    h.set('LI-101', 79).advance(60_000);
    expect(h.state(LI)).toBe('C');
    h.set('LI-101', 77.9).advance(9900);
    expect(h.state(LI)).toBe('C');
    h.advance(100);
    expect(h.row(LI)).toBeUndefined();
    h.set('LI-101', 81).advance(4000).set('LI-101', 77).advance(30_000);
    expect(h.row(LI)).toBeUndefined();
    expect(h.events(LI)).toEqual(['activated', 'acknowledged', 'cleared']);
  });

  it('case 7: B unacked, LI=70 for 10 s -> D (RTN, unacked, no horn); Ack removes it', () => {
    const h = new Harness();
    raiseLI(h, 81);
    h.set('LI-101', 70).advance(10_000);
    expect(h.row(LI)).toMatchObject({ state: 'D', audible: false, flags: { active: false, acked: false } });
    expect(h.summary.horn.tone).toBeNull();
    expect(h.summary.unacked).toEqual([0, 1, 0, 0]);
    h.ack(LI);
    expect(h.row(LI)).toBeUndefined();
  });

  it('case 8: from C at 85, LI=91 for 5 s -> the same row escalates to P1 HIGH HIGH, unacked, P1 tone', () => {
    const h = new Harness();
    raiseLI(h, 85);
    h.ack(LI);
    const before = h.row(LI)!;
    h.set('LI-101', 91).advance(4900);
    expect(h.row(LI)!.condition).toBe('H');
    h.advance(100);
    const after = h.row(LI)!;
    expect(after).toMatchObject({ id: before.id, condition: 'HH', priority: 1, state: 'B', audible: true, limit: 90 });
    expect(after.revision).not.toBe(before.revision);
    expect(h.engine.rows().filter((r) => r.tag === 'LI-101')).toHaveLength(1);
    expect(h.summary.horn.tone).toBe(1);
  });

  it('case 9: AT-301 P1 at 10:00, LI-101 P2 at 10:05 -> AT-301 above LI-101; unacked badge 2', () => {
    const h = new Harness();
    h.set('AT-301', 30);
    h.advance(295_000);
    raiseLI(h, 81);
    expect(bannerOrder(h.engine.rows()).map((r) => r.id)).toEqual([AT301, LI]);
    expect(h.summary.unacked).toEqual([1, 1, 0, 0]);
  });

  it('case 10: an ack sent while the alarm escalates to HH is refused "alarm changed — review"; it stays unacked', () => {
    const h = new Harness();
    raiseLI(h, 85);
    const seen = h.row(LI)!.revision;
    h.set('LI-101', 91).advance(5000);
    expect(refusal(() => h.engine.acknowledge([LI], [seen], 'op1', null))).toBe('changed');
    expect(h.row(LI)).toMatchObject({ state: 'B', condition: 'HH', flags: { acked: false } });
    expect(h.events(LI)).not.toContain('acknowledged');
  });

  it('case 11: 8 unacked, 5 visible, ack page -> only the 5 visible are acked', () => {
    const h = new Harness();
    for (const tag of extraTags.slice(0, 8)) h.set(tag, 60);
    expect(h.summary.unacked.reduce((a, b) => a + b)).toBe(8);
    const page = bannerOrder(h.engine.rows()).slice(0, 5);
    expect(h.engine.acknowledge(page.map((r) => r.id), page.map((r) => r.revision), 'op1', null)).toHaveLength(5);
    const rows = h.engine.rows();
    expect(rows.filter((r) => r.flags.acked).map((r) => r.id).sort()).toEqual(page.map((r) => r.id).sort());
    expect(rows.filter((r) => !r.flags.acked)).toHaveLength(3);
  });

  it('case 12: AT-301=30 for 2 s then 0; Ack; Reset -> latched unacked, RESET REQUIRED, normal; reset refused while gas >= 25', () => {
    const h = new Harness();
    h.set('AT-301', 30).advance(2000).set('AT-301', 0);
    expect(h.row(AT301)).toMatchObject({ state: 'E', latched: true, flags: { active: false, acked: false, latched: true } });
    expect(refusal(() => h.engine.reset([AT301], 'op1', null))).toBe('ackFirst');
    h.ack(AT301);
    expect(h.row(AT301)).toMatchObject({ state: 'E', latched: true, flags: { acked: true } });
    h.set('AT-301', 26);
    expect(refusal(() => h.engine.reset([AT301], 'op1', null))).toBe('conditionPresent');
    h.ack(AT301);
    expect(refusal(() => h.engine.reset([AT301], 'op1', null))).toBe('conditionPresent');
    h.set('AT-301', 0);
    expect(h.engine.reset([AT301], 'op1', 'area checked')).toEqual([AT301]);
    h.advance(0);
    expect(h.row(AT301)).toBeUndefined();
    expect(h.journal.at(-1)).toMatchObject({ event: 'reset', user: 'op1', comment: 'area checked', state: 'A' });
  });

  it('case 13: LI in C, timed shelve 30 min with reason -> off the banner, on the shelved list, journaled, no horn on crossings', () => {
    const h = new Harness();
    raiseLI(h, 85);
    h.ack(LI);
    const until = h.engine.shelve(LI, { minutes: 30, maxMinutes: 480, reason: 'LT-101 recalibration', by: 'op1' });
    h.advance(0);
    expect(until).toBe(h.t + 30 * 60_000);
    expect(h.row(LI)).toMatchObject({ state: 'F', shelve: { until, oneShot: false, reason: 'LT-101 recalibration', by: 'op1' }, flags: { shelving: 'TimedShelved' } });
    expect(h.summary).toMatchObject({ shelved: 1, unacked: [0, 0, 0, 0], active: [0, 0, 0, 0] });
    expect(h.journal.at(-1)).toMatchObject({ event: 'shelved', user: 'op1', comment: 'LT-101 recalibration' });
    h.set('LI-101', 60).advance(10_000).set('LI-101', 85).advance(5000);
    expect(h.state(LI)).toBe('F');
    expect(h.summary.horn).toEqual({ tone: null, silenced: false });
  });

  it('case 14: the shelve expires with LI still 85 -> B with horn; if normal at expiry -> A', () => {
    const h = new Harness();
    raiseLI(h, 85);
    h.ack(LI);
    h.engine.shelve(LI, { minutes: 30, maxMinutes: 480, reason: 'r', by: 'op1' });
    h.advance(30 * 60_000 - 100);
    expect(h.state(LI)).toBe('F');
    h.advance(100);
    expect(h.row(LI)).toMatchObject({ state: 'B', shelve: null, audible: true });
    expect(h.summary.horn.tone).toBe(2);
    expect(h.events(LI)).toContain('shelveExpired');

    const n = new Harness();
    raiseLI(n, 85);
    n.ack(LI);
    n.engine.shelve(LI, { minutes: 30, maxMinutes: 480, reason: 'r', by: 'op1' });
    n.set('LI-101', 50).advance(30 * 60_000);
    expect(n.row(LI)).toBeUndefined();
    expect(n.summary.horn.tone).toBeNull();
  });

  it('case 15: a 12 h shelve is refused (max 8 h); AT-301 is not shelvable (not offered)', () => {
    const h = new Harness();
    raiseLI(h, 85);
    expect(refusal(() => h.engine.shelve(LI, { minutes: 12 * 60, maxMinutes: 8 * 60, reason: 'r', by: 'op1' }))).toBe('shelveTooLong');
    expect(h.state(LI)).toBe('B');
    h.set('AT-301', 30);
    expect(h.row(AT301)!.shelvable).toBe(false);
    expect(refusal(() => h.engine.shelve(AT301, { minutes: 10, maxMinutes: 480, reason: 'r', by: 'op1' }))).toBe('notShelvable');
    expect(h.state(AT301)).toBe('B');
  });

  it('case 16: LI Low, one-shot shelve, LI back to 20 -> hidden, unshelved by the return; the next Low annunciates', () => {
    const h = new Harness();
    raiseLI(h, 12);
    expect(h.row(LI)).toMatchObject({ condition: 'L', priority: 3, state: 'B' });
    // Still time-limited (spec: shelving is "time-limited (a configured maximum ...)"): at most the 480 min allowed.
    expect(h.engine.shelve(LI, { minutes: null, maxMinutes: 480, reason: 'draining for inspection', by: 'op1' })).toBe(h.t + 480 * 60_000);
    h.advance(0);
    expect(h.row(LI)).toMatchObject({ state: 'F', flags: { shelving: 'OneShotShelved' } });
    h.set('LI-101', 20).advance(10_000);
    expect(h.row(LI)).toBeUndefined();
    expect(h.events(LI)).toContain('unshelved');
    raiseLI(h, 12);
    expect(h.row(LI)).toMatchObject({ state: 'B', audible: true, shelve: null });
    expect(h.summary.horn.tone).toBe(3);
  });

  it('case 17: P-101 stopped, FI-102 low -> G, no banner row, suppressed count 1; P-101 starts, flow stays low -> B', () => {
    const h = new Harness();
    h.set('P-101', false).set('FI-102', 5);
    expect(h.row(FI)).toMatchObject({ state: 'G', suppressed: true, audible: false });
    expect(h.summary).toMatchObject({ suppressed: 1, unacked: [0, 0, 0, 0], active: [0, 0, 0, 0] });
    expect(h.summary.horn.tone).toBeNull();
    h.set('P-101', true);
    expect(h.row(FI)).toMatchObject({ state: 'B', suppressed: false, audible: true });
    expect(h.summary.suppressed).toBe(0);
  });

  it('case 18: AT-302 out of service survives a restart; it stays out of service until returned', () => {
    const h = new Harness();
    h.engine.outOfService(AT302, 'detector replaced', 'sup1');
    h.set('AT-302', 40);
    expect(h.row(AT302)).toMatchObject({ state: 'H', outOfService: { by: 'sup1', reason: 'detector replaced' }, audible: false });
    const kept = h.engine.takeChanges().persist;
    // Restart: a new engine from the same config and the kept states.
    const r = new Harness();
    r.engine.restore(JSON.parse(JSON.stringify(kept)));
    expect(r.row(AT302)).toMatchObject({ state: 'H', outOfService: { by: 'sup1', reason: 'detector replaced' } });
    r.set('AT-302', 40).advance(60_000);
    expect(r.state(AT302)).toBe('H');
    expect(r.summary.horn.tone).toBeNull();
    r.engine.returnToService(AT302, 'sup1', null);
    expect(r.row(AT302)).toMatchObject({ state: 'B', audible: true });
  });

  it('case 19: source lost 60 s while LI-101 clears and AT-301 activates -> COMMS LOST + horn, rows suspect; on return LI gone, AT-301 B', () => {
    const h = new Harness();
    raiseLI(h, 85);
    h.ack(LI);
    h.engine.serverState('sim', false);
    h.set('LI-101', null, BadNoCommunication).set('AT-301', null, BadNoCommunication);
    expect(h.row('comm/sim')).toMatchObject({ condition: 'COMM', state: 'B', priority: 1, audible: true, text: { key: 'alarms.comm.lost', params: { server: 'sim' } } });
    expect(h.summary.horn.tone).toBe(1);
    expect(h.row(LI)).toMatchObject({ state: 'C', suspect: true });
    h.advance(60_000);
    expect(h.row(LI)).toMatchObject({ state: 'C', suspect: true });
    h.engine.serverState('sim', true);
    h.set('LI-101', 50).set('AT-301', 30);
    expect(h.row(LI)!.suspect).toBe(false);
    expect(h.row(AT301)).toMatchObject({ state: 'B', suspect: false });
    expect(h.row('comm/sim')).toMatchObject({ state: 'D' });
    h.advance(10_000);
    expect(h.row(LI)).toBeUndefined();
  });

  it('case 20: flood while >10 in 10 min until under 5; KPI lists chattering, stale and the priority split', () => {
    const h = new Harness();
    // One alarm active for 25 h.
    h.set('XI-12', 70);
    h.advance(25 * 3_600_000);
    const from = h.t;
    // 11 alarms in 10 min: the flood starts with the 11th.
    for (const tag of extraTags.slice(0, 11)) {
      if (tag === 'XI-11') expect(h.summary.flood.active).toBe(false);
      h.set(tag, 60).advance(50_000);
    }
    expect(h.summary.flood.active).toBe(true);
    // One alarm toggles 3 times in 60 s.
    for (let i = 0; i < 3; i++) h.set('LI-101', 50).advance(10_000).set('LI-101', 85).advance(5000);
    // XI-n annunciated at 0, 50, ..., 500 s and LI-101 at 565, 580, 595 s: at 1049 s five remain in the window...
    h.advance(454_000);
    expect(h.summary.flood).toMatchObject({ active: true, count: 5 });
    // ...and at 1050 s XI-10 (450 s) leaves it: four, under five, the flood ends.
    h.advance(1000);
    expect(h.summary.flood).toMatchObject({ active: false, count: 4 });
    const kpi = computeKpi(from, h.t, h.journal, [{ alarmId: 'XI-12/limit', tag: 'XI-12', condition: 'H', since: T0 }], {
      operators: 1, fleetingSeconds: 5, staleHours: 24, chatteringCount: 3, chatteringWindowS: 60,
      flood: { windowMinutes: 10, startAbove: 10, endBelow: 5 },
    });
    expect(kpi.chattering.map((c) => c.alarmId)).toEqual([LI]);
    expect(kpi.stale.map((s) => s.alarmId)).toEqual(['XI-12/limit']);
    // XI-1 P1, XI-2 P2, XI-3..XI-11 P3, LI-101 H x3 P2: 14 annunciations.
    expect(kpi.byPriority).toEqual([1, 4, 9, 0]);
    expect(kpi.split.high).toBeCloseTo(100 / 14);
    expect(kpi.split.target).toEqual({ high: 5, medium: 15, low: 80 });
    expect(kpi.flood.timeMs).toBeGreaterThan(0);
  });
});

describe('engine basics', () => {
  it('ignores samples of tags without alarms', () => {
    const e = new AlarmEngine({ now: () => T0 }, []);
    e.ingest([{ tag: 'nothing', t: T0, value: 1, status: 0 }]);
    expect(e.rows()).toEqual([]);
  });
});
