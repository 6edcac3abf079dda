/**
 * A tag's writer state (tag-state.ts PersistedState) as compact bytes, for catalog tag.state. A
 * compressed tag that is not at rest saves its state at every flush: as JSON that was ~300 bytes
 * and a JSON.stringify per tag per flush (a tenth of a 1,000-tag swinging-door ingest); this is
 * ~100 bytes written with a DataView. Decoding gives back the same object JSON.parse gave (values
 * as the state holds them: numbers, booleans and strings, 'NaN' and the like included), so the
 * checks on restore are the same. Catalogs from before hold JSON: its first byte is '{'.
 *
 * Layout (little-endian): u8 FORMAT, u8 fields (bits below), then the present fields in this order:
 * compressor { u8 points (bit i: POINTS[i] present), u8 version, f64 suppressed, f64 doorMin?,
 * f64 doorMax?, the points }, f64 lastPushedT?, f64 lastArchivedT?, sortBuffer { u32 count,
 * entries (f64 t, value, u32 status) }. A point is f64 t, value, u32 status, u8 flags; a value
 * is u8 kind (VALUE_*) and f64 for a number, u32 length and UTF-8 for a string.
 */
import type { CompressorState, StatePoint } from '../compression/types.js';
import { toJsonNumber } from '../compression/state.js';
import type { ArchivedSample } from '../types.js';
import type { PersistedState } from './tag-state.js';

const FORMAT = 1;
const HAS_COMPRESSOR = 1, DISCRETE = 2, PUSHED = 4, ARCHIVED = 8, SORT_BUFFER = 16, DOOR_MIN = 32, DOOR_MAX = 64;
const POINTS = ['last', 'held', 'latest', 'excLast', 'excHeld'] as const;
const VALUE_NUMBER = 0, VALUE_FALSE = 1, VALUE_TRUE = 2, VALUE_STRING = 3;

type Value = StatePoint['value'];

/** One growing scratch buffer: states are encoded one at a time, each copied out. */
let scratch = Buffer.allocUnsafe(1024);
let view = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);
let at = 0;

function room(n: number): void {
  if (at + n <= scratch.length) return;
  const next = Buffer.allocUnsafe(Math.max(2 * scratch.length, at + n));
  scratch.copy(next, 0, 0, at);
  scratch = next;
  view = new DataView(scratch.buffer, scratch.byteOffset, scratch.byteLength);
}
const u8 = (x: number): void => { room(1); view.setUint8(at, x); at += 1; };
const f64 = (x: number): void => { room(8); view.setFloat64(at, x, true); at += 8; };
/** `what` + `part` names the field, joined only on error (a point's status at every flush). */
function u32(x: number, what: string, part = ''): void {
  if (x >>> 0 !== x) throw new Error(`writer state: ${what}${part}: expected a uint32, got ${x}`);
  room(4);
  view.setUint32(at, x, true);
  at += 4;
}

function value(v: Value): void {
  if (typeof v === 'number') {
    u8(VALUE_NUMBER);
    f64(v);
  } else if (typeof v === 'boolean') u8(v ? VALUE_TRUE : VALUE_FALSE);
  else {
    const bytes = Buffer.byteLength(v);
    u8(VALUE_STRING);
    u32(bytes, 'string length');
    room(bytes);
    at += scratch.write(v, at, 'utf8');
  }
}

function point(p: StatePoint, field: string): void {
  f64(p.t);
  value(p.value);
  u32(p.status, field, '.status');
  if (p.flags >>> 0 !== p.flags || p.flags > 0xff) throw new Error(`writer state: ${field}.flags: expected a byte, got ${p.flags}`);
  u8(p.flags);
}

