/**
 * encodeState (tag-state.ts) on literal states: NULL for the resting state, the state's bytes for
 * any other. The resting state is written out by hand from the file's doc comments (not with
 * restingCompressor()): for a tag whose last archived point is `last`, a compressor of version 1
 * and the tag's family whose last and latest points are `last`, nothing held, nothing suppressed,
 * the door wide open (null slopes), no exception-filter points; lastPushedT = lastArchivedT =
 * last.t; no sorting buffer. For a tag with nothing archived, a compressor that has seen nothing
 * (or none) and no times. Each case changes one field; what is stored is the state itself (the
 * bytes decoded, compared with the literal; state-codec.test.ts checks the byte layout itself).
 * Survivors of the StrykerJS run of 2026-12-01: the writer never builds most of these states
 * (a held sample has always been pushed after the last archived point, so line 34's times already
 * decide), so only the function itself tells them apart.
 */
import { describe, expect, it } from 'vitest';
import type { CompressorState } from '../compression/index.js';
import type { StatePoint } from '../compression/types.js';
import { Flag } from '../types.js';
import { type PersistedState, decodeState, encodeState } from './tag-state.js';

const T = 1_700_000_000_000;
const BAD = 0x80000000;
/** The archive's last point for the tag (an ArchivedSample), and the same point as the compressor state holds it. */
const LAST = { t: T, value: 42.5, status: 0, flags: 0 };
const pt = (over: Partial<StatePoint> = {}): StatePoint => ({ t: T, value: 42.5, status: 0, flags: 0, ...over });

/** The resting compressor of LAST, by hand, with `over` changed. */
const resting = (over: Partial<CompressorState> = {}): CompressorState => ({
  version: 1, family: 'analog', last: pt(), held: null, latest: pt(), suppressed: 0,
  doorMin: null, doorMax: null, excLast: null, excHeld: null, ...over,
});
/** A compressor that has seen nothing, by hand, with `over` changed. */
const fresh = (over: Partial<CompressorState> = {}): CompressorState => ({
  version: 1, family: 'analog', last: null, held: null, latest: null, suppressed: 0,
  doorMin: null, doorMax: null, excLast: null, excHeld: null, ...over,
});

/** What the bytes hold, decoded (null when stored as NULL). */
const stored = (bytes: Uint8Array | null): unknown => bytes === null ? null : decodeState(bytes);

describe('encodeState, a tag with archived points', () => {
  it('the resting state is stored as NULL', () => {
    expect(encodeState({ compressor: resting(), lastPushedT: T, lastArchivedT: T }, 'analog', LAST)).toBeNull();
  });

  it('a sample pushed after the last archived point: stored', () => {
    // guards tag-state.ts:34 `lastPushedT === last.t && lastArchivedT === last.t && compressor !== undefined` -> `... || compressor !== undefined`,
    // 34:7 `&&` to `true` and to `||`, 34:7 `lastPushedT === last.t` to `true`
    const state: PersistedState = { compressor: resting(), lastPushedT: T + 1000, lastArchivedT: T };
    expect(stored(encodeState(state, 'analog', LAST))).toEqual(state);
  });

  it('a last archived time other than the last point\'s: stored', () => {
    // guards tag-state.ts:34:39 `lastArchivedT === last.t` to `true`
    const state: PersistedState = { compressor: resting(), lastPushedT: T, lastArchivedT: T + 1000 };
    expect(stored(encodeState(state, 'analog', LAST))).toEqual(state);
  });

  // guards tag-state.ts:41-42, the guard of isResting: the whole condition to `false`, each of its
  // eight operands to `false`, each of its seven `||` to `&&`, and `return false` to `return true` (42:54)
  it.each<[string, Partial<CompressorState>]>([
    ['version 2', { version: 2 as 1 }],
    ['the other family', { family: 'discrete' }],
    ['a held point', { held: pt({ t: T + 1000, value: 43 }) }],
    ['3 suppressed samples', { suppressed: 3 }],
    ['a lower door slope', { doorMin: -0.001 }],
    ['an upper door slope', { doorMax: 0.002 }],
    ['an exception filter\'s last value', { excLast: pt() }],
    ['an exception filter\'s held sample', { excHeld: pt({ t: T + 1000, value: 43 }) }],
  ])('a compressor with %s: stored', (_, over) => {
    const state: PersistedState = { compressor: resting(over), lastPushedT: T, lastArchivedT: T };
    expect(stored(encodeState(state, 'analog', LAST))).toEqual(state);
  });

  it('a discrete tag\'s resting compressor is at rest for the discrete family only', () => {
    // guards tag-state.ts:41:26 `c.family !== family` (with the case above: a family mismatch in either direction)
    const state: PersistedState = { compressor: resting({ family: 'discrete' }), lastPushedT: T, lastArchivedT: T };
    expect(encodeState(state, 'discrete', LAST)).toBeNull();
    expect(stored(encodeState(state, 'analog', LAST))).toEqual(state);
  });

  it('a compressor whose last point has another value: stored', () => {
    // guards tag-state.ts:47:10 `samePoint(c.last, p) && (...)` -> `samePoint(c.last, p) || ...`
    const state: PersistedState = { compressor: resting({ last: pt({ value: 41.5 }) }), lastPushedT: T, lastArchivedT: T };
    expect(stored(encodeState(state, 'analog', LAST))).toEqual(state);
  });

  // guards tag-state.ts:51 samePoint: 51:17 `a.t === b.t`, 51:55 `a.status === b.status`, 51:80 `a.flags === b.flags`, each to `true`
  it.each<[string, Partial<StatePoint>]>([
    ['another time', { t: T - 1000 }],
    ['another status', { status: BAD }],
    ['other flags', { flags: Flag.Cyclic }],
  ])('a compressor whose last point has %s: stored', (_, over) => {
    const state: PersistedState = { compressor: resting({ last: pt(over) }), lastPushedT: T, lastArchivedT: T };
    expect(stored(encodeState(state, 'analog', LAST))).toEqual(state);
  });

  it('a latest sample at the last point\'s time with another value, the last point not cyclic: stored', () => {
    // guards tag-state.ts:47:35 `samePoint(c.latest, p) || (...)` to `true`, 47:62 `(p.flags & Flag.Cyclic) !== 0 && c.latest !== null`
    // -> `||`, 47:62 `(p.flags & Flag.Cyclic) !== 0` to `true` and to `=== 0`
    const state: PersistedState = { compressor: resting({ latest: pt({ value: 44 }) }), lastPushedT: T, lastArchivedT: T };
    expect(stored(encodeState(state, 'analog', LAST))).toEqual(state);
  });

  it('a closing hold record (cyclic) as last point, the raw sample of its time as latest: at rest', () => {
    // The comment of isResting: the hold record re-stamps the held value at the newest sample's
    // time; the compressor starts afresh from there, so this is at rest.
    // guards tag-state.ts:47:62 the cyclic clause to `false`, 47:116 `c.latest.t === p.t` -> `!==`
    const hold = { t: T, value: 42.5, status: 0, flags: Flag.Cyclic };
    const state: PersistedState = {
      compressor: resting({ last: pt({ flags: Flag.Cyclic }), latest: pt({ value: 44 }) }), lastPushedT: T, lastArchivedT: T,
    };
    expect(encodeState(state, 'analog', hold)).toBeNull();
  });

  it('a cyclic last point and a latest sample at another time: stored', () => {
    // guards tag-state.ts:47:116 `c.latest.t === p.t` to `true`
    const hold = { t: T, value: 42.5, status: 0, flags: Flag.Cyclic };
    const state: PersistedState = {
      compressor: resting({ last: pt({ flags: Flag.Cyclic }), latest: pt({ t: T + 1000, value: 44 }) }), lastPushedT: T, lastArchivedT: T,
    };
    expect(stored(encodeState(state, 'analog', hold))).toEqual(state);
  });
});

