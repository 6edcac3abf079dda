/**
 * Every Annex A table we hold, run through computeProcessed: times, values
 * (to the table's 3-4 decimals), StatusCode and historian bits, Vigil flags.
 */
import { describe, expect, it } from 'vitest';
import { Flag } from '../types.js';
import { expected16s } from './fixtures/expected16s.js';
import { expectedDerived } from './fixtures/expectedDerived.js';
import { expected5s } from './fixtures/expected5s.js';
import { expectedQuality } from './fixtures/expectedQuality.js';
import { annexEnd, annexStart, historians, type Historian } from './fixtures/historians.js';
import { parseRows } from './fixtures/table.js';
import { computeProcessed } from './index.js';

const byName = new Map<string, Historian>(Object.values(historians).map((h) => [h.name, h]));

/** Part 11 §6.3.2 historian bits and Part 4 codes as literals, not the values of historian/status.ts. */
const Calculated = 0x1, Interpolated = 0x2, Partial = 0x4, BadNoData = 0x809b0000;
/** The status without InfoType and historian bits (Part 4 §7.39: the low 16 bits). */
const codeOf = (status: number) => (status & 0xffff0000) >>> 0;

function flagsFor(code: number, bits: number): number {
  let f = 0;
  if ((bits & 3) === Calculated) f |= Flag.Calculated;
  if ((bits & 3) === Interpolated) f |= Flag.Interpolated;
  if (bits & Partial) f |= Flag.Partial;
  if (code === BadNoData) f |= Flag.NoData;
  return f;
}

describe('Part 13 Annex A historians', () => {
  for (const table of [...expected5s, ...expected16s, ...expectedQuality, ...expectedDerived]) {
    it(`${table.aggregate} ${table.historian} every ${table.intervalMs / 1000} s (${table.source.split(';')[0]})`, () => {
      const h = byName.get(table.historian);
      if (h === undefined) throw new Error(`no fixture data for ${table.historian}`);
      const rows = parseRows(table);
      const got = computeProcessed(h.data, annexStart, annexEnd, table.intervalMs, table.aggregate, h.config);
      expect(got.length, 'interval count').toBe(rows.length);
      rows.forEach((row, k) => {
        const v = got[k];
        const where = `${table.aggregate}/${table.historian} row '${row.line}'`;
        expect(v.t, `${where}: time`).toBe(row.t);
        expect(codeOf(v.status).toString(16), `${where}: status`).toBe(row.code.toString(16));
        expect(v.status & 0x1f, `${where}: historian bits`).toBe(row.bits);
        expect(v.flags, `${where}: flags`).toBe(flagsFor(row.code, row.bits));
        if (row.value === null) expect(Number.isNaN(v.value), `${where}: no value, got ${String(v.value)}`).toBe(true);
        else expect(Number(v.value), `${where}: value`).toBeCloseTo(row.value, 3);
      });
    });
  }
});
