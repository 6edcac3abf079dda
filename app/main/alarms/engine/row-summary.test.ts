/**
 * What a console sees (row.ts): a row's source and flags, and the banner
 * summary's counts per priority (index 0 = P1). Counts are worked out by
 * hand from the states the spec's table gives each alarm.
 */
import { describe, expect, it } from 'vitest';
import { comm, limit, Rig } from './fixtures/rig.js';

describe('rows', () => {
  it('a station alarm\'s row says station; the OPC UA flag OutOfService follows state H', () => {
    const r = new Rig([limit('X', 'x'), limit('Y', 'y')]);
    r.set('x', 85).set('y', 85);
    r.engine.outOfService('Y', 'sensor work', 'eng');
    expect(r.row('X')).toMatchObject({ source: 'station', state: 'B', flags: { outOfService: false } });
    expect(r.row('Y')).toMatchObject({ source: 'station', state: 'H', flags: { outOfService: true } });
  });
});

describe('summary', () => {
  it('counts unacked and active per priority, and latched rows', () => {
    // X: H (P2) acked -> C; Y: LL (P1) unacked -> B; Z: HH (P1) latched, returned, unacked -> E.
    const r = new Rig([limit('X', 'x'), limit('Y', 'y'), limit('Z', 'z', { latching: true })]);
    r.set('x', 85).set('y', 5).set('z', 95).set('z', 50);
    r.ack('X');
    expect([r.row('X')!.state, r.row('Y')!.state, r.row('Z')!.state]).toEqual(['C', 'B', 'E']);
    expect(r.engine.summary()).toMatchObject({ unacked: [2, 0, 0, 0], active: [1, 1, 0, 0], latched: 1, suspect: 0, horn: { tone: 1, silenced: false } });
  });

  it('counts as suspect the listed rows of a lost server, not its normal alarms nor the COMM alarm', () => {
    const r = new Rig([comm('plc'), limit('X', 'x'), limit('Y', 'y')]);
    r.set('x', 85).set('y', 50);
    r.engine.serverState('plc', false);
    expect(r.engine.get('Y')!.suspect).toBe(true);
    expect(r.engine.summary()).toMatchObject({ suspect: 1, unacked: [1, 1, 0, 0] });
  });
});
