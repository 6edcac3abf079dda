/**
 * Quality as other systems' exports write it, read as each vendor documents it (codes by hand from
 * Opc.Ua.StatusCodes.csv, not from historian/status.ts; real archives in temp dirs):
 * - AVEVA (Wonderware) Historian: Quality 16 is "Doubtful" (aaHistClientSingleValueEntry.Quality: 0 Good,
 *   1 Bad, 16 Doubtful), what its OpcQuality calls "a DOUBTFUL OPC quality (64)": OPC DA Uncertain.
 * - Ignition 8 QualityCode names (Good_Unspecified, Uncertain_LastKnownValue, Bad_Stale, Error_IO...): a level
 *   (Good, Uncertain, Bad, Error) and a name; the list as Ignition 8.1.13 names them (Cirrus Link's table).
 * - Java OPC UA stacks (Eclipse Milo, Prosys) name the codes Severity_Name: Uncertain_LastUsableValue.
 * - PI API istat: a negative status is a digital state code; the SYSTEM set is set 0, so -248 is No Data,
 *   -254 Shutdown (PI-API "Setting the Value of the istat Argument"; StateNo(DigState("No Data")) = 248).
 * - A quality column headed in German, Russian or Chinese (Qualität, Качество, 质量) holds what Quality does.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';

const archive = useCsvArchive('vigil-csv-foreign-quality-');

const T0 = Date.UTC(2026, 11, 5, 17, 45, 17);
/** [second, value, status without InfoType and the historian's bits 0-4]. */
const raw = (tag: string) => archive.rows(tag).map((r) => [Math.round((r.t - T0) / 1000), r.value, (r.status & ~0xc1f) >>> 0]);

const GOOD = 0;
const UNCERTAIN = 0x40000000;
const BAD = 0x80000000;

/** A long export: tag, timestamp, value, then the status column named `column`, one row a cell of `cells`. */
const longFile = (column: string, cells: string[], delimiter = ',') => [
  ['Tag', 'Timestamp', 'Value', column].join(delimiter),
  ...cells.map((c, i) => ['TIC-101.PV', `2026-12-05 17:45:${17 + i}`, String(351 + i), c].join(delimiter)),
  '',
].join('\r\n');

describe('Doubtful (AVEVA Historian\'s quality word for OPC DA Uncertain)', () => {
  it('reads Doubtful in any case as Uncertain, in a status column, a Quality column and a wide file\'s quality column', async () => {
    for (const column of ['Status', 'Quality']) {
      const report = await archive.importText(`d-${column}.csv`, longFile(column, ['Good', 'Doubtful', 'DOUBTFUL', 'Bad']));
      expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    }
    expect(raw('TIC-101.PV').map((r) => r[2])).toEqual([GOOD, UNCERTAIN, UNCERTAIN, BAD]);
    const wide = await archive.importText('w.csv', 'DateTime,LI101,LI101 Quality\r\n2026-12-05 17:45:17,4.5,Doubtful\r\n');
    expect([wide.fileError, wide.rejections.count]).toEqual([undefined, 0]);
    expect(raw('LI101')).toEqual([[0, 4.5, UNCERTAIN]]);
  });
});

describe('Ignition 8 QualityCode names', () => {
  it('reads a tall tag history export\'s quality names by their level, with the OPC UA code of the same meaning', async () => {
    const names = [
      'Good', 'Good_Unspecified', 'Good_Backfill', 'Good_Overload',
      'Uncertain', 'Uncertain_LastKnownValue', 'Uncertain_InitialValue', 'Uncertain_EngineeringUnitsExceeded', 'Uncertain_IncompleteOperation',
      'Bad', 'Bad_Stale', 'Bad_Disabled', 'Bad_NotConnected', 'Bad_OutOfRange',
      'Error', 'Error_Configuration', 'Error_IO', 'bad_stale',
    ];
    const expected = [
      GOOD, GOOD, GOOD, 0x002f0000, // GoodOverload
      UNCERTAIN, 0x40900000, 0x40920000, 0x40940000, UNCERTAIN, // UncertainLastUsableValue, UncertainInitialValue, UncertainEngineeringUnitsExceeded
      BAD, BAD, BAD, 0x808a0000, 0x803c0000, // BadNotConnected, BadOutOfRange
      BAD, 0x80890000, BAD, BAD, // Error level: not to be trusted; Error_Configuration BadConfigurationError
    ];
    const rows = names.map((q, i) => `tanks/tk101/level,${12 + i / 10},${q},${T0 + i * 1000}`);
    const report = await archive.importText('ign.csv', ['tagpath,value,quality,t_stamp', ...rows, ''].join('\r\n'));
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('tanks/tk101/level').map((r) => r[2])).toEqual(expected);
  });

  it('still rejects a name of no level Ignition knows, naming the line and column', async () => {
    const report = await archive.importText('ign-odd.csv', longFile('Status', ['Good', 'Bad_Frobbed', 'Warning_Stale']));
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.got])).toEqual([[3, 'Status', 'Bad_Frobbed'], [4, 'Status', 'Warning_Stale']]);
  });
});

