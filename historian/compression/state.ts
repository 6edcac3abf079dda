/** Converting compressor state to and from its JSON-safe form, with validation of restored state. */
import type { ArchivedSample } from '../types.js';
import type { CompressorState, JsonNumber, StatePoint } from './types.js';

export function toJsonNumber(v: number): JsonNumber {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (Object.is(v, -0)) return '-0';
  return v;
}

export function fromJsonNumber(v: JsonNumber): number {
  switch (v) {
    case 'NaN': return NaN;
    case 'Infinity': return Infinity;
    case '-Infinity': return -Infinity;
    case '-0': return -0;
    default: return v;
  }
}

export function toStatePoint(p: ArchivedSample | null): StatePoint | null {
  if (p === null) return null;
  const value = typeof p.value === 'number' ? toJsonNumber(p.value) : p.value;
  return { t: p.t, value, status: p.status, flags: p.flags };
}

const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

/** Restores a point; `numeric` says whether string values are number encodings (analog) or texts. */
export function fromStatePoint(p: StatePoint | null, field: string, numeric: boolean): ArchivedSample | null {
  if (p === null) return null;
  if (typeof p !== 'object') throw new Error(`compressor state: ${field} must be an object or null`);
  if (!Number.isSafeInteger(p.t)) throw new Error(`compressor state: ${field}.t must be an integer ms timestamp, got ${String(p.t)}`);
  if (!Number.isInteger(p.status) || p.status < 0 || p.status > 0xffffffff) {
    throw new Error(`compressor state: ${field}.status must be a uint32, got ${String(p.status)}`);
  }
  if (!Number.isInteger(p.flags) || p.flags < 0 || p.flags > 0xff) {
    throw new Error(`compressor state: ${field}.flags must be a byte, got ${String(p.flags)}`);
  }
  let value: number | boolean | string;
  if (numeric) {
    if (typeof p.value === 'number') value = p.value;
    else if (typeof p.value === 'string' && SPECIAL.has(p.value)) value = fromJsonNumber(p.value as JsonNumber);
    else throw new Error(`compressor state: ${field}.value must be a number of an analog tag, got ${JSON.stringify(p.value)}`);
  } else {
    if (typeof p.value !== 'boolean' && typeof p.value !== 'string' && typeof p.value !== 'number') {
      throw new Error(`compressor state: ${field}.value must be a boolean, string or number, got ${JSON.stringify(p.value)}`);
    }
    value = p.value;
  }
  return { t: p.t, value, status: p.status >>> 0, flags: p.flags };
}

/** Checks the fields shared by every compressor state; throws naming the first wrong field. */
export function checkState(state: CompressorState, family: CompressorState['family']): void {
  if (state === null || typeof state !== 'object') throw new Error('compressor state: expected an object');
  if (state.version !== 1) throw new Error(`compressor state: version must be 1, got ${String(state.version)}`);
  if (state.family !== family) {
    throw new Error(`compressor state: family is '${String(state.family)}' but the tag needs '${family}' (tag kind changed?)`);
  }
  if (!Number.isSafeInteger(state.suppressed) || state.suppressed < 0) {
    throw new Error(`compressor state: suppressed must be a non-negative integer, got ${String(state.suppressed)}`);
  }
  for (const k of ['doorMin', 'doorMax'] as const) {
    const v = state[k];
    if (v !== null && typeof v !== 'number') throw new Error(`compressor state: ${k} must be a number or null`);
  }
}

/**
 * What restart() archives when nothing is held (an analog compressor holding a point archives
 * what flush() would): the newest raw sample, unless it is the last archived point already or
 * this compressor restarted on it before.
 */
export function restartPoints(latest: ArchivedSample | null, restartedOn: ArchivedSample | null, last: ArchivedSample | null): ArchivedSample[] {
  return latest !== null && latest !== restartedOn && (last === null || latest.t !== last.t) ? [{ ...latest }] : [];
}
