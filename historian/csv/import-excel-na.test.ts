/**
 * Excel's #N/A (a failed lookup, written where a value is missing) is an empty value in both
 * shapes, as README's CSV section says: in a wide file no sample (counted as an empty cell), in a
 * long file a rejected line unless the row is Bad (then a Bad sample without a value). Never a 0,
 * never a Good value, never the text "#N/A", before and after the tag's kind is known.
 * Real archives in temp dirs; every expectation is written out from the input text by hand.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';

const archive = useCsvArchive('vigil-csv-na-');

const T = (s: number) => Date.UTC(2026, 2, 1, 0, 0, s);
const iso = (s: number) => new Date(T(s)).toISOString();
/** [t, value (NaN as 'NaN'), Bad?] of every archived sample of the tag. */
const archived = (tag: string) =>
  archive.rows(tag).map((r) => [r.t, typeof r.value === 'number' && Number.isNaN(r.value) ? 'NaN' : r.value, r.status >>> 31 === 1]);
const rejected = (report: { rejections: { listed: { line: number; field: string; got: string }[] } }) =>
  report.rejections.listed.map((r) => [r.line, r.field, r.got]);
const text = (name: string) => ({ name, kind: 'text' as const, description: '', unit: '', compression: { kind: 'none' as const }, stepped: true, cycleMs: 0 });

describe('#N/A in a wide file: no sample, like an empty cell', () => {
  it('a new tag: a Bad cell before the first value is a Bad sample without a value, not a rejected word', async () => {
    const report = await archive.importText('wide.csv', `time,FT1,FT1 quality\n${iso(0)},#N/A,Bad\n${iso(1)},#N/A,Good\n${iso(2)},1.5,Good\n${iso(3)},#N/A,\n`);
    expect(rejected(report)).toEqual([]);
    expect(report.summary?.missing).toBe(2); // lines 3 and 5
    expect(archive.h.kindOf('FT1')).toBe('analog');
    expect(archived('FT1')).toEqual([[T(0), 'NaN', true], [T(2), 1.5, false]]);
  });

  it('a text tag: no sample, and a Bad one without a value ("NA" stays a word the tag may say)', async () => {
    archive.h.defineTags([text('Pump.State')], 0);
    const report = await archive.importText('wide-text.csv', `time,Pump.State,Pump.State quality\n${iso(0)},RUN,Good\n${iso(1)},#N/A,Good\n${iso(2)},#n/a,Bad\n${iso(3)},NA,Good\n`);
    expect(rejected(report)).toEqual([]);
    expect(report.summary?.missing).toBe(1);
    expect(archived('Pump.State')).toEqual([[T(0), 'RUN', false], [T(2), '', true], [T(3), 'NA', false]]);
  });
});

describe('#N/A in a long file: a rejected line unless Bad, then a Bad sample without a value', () => {
  it('a new tag: a Bad #N/A before the first value is a Bad sample without a value, as an empty Bad value is', async () => {
    const report = await archive.importText('long.csv', `time,tag,value,status\n${iso(0)},FT1,#N/A,Bad\n${iso(1)},FT1,,Bad\n${iso(2)},FT1,2.5,Good\n${iso(3)},FT1,#N/A,Good\n`);
    expect(rejected(report)).toEqual([[5, 'value', '#N/A']]);
    expect(archive.h.kindOf('FT1')).toBe('analog');
    expect(archived('FT1')).toEqual([[T(0), 'NaN', true], [T(1), 'NaN', true], [T(2), 2.5, false]]);
  });

  it('a new tag whose every row is a Bad #N/A says no kind: rejected as every row Bad without a value is, never a text tag of "#N/A"', async () => {
    const report = await archive.importText('long-only.csv', `time,tag,value,status\n${iso(0)},LT9,#N/A,Bad\n`);
    const empty = await archive.importText('long-empty.csv', `time,tag,value,status\n${iso(0)},LT8,,Bad\n`);
    // As for an empty Bad value (and a PI state's row): the line, its field, what was expected.
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected])).toEqual(
      empty.rejections.listed.map((r) => [r.line, r.field, r.expected.replace('LT8', 'LT9')]));
    expect(report.rejections.listed.map((r) => r.expected)).toEqual([expect.stringMatching(/^a value saying the kind of LT9/)]);
    expect(archive.h.kindOf('LT9')).toBeUndefined(); // no tag made of it, text or other
    expect(report.imported).toBe(0);
  });

  it('a text tag: a Good #N/A is a rejected line, a Bad one a Bad sample without a value', async () => {
    archive.h.defineTags([text('Pump.State')], 0);
    const report = await archive.importText('long-text.csv', `time,tag,value,status\n${iso(0)},Pump.State,RUN,Good\n${iso(1)},Pump.State,#N/A,Good\n${iso(2)},Pump.State,#N/A,Bad\n${iso(3)},Pump.State,NA,Good\n`);
    expect(rejected(report)).toEqual([[3, 'value', '#N/A']]);
    expect(archived('Pump.State')).toEqual([[T(0), 'RUN', false], [T(2), '', true], [T(3), 'NA', false]]);
  });
});
