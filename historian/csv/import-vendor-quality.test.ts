/**
 * Quality columns as historians and HMIs export them beside a long file's values, read as each
 * vendor documents them (never ignored: their Bad rows were archived Good):
 * - PI (AF SDK AFValue.IsGood / Questionable / Substituted, PI DataLink's flag columns): IsGood
 *   False is a bad value, Questionable True a questionable one, Substituted True a value changed
 *   from the one the source sent; Annotated only says a note is attached.
 * - Siemens WinCC flexible / WinCC (TIA Portal) data log CSV (VarName, TimeString, VarValue,
 *   Validity, Time_ms): Validity 1 a valid value, 0 an invalid one.
 * - AVEVA (Wonderware) Historian: OPCQuality is the OPC DA quality (its OPCQualityMap table),
 *   QualityDetail AVEVA's own code (its QualityMap table, "an internal representation of data
 *   quality"), so OPCQuality is read (OPC UA Part 8 Table A.61) and QualityDetail never as a DA byte.
 * Expected codes by hand from Part 6's values; real archives in temp dirs.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';

const archive = useCsvArchive('vigil-csv-vendor-quality-');

const T0 = Date.UTC(2026, 11, 5, 17, 45, 17, 123);
/** [second, value, status without InfoType and the historian's bits 0-4]. */
const raw = (tag: string) => archive.rows(tag).map((r) => [Math.round((r.t - T0) / 1000), r.value, (r.status & ~0xc1f) >>> 0]);

describe('PI flag columns', () => {
  it('reads IsGood False as Bad, Questionable True as Uncertain, Substituted True as UncertainSubstituteValue; Annotated says nothing', async () => {
    const text = [
      'Tag,Timestamp,Value,Questionable,Substituted,Annotated,IsGood',
      'TIC-101.PV,2026-12-05 17:45:17.123,351.2,False,False,False,True',
      'TIC-101.PV,2026-12-05 17:45:18.123,999.9,True,True,False,False', // not good: Bad, whatever else it says
      'TIC-101.PV,2026-12-05 17:45:19.123,351.4,True,False,False,True',
      'TIC-101.PV,2026-12-05 17:45:20.123,351.5,False,True,False,True',
      'TIC-101.PV,2026-12-05 17:45:21.123,351.6,false,false,true,true',
      '',
    ].join('\r\n');
    const report = await archive.importText('pi-flags.csv', text);
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('TIC-101.PV')).toEqual([
      [0, 351.2, 0], [1, 999.9, 0x80000000], [2, 351.4, 0x40000000], [3, 351.5, 0x40910000], [4, 351.6, 0],
    ]);
  });

  it('rejects a flag cell that is neither True nor False, naming the column', async () => {
    const report = await archive.importText('pi-bad.csv', 'Tag,Timestamp,Value,IsGood\nA,2026-12-05 17:45:17.123,1,maybe\n');
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([[2, 'IsGood', 'True or False (or 1 or 0)', 'maybe']]);
  });
});

describe('a WinCC data log\'s Validity column', () => {
  it('archives Validity 0 rows as Bad, Validity 1 rows as Good', async () => {
    const text = [
      '"tag";"time";"value";"Validity";"Time_ms"',
      '"Tank_Level";"2026-12-05 17:45:17.123";12,2996;1;4,63617e+10',
      '"Tank_Level";"2026-12-05 17:45:18.123";0;0;4,63617e+10',
      '',
    ].join('\r\n');
    const report = await archive.importText('wincc.csv', text);
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('Tank_Level').map(([s, , status]) => [s, status])).toEqual([[0, 0], [1, 0x80000000]]);
  });
});

