/**
 * Frozen-value alarms (a stuck transmitter: Good status, a value that no longer moves) on hand-made
 * timelines: raised once the value has held exactly for its window of live data, by the station's
 * clock (a value that holds sends no sample); back to normal at the next change; time without the
 * server, or with a bad or uncertain value, does not count; the tag's limit alarms are suspect while
 * it is frozen. The expected times are the timelines' own.
 */
import { describe, expect, it } from 'vitest';
import type { PersistedAlarm } from './types.js';
import { Bad, BadNoCommunication, comm, def, Good, limit, Rig, spec, Uncertain } from './fixtures/rig.js';

const GoodLocalOverride = 0x00960000;
const FROZEN = 'LT/frozen';
const LIMIT = 'LT/limit';
const WINDOW_MS = 60_000;

const frozen = (more = {}) => def(FROZEN, 'LT', { kind: 'frozen', spec: spec('FROZEN', null, 3, 'LT frozen'), afterMs: WINDOW_MS }, more);
const rig = () => new Rig([limit(LIMIT, 'LT'), frozen(), comm('plc')]);

/** A live value: a new one every second for `s` seconds. */
function moving(r: Rig, s: number, from = 50): Rig {
  for (let i = 0; i < s; i++) r.set('LT', from + (i % 7) * 0.01).advance(1000);
  return r;
}

describe('frozen value: raised after its window of unchanged live data, normal at the next change', () => {
  it('a value that moves raises nothing; one that holds is raised when the window runs out, not a tick before', () => {
    const r = moving(rig(), 600);
    expect(r.events()).toEqual([]);
    r.set('LT', 50.5).advance(WINDOW_MS - 100);
    expect(r.row(FROZEN)).toBeUndefined();
    r.advance(100);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
    expect(r.row(FROZEN)).toMatchObject({ state: 'B', condition: 'FROZEN', priority: 3, valueAtActivation: 50.5, suspect: false });
  });

  it('the same value sent again (a server that repeats it) is no change: it stays frozen; any other value returns it', () => {
    const r = moving(rig(), 10).set('LT', 50.5).advance(30_000).set('LT', 50.5).advance(30_000);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
    r.set('LT', 50.5).advance(10_000);
    expect(r.row(FROZEN)!.state).toBe('B');
    // Exactly equal counts; the smallest change does not.
    r.set('LT', 50.500001);
    expect(r.events()).toEqual(['LT/frozen returned D FROZEN']);
    r.ack(FROZEN);
    expect(r.row(FROZEN)).toBeUndefined();
  });

  it('a change restarts the window from zero', () => {
    const r = moving(rig(), 10).set('LT', 50.5).advance(50_000).set('LT', 50.6).advance(50_000);
    expect(r.events()).toEqual([]);
    r.advance(10_000);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
  });

  it('time with the server lost does not count: 40 s before, 10 min lost, then 20 s more with the same value', () => {
    const r = moving(rig(), 10).set('LT', 50.5).advance(40_000);
    r.set('LT', null, BadNoCommunication);
    r.engine.serverState('plc', false);
    r.advance(600_000);
    expect(r.events()).toEqual(['comm/plc activated B COMM']);
    r.engine.serverState('plc', true);
    r.set('LT', 50.5).advance(20_000 - 100);
    expect(r.events()).toEqual(['comm/plc returned D COMM']);
    r.advance(100);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
  });

  it('time with a bad or uncertain value does not count either, and their values are no change', () => {
    const r = moving(rig(), 10).set('LT', 50.5).advance(30_000);
    r.set('LT', 99, Bad).advance(300_000);
    r.set('LT', 50.4, Uncertain).advance(300_000);
    expect(r.events()).toEqual([]);
    r.set('LT', 50.5, Good).advance(30_000 - 100);
    expect(r.events()).toEqual([]);
    r.advance(100);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
  });

  it('while frozen the tag\'s limit alarm is suspect and holds (a frozen 85 neither raises nor clears H); live again at the change', () => {
    const r = moving(rig(), 10).set('LT', 85);
    expect(r.events()).toEqual(['LT/limit activated B H']);
    r.advance(WINDOW_MS);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
    expect(r.row(LIMIT)).toMatchObject({ state: 'B', suspect: true });
    r.set('LT', 85).advance(1000);
    expect(r.row(LIMIT)!.suspect).toBe(true);
    r.set('LT', 40);
    expect(r.events()).toEqual(['LT/frozen returned D FROZEN', 'LT/limit returned D H']);
    expect(r.row(LIMIT)!.suspect).toBe(false);
  });

  it('a frozen alarm kept across a restart stays active on the same value and returns at its first change', () => {
    const r = moving(rig(), 10).set('LT', 50.5).advance(WINDOW_MS);
    r.ack(FROZEN);
    r.events();
    const kept = JSON.parse(JSON.stringify(r.engine.takeChanges().persist)) as PersistedAlarm[];
    const after = rig();
    after.t = r.t + 5000;
    after.engine.restore(kept);
    after.set('LT', 50.5).advance(1000);
    expect(after.events()).toEqual([]);
    expect(after.row(FROZEN)).toMatchObject({ state: 'C', suspect: false });
    after.set('LT', 50.4);
    expect(after.events()).toEqual(['LT/frozen cleared A FROZEN']);
  });

  it('a value forced at the source (GoodLocalOverride, marked OVERRIDE) holds by design: its time does not count', () => {
    const r = moving(rig(), 10).set('LT', 50.5).advance(30_000);
    r.set('LT', 50.5, GoodLocalOverride).advance(3_600_000);
    expect(r.events()).toEqual([]);
    r.set('LT', 50.5).advance(30_000);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
  });

  it('a non-numeric value is no data for it: the state holds, suspect', () => {
    const r = moving(rig(), 10).set('LT', 50.5).advance(WINDOW_MS);
    r.events();
    r.set('LT', 'n/a').advance(5000);
    expect(r.row(FROZEN)).toMatchObject({ state: 'B', suspect: true });
    expect(r.events()).toEqual([]);
  });

  it('a server that grants a slower sampling than asked widens the window to three of its intervals (README: afterS at least three update intervals)', () => {
    // The server samples every 40 s: a live value comes that often, and twice the same reading holds it 80 s.
    const r = rig();
    r.engine.granted(new Map([['LT', 40_000]]));
    r.set('LT', 50.1).advance(40_000).set('LT', 50.2).advance(40_000).set('LT', 50.2).advance(40_000).set('LT', 50.3).advance(40_000);
    expect(r.events()).toEqual([]);
    // Truly stuck: raised once three granted intervals (120 s) passed unchanged, not at the configured 60 s.
    r.set('LT', 50.3).advance(40_000).set('LT', 50.3).advance(40_000 - 100);
    expect(r.row(FROZEN)).toBeUndefined();
    r.advance(100);
    expect(r.events()).toEqual(['LT/frozen activated B FROZEN']);
    // A grant as fast as asked leaves the configured window.
    const fast = rig();
    fast.engine.granted(new Map([['LT', 500]]));
    moving(fast, 10).set('LT', 50.5).advance(WINDOW_MS);
    expect(fast.events()).toEqual(['LT/frozen activated B FROZEN']);
  });
});