export function encodeStateBytes(s: PersistedState): Buffer {
  at = 0;
  const c = s.compressor;
  const fields = (c ? HAS_COMPRESSOR : 0) | (c?.family === 'discrete' ? DISCRETE : 0) | (s.lastPushedT !== null ? PUSHED : 0) |
    (s.lastArchivedT !== null ? ARCHIVED : 0) | (s.sortBuffer !== undefined ? SORT_BUFFER : 0) |
    (c && c.doorMin !== null ? DOOR_MIN : 0) | (c && c.doorMax !== null ? DOOR_MAX : 0);
  u8(FORMAT);
  u8(fields);
  if (c) {
    let present = 0;
    for (let i = 0; i < POINTS.length; i++) if (c[POINTS[i]!] !== null) present |= 1 << i;
    u8(present);
    u8(c.version);
    f64(c.suppressed);
    if (c.doorMin !== null) f64(c.doorMin);
    if (c.doorMax !== null) f64(c.doorMax);
    for (const k of POINTS) if (c[k] !== null) point(c[k], k);
  }
  if (s.lastPushedT !== null) f64(s.lastPushedT);
  if (s.lastArchivedT !== null) f64(s.lastArchivedT);
  if (s.sortBuffer !== undefined) {
    u32(s.sortBuffer.length, 'sortBuffer length');
    s.sortBuffer.forEach(([t, v, status], i) => {
      f64(t);
      value(v);
      u32(status, `sortBuffer[${i}].status`);
    });
  }
  return Buffer.from(scratch.subarray(0, at));
}

/** A compressor point's value as its state point holds it (toJsonNumber: NaN, ±Infinity and -0 as strings). */
const stateValue = (v: ArchivedSample['value']): Value => (typeof v === 'number' ? toJsonNumber(v) : v);

function samplePoint(p: ArchivedSample, field: string): void {
  const v = p.value, status = p.status, flags = p.flags;
  // The usual point: a finite number that is not -0 (toJsonNumber keeps it a number), a uint32
  // status, a byte of flags: its 22 bytes at once.
  if (typeof v === 'number' && v - v === 0 && (v !== 0 || 1 / v > 0) && status >>> 0 === status && flags >>> 0 === flags && flags <= 0xff) {
    room(22);
    view.setFloat64(at, p.t, true);
    view.setUint8(at + 8, VALUE_NUMBER);
    view.setFloat64(at + 9, v, true);
    view.setUint32(at + 17, status, true);
    view.setUint8(at + 21, flags);
    at += 22;
    return;
  }
  f64(p.t);
  value(stateValue(v));
  u32(status, field, '.status');
  if (flags >>> 0 !== flags || flags > 0xff) throw new Error(`writer state: ${field}.flags: expected a byte, got ${flags}`);
  u8(flags);
}

/**
 * encodeStateBytes of { compressor: the compressor's state as saveState() hands it (points as it
 * holds them, open door ±Infinity), lastPushedT, lastArchivedT } without a sorting buffer: the
 * same bytes, with no state object made (state-save.test.ts compares the two).
 */
export function encodeSavedStateBytes(c: SavedState, lastPushedT: number | null, lastArchivedT: number | null): Buffer {
  at = 0;
  const doorMin = c.doorMin !== -Infinity, doorMax = c.doorMax !== Infinity;
  const fields = HAS_COMPRESSOR | (c.family === 'discrete' ? DISCRETE : 0) | (lastPushedT !== null ? PUSHED : 0) |
    (lastArchivedT !== null ? ARCHIVED : 0) | (doorMin ? DOOR_MIN : 0) | (doorMax ? DOOR_MAX : 0);
  u8(FORMAT);
  u8(fields);
  const { last, held, latest, excLast, excHeld } = c;
  u8((last !== null ? 1 : 0) | (held !== null ? 2 : 0) | (latest !== null ? 4 : 0) | (excLast !== null ? 8 : 0) | (excHeld !== null ? 16 : 0));
  u8(1); // version
  f64(c.suppressed);
  if (doorMin) f64(c.doorMin);
  if (doorMax) f64(c.doorMax);
  // POINTS' order.
  if (last !== null) samplePoint(last, 'last');
  if (held !== null) samplePoint(held, 'held');
  if (latest !== null) samplePoint(latest, 'latest');
  if (excLast !== null) samplePoint(excLast, 'excLast');
  if (excHeld !== null) samplePoint(excHeld, 'excHeld');
  if (lastPushedT !== null) f64(lastPushedT);
  if (lastArchivedT !== null) f64(lastArchivedT);
  const out = Buffer.allocUnsafe(at);
  scratch.copy(out, 0, 0, at);
  return out;
}

