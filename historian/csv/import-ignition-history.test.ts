/**
 * Ignition's tag history as its database holds it (sqlt_data_* tables: tagid, intvalue, floatvalue,
 * stringvalue, datevalue, dataintegrity, t_stamp; Ignition Database Table Reference), exported with the
 * tag's path joined from sqlth_te. A row's value is in the column of its tag's type (a Float tag's in
 * floatvalue, an Integer's or Boolean's in intvalue, a String's in stringvalue), the others empty;
 * dataintegrity 192 is Good, anything else Bad. Before, such a file was refused for want of a value
 * column. Expected values and codes written by hand from those rows; real archives in temp dirs.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';

const archive = useCsvArchive('vigil-csv-ignition-history-');

const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);
const at = (s: number) => T0 + s * 1000;
/** [second, value, Bad?]. */
const raw = (tag: string) => archive.rows(tag).map((r) => [Math.round((r.t - T0) / 1000), Number.isNaN(r.value) ? 'NaN' : r.value, r.status >>> 30 === 2]);

describe('an Ignition tag history export (tagpath joined on tagid)', () => {
  it('takes each row\'s value from the column its tag type fills, and dataintegrity as its quality', async () => {
    const text = [
      'tagpath,tagid,intvalue,floatvalue,stringvalue,datevalue,dataintegrity,t_stamp',
      `north/tk101/level,12,,4.25,,,192,${at(0)}`,
      `north/tk101/pump_run,13,1,,,,192,${at(0)}`,
      `north/tk101/level,12,,4.5,,,192,${at(1)}`,
      `north/tk101/pump_run,13,0,,,,192,${at(2)}`,
      `north/tk101/level,12,,,,,0,${at(3)}`, // no value, quality Bad
      `north/tk101/mode,14,,,AUTO,,192,${at(0)}`,
      `north/tk101/mode,14,,,MANUAL,,192,${at(4)}`,
      '',
    ].join('\n');
    const report = await archive.importText('sqlt_data_1_2026_12.csv', text);
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('north/tk101/level')).toEqual([[0, 4.25, false], [1, 4.5, false], [3, 'NaN', true]]);
    expect(raw('north/tk101/pump_run')).toEqual([[0, 1, false], [2, 0, false]]);
    expect(archive.rows('north/tk101/mode').map((r) => r.value)).toEqual(['AUTO', 'MANUAL']);
  });

  it('rejects a value that is no number in floatvalue, naming the line', async () => {
    const text = `tagpath,intvalue,floatvalue,stringvalue,dataintegrity,t_stamp\nA,,4.2x,,192,${at(0)}\n`;
    const report = await archive.importText('bad-float.csv', text);
    expect(report.rejections.listed.map((r) => [r.line, r.got])).toEqual([[2, '4.2x']]);
  });

  it('refuses the table as stored, with tag ids and no tag path, saying how to export the path', async () => {
    const text = `tagid,intvalue,floatvalue,stringvalue,datevalue,dataintegrity,t_stamp\n12,,4.25,,,192,${at(0)}\n`;
    const report = await archive.importText('ids.csv', text);
    expect(report.fileError).toMatch(/column 1 "tagid".*expected a tagpath column.*sqlth_te/);
  });
});