describe('an AVEVA Historian export', () => {
  it('reads OPCQuality, not QualityDetail, when both are there', async () => {
    const text = [
      'DateTime,TagName,Value,QualityDetail,OPCQuality',
      '2026-12-05 17:45:17.123,ReactorTemp,351.2,192,192',
      '2026-12-05 17:45:18.123,ReactorTemp,351.3,44,192', // QualityDetail 44 as a DA byte was Bad (0x2C)
      '2026-12-05 17:45:19.123,ReactorTemp,351.4,202,192', // 202 as a DA byte was Good with LIMIT HI (0xCA)
      '2026-12-05 17:45:20.123,ReactorTemp,,24,24', // OPC DA 0x18 COMM_FAILURE: BadNoCommunication (Table A.61)
      '',
    ].join('\r\n');
    const report = await archive.importText('insql.csv', text);
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('ReactorTemp')).toEqual([[0, 351.2, 0], [1, 351.3, 0], [2, 351.4, 0], [3, NaN, 0x80310000]]);
  });

  it('refuses QualityDetail alone, saying why and what to export, and archives nothing', async () => {
    const report = await archive.importText('qd.csv', 'DateTime,TagName,Value,QualityDetail\n2026-12-05 17:45:17.123,A,1,44\n');
    expect(report.fileError).toBe('qd.csv:1: column 4 "QualityDetail": AVEVA Historian\'s QualityDetail is its own code (its QualityMap table), ' +
      'not an OPC DA quality byte (44 is a good value there, 202 no limit mark); expected its OPCQuality column beside it (the OPC DA ' +
      'quality: export it too), or a status column named status or OPCQuality; remove QualityDetail to archive every value as Good');
    expect(archive.h.tagNames()).toEqual([]);
  });
});

describe('other columns named for a value\'s validity', () => {
  it('refuses Reliability and Достоверность rather than archive their rows Good', async () => {
    for (const column of ['Reliability', 'Достоверность']) {
      const report = await archive.importText('r.csv', `time,tag,value,${column}\n2026-12-05T17:45:17Z,A,1,0\n`);
      expect(report.fileError).toMatch(new RegExp(`^r\\.csv:1: column 4 "${column}": expected a status column named status`));
    }
  });
});

describe('vendors\' own long layouts', () => {
  it('reads a WinCC data log as written (VarName, TimeString, VarValue, Validity, Time_ms): one tag, not a tag per column', async () => {
    const text = [
      '"VarName";"TimeString";"VarValue";"Validity";"Time_ms"',
      '"Tank_Level";"05.12.2026 17:45:17";12,2996;1;4,63617e+10',
      '"Tank_Level";"05.12.2026 17:45:18";0;0;4,63617e+10',
      '',
    ].join('\r\n');
    const report = await archive.importText('wincc-native.csv', text);
    expect([report.fileError, report.rejections.count, report.summary?.format]).toEqual([undefined, 0, 'long']);
    expect(archive.h.tagNames()).toEqual(['Tank_Level']);
    const t0 = Date.UTC(2026, 11, 5, 17, 45, 17);
    expect(archive.rows('Tank_Level').map((r) => [r.t - t0, r.status >>> 30])).toEqual([[0, 0], [1000, 2]]);
  });

  it('reads an Ignition tall export (tagpath, value, quality, t_stamp in epoch ms) as long, its quality integers as Ignition\'s beside its t_stamp', async () => {
    const rows = ['tanks/tk101/level,12.5,192,1796492717123', 'tanks/tk101/level,12.51,0,1796492718123', ''];
    // Ignition's "192 is Good Quality, anything else is bad" (its tag history's quality): the t_stamp column says whose file it is.
    const ignition = await archive.importText('ign.csv', ['tagpath,value,quality,t_stamp', ...rows].join('\n'));
    expect([ignition.fileError, ignition.rejections.count]).toEqual([undefined, 0]);
    expect(archive.rows('tanks/tk101/level').map((r) => [r.t, r.status >>> 30])).toEqual([[1796492717123, 0], [1796492718123, 2]]);
    const report = await archive.importText('ign2.csv', ['tagpath,value,OPCQuality,t_stamp', ...rows].join('\n'));
    expect([report.fileError, report.rejections.count, report.summary?.format]).toEqual([undefined, 0, 'long']);
    expect(archive.h.tagNames()).toEqual(['tanks/tk101/level']);
    expect(archive.rows('tanks/tk101/level').map((r) => [r.t, r.status >>> 30])).toEqual([[1796492717123, 0], [1796492718123, 2]]);
  });
});
