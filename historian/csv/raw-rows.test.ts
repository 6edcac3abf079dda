/**
 * RawRowWriter writes, byte for byte, the lines ExportLines makes from the same values as row
 * objects (the reference), for every kind of value, status and time, in any chunk size.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAW_BOOLEAN, type RawSeries } from '../read/types.js';
import { BadSensorFailure, Good, UncertainDataSubNormal } from '../status.js';
import type { HistValue } from '../types.js';
import { RawRowWriter } from './raw-rows.js';
import { ExportLines } from './write.js';

const guard = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const value = fc.oneof(
  fc.integer({ min: -1e7, max: 1e7 }).map((k) => k / 1000),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, 1e21, 5e-324),
  fc.boolean(),
  fc.string({ unit: 'binary' }),
);
const row = fc.record({
  // Years 0000-9999 and beyond them (written the slow way), every millisecond.
  t: fc.oneof(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), fc.integer({ min: -8.63e15, max: 8.63e15 })),
  value, status: fc.constantFrom(Good, UncertainDataSubNormal, BadSensorFailure, 0x00400400), flags: fc.integer({ min: 0, max: 0x7f }),
});

/** The rows of one tag as RawSeries columns, as readRawColumns gives them. */
function series(tag: string, rows: HistValue[], text: boolean): RawSeries {
  const n = rows.length;
  const s: RawSeries = { tag, kind: text ? 'text' : 'analog', length: n, t: new Float64Array(n), value: new Float64Array(n),
    status: new Uint32Array(n), flags: new Uint16Array(n), text: text ? [] : null };
  rows.forEach((r, i) => {
    s.t[i] = r.t;
    s.status[i] = r.status;
    s.flags[i] = r.flags | (typeof r.value === 'boolean' ? RAW_BOOLEAN : 0);
    s.value[i] = typeof r.value === 'number' ? r.value : typeof r.value === 'boolean' ? +r.value : NaN;
    if (s.text) s.text.push(typeof r.value === 'string' ? r.value : '');
  });
  return s;
}

describe('raw rows as bytes', () => {
  it('equal ExportLines line for line (property)', () => {
    fc.assert(fc.property(
      fc.array(row, { maxLength: 60 }), fc.boolean(), fc.constantFrom(0, 120, -330), fc.constantFrom('TK-1.Level', '=cmd', 'a,"b"'),
      fc.integer({ min: 1100, max: 4096 }),
      (rows, text, offset, tag, size) => {
        // A text tag holds texts; others numbers and booleans.
        const values = rows.map((r) => ({ ...r, value: text ? String(r.value) : typeof r.value === 'string' ? r.value.length : r.value }));
        const zone = offset === 0 ? 0 : (t: number) => (t % 2 === 0 ? offset : -offset); // an offset function too
        const lines = new ExportLines({ offsetMinutes: zone, guard });
        const unit = (t: number) => (t % 3 === 0 ? '@u' : 'm');
        const expected = values.map((v) => lines.lineFor(tag, unit(v.t), v)).join('');
        const w = new RawRowWriter(zone, guard, size);
        const s = series(tag, values, text);
        const chunks: Buffer[] = [];
        for (let i = 0; i < s.length;) {
          i = w.rows(s, i, s.length, unit);
          if (w.full) chunks.push(Buffer.from(w.take()));
        }
        chunks.push(Buffer.from(w.take()));
        expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
      }), { numRuns: 300 });
  });

  it('writes negative zero as -0, as ExportLines does (String(-0) would read back as +0)', () => {
    const w = new RawRowWriter(0, guard);
    w.rows(series('B', [{ t: 0, value: -0, status: Good, flags: 0 }, { t: 1, value: 0, status: Good, flags: 0 }], false), 0, 2, () => '');
    expect(Buffer.from(w.take()).toString('utf8').split('\r\n').map((l) => l.split(',')[2])).toEqual(['-0', '0', undefined]);
  });
});
