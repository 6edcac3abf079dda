/**
 * What the writer keeps of a tag between runs (catalog tag.state). Most of the time a tag is
 * *at rest*: nothing in its sorting buffer, its compressor holding nothing but its last archived
 * point, every sample pushed archived. That state follows from the archive itself, so it is
 * stored as NULL and rebuilt from the tag's last archived point when the tag is next used: an
 * idle tag costs no state bytes. Any other state is stored as compact bytes (state-codec.ts);
 * catalogs from before hold it as JSON, read as such.
 */
import type { Compressor, CompressorState, StateSink } from '../compression/index.js';
import type { StatePoint } from '../compression/types.js';
import { toJsonNumber, toStatePoint } from '../compression/state.js';
import { type SavedState, decodeStateBytes, encodeSavedStateBytes, encodeStateBytes } from './state-codec.js';
import { type ArchivedSample, Flag } from '../types.js';

/** What is kept in catalog tag.state between runs. */
export interface PersistedState {
  compressor?: CompressorState;
  lastPushedT: number | null;
  lastArchivedT: number | null;
  sortBuffer?: [number, number | boolean | string, number][];
}

/** The compressor state of a tag at rest whose last archived point is `last`. */
export function restingCompressor(family: 'analog' | 'discrete', last: ArchivedSample): CompressorState {
  const p = toStatePoint(last);
  return { version: 1, family, last: p, held: null, latest: p, suppressed: 0, doorMin: null, doorMax: null, excLast: null, excHeld: null };
}

/**
 * The bytes to store: null when the state is the resting state of `last` (the archive's last
 * point for the tag), else the state's bytes (state-codec.ts).
 */
export function encodeState(state: PersistedState, family: 'analog' | 'discrete', last: ArchivedSample | null): Uint8Array | null {
  const resting = state.sortBuffer === undefined && (last === null
    ? state.lastPushedT === null && state.lastArchivedT === null && isFresh(state.compressor)
    : state.lastPushedT === last.t && state.lastArchivedT === last.t && state.compressor !== undefined &&
      isResting(state.compressor, family, last));
  return resting ? null : encodeStateBytes(state);
}

/** The compressor state equals restingCompressor(family, last), field by field (run for every tag at every flush). */
function isResting(c: CompressorState, family: 'analog' | 'discrete', last: ArchivedSample): boolean {
  if (c.version !== 1 || c.family !== family || c.held !== null || c.suppressed !== 0 || c.doorMin !== null || c.doorMax !== null ||
    c.excLast !== null || c.excHeld !== null) return false;
  const p = toStatePoint(last)!;
  // A deadband's closing hold record re-stamps the held value at the newest sample's time: from
  // there the compressor starts afresh whichever of the two the archive holds at that time (the
  // close may store the sample instead: raw-window.ts), so that is at rest too.
  return samePoint(c.last, p) && (samePoint(c.latest, p) || ((p.flags & Flag.Cyclic) !== 0 && c.latest !== null && c.latest.t === p.t));
}

const samePoint = (a: StatePoint | null, b: StatePoint): boolean =>
  a !== null && a.t === b.t && a.value === b.value && a.status === b.status && a.flags === b.flags;

/**
 * encodeState of { compressor: c.snapshot(), lastPushedT, lastArchivedT } (no sorting buffer),
 * from c.saveState(): the same null or bytes without the snapshot's objects (state-save.test.ts).
 */
export function encodeCompressorState(c: Compressor, family: 'analog' | 'discrete', lastPushedT: number | null,
  lastArchivedT: number | null, last: ArchivedSample | null): Uint8Array | null {
  const s = saved;
  c.saveState(s);
  try {
    const resting = last === null
      ? lastPushedT === null && lastArchivedT === null && s.last === null && s.held === null && s.latest === null &&
        s.excLast === null && s.excHeld === null && s.suppressed === 0
      : lastPushedT === last.t && lastArchivedT === last.t && savedResting(s, family, last);
    return resting ? null : encodeSavedStateBytes(s, lastPushedT, lastArchivedT);
  } finally {
    s.clear();
  }
}

/** isResting of a saved state (the same test on the points as toStatePoint would make them). */
function savedResting(c: SavedState, family: 'analog' | 'discrete', last: ArchivedSample): boolean {
  if (c.family !== family || c.held !== null || c.suppressed !== 0 || c.doorMin !== -Infinity || c.doorMax !== Infinity ||
    c.excLast !== null || c.excHeld !== null) return false;
  return sameAsState(c.last, last) && (sameAsState(c.latest, last) || ((last.flags & Flag.Cyclic) !== 0 && c.latest !== null && c.latest.t === last.t));
}

/** samePoint of the two points' state points. */
const sameAsState = (a: ArchivedSample | null, b: ArchivedSample): boolean =>
  a !== null && a.t === b.t && stateValue(a.value) === stateValue(b.value) && a.status === b.status && a.flags === b.flags;
const stateValue = (v: ArchivedSample['value']) => (typeof v === 'number' ? toJsonNumber(v) : v);

/** The one receiver of saveState() (states are saved one at a time): it holds the compressor's points only during the call. */
class Saved implements StateSink, SavedState {
  family: CompressorState['family'] = 'analog';
  last: ArchivedSample | null = null;
  held: ArchivedSample | null = null;
  latest: ArchivedSample | null = null;
  suppressed = 0;
  doorMin = -Infinity;
  doorMax = Infinity;
  excLast: ArchivedSample | null = null;
  excHeld: ArchivedSample | null = null;

  state(family: CompressorState['family'], last: ArchivedSample | null, held: ArchivedSample | null, latest: ArchivedSample | null,
    suppressed: number, doorMin: number, doorMax: number, excLast: ArchivedSample | null, excHeld: ArchivedSample | null): void {
    this.family = family;
    this.last = last;
    this.held = held;
    this.latest = latest;
    this.suppressed = suppressed;
    this.doorMin = doorMin;
    this.doorMax = doorMax;
    this.excLast = excLast;
    this.excHeld = excHeld;
  }

  clear(): void {
    this.state('analog', null, null, null, 0, -Infinity, Infinity, null, null);
  }
}
const saved = new Saved();

/** A stored state: compact bytes, or JSON (its first byte '{') as catalogs from before hold it. */
export function decodeState(bytes: Uint8Array): PersistedState {
  if (bytes[0] === JSON_OPEN) return JSON.parse(Buffer.from(bytes).toString('utf8')) as PersistedState;
  return decodeStateBytes(bytes);
}
const JSON_OPEN = 0x7b;

/** A compressor that has seen nothing. */
function isFresh(c: CompressorState | undefined): boolean {
  return c === undefined || (c.last === null && c.held === null && c.latest === null && c.excLast === null && c.excHeld === null && c.suppressed === 0);
}
