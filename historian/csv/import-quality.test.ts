/**
 * A wide file's quality columns ("LI101 Quality" beside "LI101"): read as the status of their
 * tag's values, never made tags of their own. The expected codes are those OPC UA Part 8
 * Table A.61 gives each OPC DA quality, written out by hand from the table (and Part 6's code
 * values); real archives in temp dirs.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';
import { formatRejection } from './read.js';

const archive = useCsvArchive('vigil-csv-quality-');

const importText = archive.importText.bind(archive);

/** [second, value, status without InfoType and the historian's bits 0-4] of every archived sample of the tag. */
const raw = (tag: string) =>
  archive.rows(tag)
    .map((r) => [(r.t - T0) / 1000, r.value, (r.status & ~0xc1f) >>> 0]);

const T0 = Date.UTC(2026, 0, 1);

describe('a wide file with quality columns', () => {
  it('reads OPC DA quality bytes as OPC UA statuses (Part 8 Table A.61), limit bits too', async () => {
    const text = [
      'DateTime,LI101,LI101 Quality',
      '2026-01-01 00:00:00,1.5,192', // GOOD
      '2026-01-01 00:00:01,1.6,0', // BAD
      '2026-01-01 00:00:02,1.7,24', // 0x18 COMM_FAILURE
      '2026-01-01 00:00:03,1.8,68', // 0x44 LAST_USABLE
      '2026-01-01 00:00:04,1.9,216', // 0xD8 LOCAL_OVERRIDE
      '2026-01-01 00:00:05,2.0,20', // 0x14 LAST_KNOWN
      '2026-01-01 00:00:06,2.1,193', // GOOD, limit low
      '2026-01-01 00:00:07,2.2,86', // 0x54 EGU_EXCEEDED, limit high
      '',
    ].join('\n');
    const report = await importText('da.csv', text);
    expect(report.rejections.count).toBe(0);
    expect(report.createdTags).toEqual(['LI101']);
    expect(raw('LI101')).toEqual([
      [0, 1.5, 0x00000000],
      [1, expect.anything(), 0x80000000],
      [2, expect.anything(), 0x80310000], // BadNoCommunication
      [3, 1.8, 0x40900000], // UncertainLastUsableValue
      [4, 1.9, 0x00960000], // GoodLocalOverride
      [5, expect.anything(), 0x808d0000], // BadOutOfService
      [6, 2.1, 0x00000100], // Good, LimitLow
      [7, 2.2, 0x40940200], // UncertainEngineeringUnitsExceeded, LimitHigh
    ]);
  });

  it('pairs .Quality, _Q and OPC UA names; an empty quality is Good; a lone "Water Quality" stays a tag', async () => {
    const text = [
      'Time,TI1,TI1.Quality,PI2,PI2_Q,Water Quality',
      '2026-01-01 00:00:00,20.5,Good,3.5,BadSensorFailure,7.1',
      '2026-01-01 00:00:01,20.6,,3.6,0x40000000,7.2',
      '',
    ].join('\n');
    const report = await importText('ua.csv', text);
    expect([report.rejections.count, [...report.createdTags].sort()]).toEqual([0, ['PI2', 'TI1', 'Water Quality']]);
    expect(raw('TI1')).toEqual([[0, 20.5, 0], [1, 20.6, 0]]);
    expect(raw('PI2')).toEqual([[0, expect.anything(), 0x808c0000], [1, 3.6, 0x40000000]]);
    expect(raw('Water Quality')).toEqual([[0, 7.1, 0], [1, 7.2, 0]]);
  });

  it('archives an empty cell with a Bad quality as a Bad sample, and rejects a quality it cannot read, naming file, line and column', async () => {
    const text = [
      'Time,FT3,FT3 Quality',
      '2026-01-01 00:00:00,4.5,192',
      '2026-01-01 00:00:01,,8', // NOT_CONNECTED, no value: the loss is archived
      '2026-01-01 00:00:02,,192', // Good and empty: no sample, as in any wide file
      '2026-01-01 00:00:03,4.7,Shutdown',
      '2026-01-01 00:00:04,4.8,70000',
      '2026-01-01 00:00:05,4.9,192',
      '',
    ].join('\n');
    const report = await importText('q.csv', text);
    const expected = 'a quality: an OPC DA quality 0-65535 (192 Good) or 0x0000-0xFFFF (0xC0 Good, 0x18 Comm Failure), its text (Bad, Comm Failure), ' +
      'Good, Questionable or Uncertain, Substituted, Bad (any case; lists such as "Good, Annotated"), an OPC UA name such as BadSensorFailure, ' +
      'or an OPC UA code in 0x hex of 8 digits';
    expect(report.rejections.listed.map(formatRejection)).toEqual([
      `q.csv:5: field "FT3 Quality": expected ${expected}; got "Shutdown"`,
      `q.csv:6: field "FT3 Quality": expected ${expected}; got "70000"`,
    ]);
    expect(raw('FT3')).toEqual([[0, 4.5, 0], [1, expect.anything(), 0x808a0000], [5, 4.9, 0]]);
  });
});