describe('OPC UA names as Java stacks write them (Severity_Name)', () => {
  it('reads Uncertain_LastUsableValue, Bad_NodeIdUnknown and Good_Edited_DependentValueChanged as the codes of those names', async () => {
    const report = await archive.importText('milo.csv', longFile('StatusCode', [
      'Uncertain_LastUsableValue', 'Bad_NodeIdUnknown', 'Good_Edited_DependentValueChanged', '0x40000000', 'UncertainLastUsableValue',
    ]));
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('TIC-101.PV').map((r) => r[2])).toEqual([0x40900000, 0x80340000, 0x01160000, UNCERTAIN, 0x40900000]);
  });
});

describe('PI API status numbers (istat): negative codes of the SYSTEM digital state set', () => {
  it('archives -254 Shutdown and -246 I/O Timeout as Bad samples without a value, skips -248 No Data, and keeps 0 Good', async () => {
    const report = await archive.importText('istat.csv', longFile('Status', ['0', '-254', '-248', '-246', '-255', '0']));
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('TIC-101.PV')).toEqual([
      [0, 351, GOOD],
      [1, NaN, 0x808d0000], // Shutdown: BadOutOfService, as the state's name in a value cell is read
      [3, NaN, 0x80050000], // I/O Timeout: BadCommunicationError
      [4, NaN, 0x808c0000], // Bad Input: BadSensorFailure
      [5, 356, GOOD],
    ]);
  });

  it('reads a SYSTEM state number of no known name as Bad, and still rejects a negative number beyond the set', async () => {
    const report = await archive.importText('istat2.csv', longFile('Status', ['0', '-193', '-70000', '-2147483648']));
    expect(raw('TIC-101.PV')).toEqual([[0, 351, GOOD], [1, NaN, BAD]]);
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.got])).toEqual([[4, 'Status', '-70000'], [5, 'Status', '-2147483648']]);
  });
});

describe('a quality column headed in German, Russian or Chinese', () => {
  it('is read as a Quality column: words, as in a localized WinCC archive export with semicolons and decimal commas', async () => {
    const text = [
      'VarName;TimeString;VarValue;Qualität',
      'Tank_Level;05.12.2026 17:45:17;12,5;Good',
      'Tank_Level;05.12.2026 17:45:18;12,6;Bad',
      'Tank_Level;05.12.2026 17:45:19;12,7;Uncertain',
      '',
    ].join('\r\n');
    const report = await archive.importText('wincc-de.csv', text);
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('Tank_Level')).toEqual([[0, 12.5, GOOD], [1, 12.6, BAD], [2, 12.7, UNCERTAIN]]);
    for (const [name, column] of [['ru.csv', 'Качество'], ['zh.csv', '质量'], ['de2.csv', 'Qualitaet']] as const) {
      const r = await archive.importText(name, longFile(column, ['Good', 'Questionable']));
      expect([name, r.fileError, r.rejections.count]).toEqual([name, undefined, 0]);
    }
  });

  it('refuses it when its first row holds a number, as a Quality column of numbers is refused (0 is Good to Wonderware, Bad to OPC DA)', async () => {
    const report = await archive.importText('de-num.csv', longFile('Qualität', ['0', 'Good'], ';'));
    expect(report.fileError).toMatch(/^de-num\.csv:1: column 4 "Qualität": expected a status column named status .*OPCQuality/);
    expect(archive.h.tagNames()).toEqual([]);
  });
});