describe('encodeState, a tag with nothing archived (isFresh)', () => {
  it('no compressor and no times: NULL', () => {
    // guards tag-state.ts:33:7 the condition to `false`, 33:7 `lastPushedT === null` -> `!==`, 33:37 `lastArchivedT === null` -> `!==`,
    // 59:10 isFresh's condition to `false`
    expect(encodeState({ lastPushedT: null, lastArchivedT: null }, 'analog', null)).toBeNull();
  });

  it('a compressor that has seen nothing: NULL', () => {
    // guards tag-state.ts:59:30 the field checks to `false`, each `=== null` -> `!== null` (last, held, latest,
    // excLast, excHeld) and `suppressed === 0` -> `!== 0`
    expect(encodeState({ compressor: fresh(), lastPushedT: null, lastArchivedT: null }, 'analog', null)).toBeNull();
  });

  it('a pushed time: stored', () => {
    // guards tag-state.ts:33:7 the condition to `true`, `... && isFresh(...)` -> `... || isFresh(...)`,
    // 33:7 `lastPushedT === null && lastArchivedT === null` to `true` and to `||`, 33:7 `lastPushedT === null` to `true`
    const state: PersistedState = { lastPushedT: T, lastArchivedT: null };
    expect(stored(encodeState(state, 'analog', null))).toEqual(state);
  });

  it('an archived time: stored', () => {
    // guards tag-state.ts:33:37 `lastArchivedT === null` to `true`
    const state: PersistedState = { lastPushedT: null, lastArchivedT: T };
    expect(stored(encodeState(state, 'analog', null))).toEqual(state);
  });

  // guards tag-state.ts:59: isFresh's condition to `true`, each of its five `&&` to `||`, each of its six checks to `true`
  it.each<[string, Partial<CompressorState>]>([
    ['a last point', { last: pt() }],
    ['a held point', { held: pt() }],
    ['a latest sample', { latest: pt() }],
    ['an exception filter\'s last value', { excLast: pt() }],
    ['an exception filter\'s held sample', { excHeld: pt() }],
    ['2 suppressed samples', { suppressed: 2 }],
  ])('a compressor with only %s: stored', (_, over) => {
    const state: PersistedState = { compressor: fresh(over), lastPushedT: null, lastArchivedT: null };
    expect(stored(encodeState(state, 'analog', null))).toEqual(state);
  });
});
