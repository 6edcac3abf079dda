import { describe, expect, it } from 'vitest';
import { badgesOf, flashes, valueNotLive } from './badges.js';
import { row } from './testing.js';

const keys = (r: Parameters<typeof badgesOf>[0]) => badgesOf(r).map((b) => `${b.key}${b.flash ? '*' : ''}`);

describe('row badges (spec: states table)', () => {
  it('B flashes UNACK; C is steady ACK; D flashes RTN', () => {
    expect(keys(row({ id: 'a/limit', state: 'B' }))).toEqual(['unack*']);
    expect(keys(row({ id: 'a/limit', state: 'C' }))).toEqual(['ack']);
    expect(keys(row({ id: 'a/limit', state: 'D' }))).toEqual(['rtn*']);
    expect(flashes(row({ id: 'a/limit', state: 'C' }))).toBe(false);
    expect(flashes(row({ id: 'a/limit', state: 'D' }))).toBe(true);
  });

  it('E says RESET REQUIRED, and UNACK while not acknowledged (case 12)', () => {
    const latched = row({ id: 'AT-301/limit', state: 'E' });
    expect(keys({ ...latched, flags: { ...latched.flags, acked: false } })).toEqual(['unack*', 'resetRequired']);
    expect(keys({ ...latched, flags: { ...latched.flags, acked: true } })).toEqual(['resetRequired']);
  });

  it('marks COMMS LOST on an active communication row and SUSPECT on rows whose data is in doubt', () => {
    expect(keys(row({ id: 'comm/sim', condition: 'COMM', state: 'B', tag: null }))).toEqual(['unack*', 'commsLost']);
    expect(keys(row({ id: 'LI-101/limit', state: 'C', suspect: true }))).toEqual(['ack', 'suspect']);
  });

  it('a bad-quality row (its value the last usable one) says SUSPECT and its value is drawn as not live; so is every value while the link is down', () => {
    const bad = row({ id: 'LI-101/quality', kind: 'quality', condition: 'BAD', state: 'B', suspect: true, limit: null });
    expect(keys(bad)).toEqual(['unack*', 'suspect']);
    expect(valueNotLive(bad, true)).toBe(true);
    const good = row({ id: 'LI-101/limit', state: 'B' });
    expect(valueNotLive(good, true)).toBe(false);
    expect(valueNotLive(good, false)).toBe(true);
  });
});