/** A compressor's state as saveState() hands it (compression/types.ts StateSink). */
export interface SavedState {
  family: CompressorState['family'];
  last: ArchivedSample | null;
  held: ArchivedSample | null;
  latest: ArchivedSample | null;
  suppressed: number;
  doorMin: number;
  doorMax: number;
  excLast: ArchivedSample | null;
  excHeld: ArchivedSample | null;
}

/** Reads the layout above; bytes cut short or with an unknown format or kind throw, naming where. */
class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number, what: string): void {
    if (this.at + n > this.bytes.length) throw new Error(`writer state: ${what}: ${this.bytes.length} bytes end at byte ${this.at}, ${n} more expected`);
  }
  u8(what: string): number { this.need(1, what); return this.view.getUint8(this.at++); }
  u32(what: string): number { this.need(4, what); const x = this.view.getUint32(this.at, true); this.at += 4; return x; }
  f64(what: string): number { this.need(8, what); const x = this.view.getFloat64(this.at, true); this.at += 8; return x; }

  value(what: string): Value {
    const kind = this.u8(what);
    switch (kind) {
      case VALUE_NUMBER: return this.f64(what);
      case VALUE_FALSE: return false;
      case VALUE_TRUE: return true;
      case VALUE_STRING: {
        const n = this.u32(`${what} length`);
        this.need(n, what);
        const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.at, n).toString('utf8');
        this.at += n;
        return s;
      }
      default: throw new Error(`writer state: ${what}: value kind ${kind} at byte ${this.at - 1}, expected 0 to 3`);
    }
  }

  point(what: string): StatePoint {
    return { t: this.f64(`${what}.t`), value: this.value(`${what}.value`), status: this.u32(`${what}.status`), flags: this.u8(`${what}.flags`) };
  }

  end(): void {
    if (this.at !== this.bytes.length) throw new Error(`writer state: ${this.bytes.length - this.at} bytes after the state's end (byte ${this.at})`);
  }
}

export function decodeStateBytes(bytes: Uint8Array): PersistedState {
  const r = new Reader(bytes);
  const format = r.u8('format');
  if (format !== FORMAT) throw new Error(`writer state: format ${format}, expected ${FORMAT} (or JSON)`);
  const fields = r.u8('fields');
  let compressor: CompressorState | undefined;
  if (fields & HAS_COMPRESSOR) {
    const present = r.u8('compressor points');
    const version = r.u8('compressor version') as 1;
    const suppressed = r.f64('suppressed');
    const doorMin = fields & DOOR_MIN ? r.f64('doorMin') : null;
    const doorMax = fields & DOOR_MAX ? r.f64('doorMax') : null;
    const pts = POINTS.map((k, i) => (present & (1 << i) ? r.point(k) : null));
    compressor = {
      version, family: fields & DISCRETE ? 'discrete' : 'analog', last: pts[0] ?? null, held: pts[1] ?? null, latest: pts[2] ?? null,
      suppressed, doorMin, doorMax, excLast: pts[3] ?? null, excHeld: pts[4] ?? null,
    };
  }
  const lastPushedT = fields & PUSHED ? r.f64('lastPushedT') : null;
  const lastArchivedT = fields & ARCHIVED ? r.f64('lastArchivedT') : null;
  let sortBuffer: PersistedState['sortBuffer'];
  if (fields & SORT_BUFFER) {
    const n = r.u32('sortBuffer length');
    sortBuffer = [];
    for (let i = 0; i < n; i++) {
      const w = `sortBuffer[${i}]`;
      sortBuffer.push([r.f64(`${w}.t`), r.value(`${w}.value`) as number | boolean | string, r.u32(`${w}.status`)]);
    }
  }
  r.end();
  const state: PersistedState = { lastPushedT, lastArchivedT };
  if (compressor) state.compressor = compressor;
  if (sortBuffer) state.sortBuffer = sortBuffer;
  return state;
}
