import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { BadSensorFailure } from '../status.js';
import { historianTarget, importCsvFile, formatReport, formatSummary } from './import.js';
import { formatRejection } from './read.js';

let dir: string;
let h: Historian;
const T0 = Date.UTC(2024, 4, 1, 12);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-csv-import-'));
  mkdirSync(join(dir, 'archive'));
  h = Historian.open(join(dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function csv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return path;
}

const raw = (tag: string) =>
  h.readRaw({ tags: [tag], start: T0 - 3_600_000, end: T0 + 3_600_000 }).rows.map((r) => [r.t, r.value, r.status >>> 30]);

describe('importCsvFile', () => {
  it('creates N new tags in O(N): one catalog commit per batch, no archive read or tag-list scan per tag', async () => {
    const n = 2000;
    const names = Array.from({ length: n }, (_, i) => `T${i}`);
    const path = csv('wide.csv', [`time,${names.join(',')}`, ...Array.from({ length: 10 }, (_, r) => `${iso(r)},${names.map((_, i) => i + r).join(',')}`)]);
    const reads = vi.spyOn(h, 'readRaw');
    const scans = vi.spyOn(h, 'tagNames');
    const defines = vi.spyOn(h, 'defineTags');
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.imported).toBe(n * 10);
    expect(report.createdTags).toHaveLength(n);
    expect([reads.mock.calls.length, scans.mock.calls.length, defines.mock.calls.length]).toEqual([0, 0, 1]);
    expect(raw('T1999').map((r) => r[1])).toEqual(Array.from({ length: 10 }, (_, r) => 1999 + r));
  });

  it('archives the good lines, reports each bad one, and creates unknown tags by value kind', async () => {
    const path = csv('plant.csv', [
      'time,tag,value,status',
      `${iso(0)},TK1.Level,1.5,Good`,
      `${iso(1)},TK1.Level,1,5,Good`,
      `${iso(2)},TK1.Level,2.5,BadSensorFailure`,
      `${iso(3)},TK1.Level,oops,Good`,
      `not-a-time,TK1.Level,3,Good`,
      `${iso(4)},P1.Run,true,Good`,
      `${iso(5)},P1.Run,false,Good`,
      `${iso(6)},TK1.Level,3.5,Broken`,
    ]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.imported).toBe(4);
    expect(report.createdTags.sort()).toEqual(['P1.Run', 'TK1.Level']);
    expect(report.rejections.listed.map((r) => [r.line, r.field])).toEqual([[3, 'record'], [5, 'value'], [6, 'time'], [9, 'status']]);
    expect(raw('TK1.Level')).toEqual([[T0, 1.5, 0], [T0 + 2000, 2.5, 2]]);
    expect(raw('P1.Run')).toEqual([[T0 + 4000, true, 0], [T0 + 5000, false, 0]]);
    expect(h.versionAt('P1.Run', T0).config.kind).toBe('discrete');
    expect(h.versionAt('TK1.Level', T0).config).toMatchObject({ kind: 'analog', compression: { kind: 'none' } });
    const text = formatReport(report);
    expect(text).toContain('plant.csv:5: field "value": expected a number');
    expect(text).toContain('rejected lines: 4');
  });

  it('creates a state column of words as a text tag (a pump bench export), and rejects only the words of a numeric column', async () => {
    const path = csv('sensor.csv', [
      ',timestamp,sensor_00,sensor_01,machine_status',
      `0,${iso(0)},Calibrating,2.5,NORMAL`,
      `1,${iso(1)},47.09201,,NORMAL`,
      `2,${iso(2)},47.1875,2.6,BROKEN`,
    ]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.got])).toEqual([[2, 'sensor_00', 'Calibrating']]);
    expect(report.createdTags.sort()).toEqual(['machine_status', 'sensor_00', 'sensor_01']);
    expect(h.versionAt('machine_status', T0).config.kind).toBe('text');
    expect(h.versionAt('sensor_00', T0).config.kind).toBe('analog');
    // a text tag archives changes: the repeated NORMAL is the same state
    expect(raw('machine_status')).toEqual([[T0, 'NORMAL', 0], [T0 + 2000, 'BROKEN', 0]]);
    expect(raw('sensor_00')).toEqual([[T0 + 1000, 47.09201, 0], [T0 + 2000, 47.1875, 0]]);
  });

  it('fills a gap before the archived data through the late path, and appends what is newer', async () => {
    h.defineTag({ name: 'FT1', kind: 'analog', description: '', unit: 'm3/h', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
    h.append('FT1', [{ t: T0, value: 1, status: 0 }, { t: T0 + 10_000, value: 10, status: 0 }]);
    h.flush();
    const path = csv('gap.csv', ['time,tag,value', `${iso(5)},FT1,5`, `${iso(3)},FT1,3`, `${iso(20)},FT1,20`, `${iso(15)},FT1,15`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report).toMatchObject({ imported: 4, inserted: 2, appended: 2, rejections: { count: 0 } });
    h.flush();
    expect(raw('FT1').map((r) => r[1])).toEqual([1, 3, 5, 10, 15, 20]);
  });

  it('reads a units row under a wide header (a DCS export) as the units of the tags it creates; a known tag keeps its own', async () => {
    h.defineTag({ name: 'PI102', kind: 'analog', description: '', unit: 'kPa', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
    const path = csv('dcs.csv', ['Timestamp,LI101,PI102,TI103', ',m,kPa,°C', `${iso(0)},5.5,101.3,20.5`, `${iso(1)},5.6,101.4,20.6`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.count).toBe(0);
    expect(report.createdTags).toEqual(['LI101', 'TI103']);
    expect(formatSummary(report)).toMatch(/, units from line 2, 0 lines rejected$/);
    expect(['LI101', 'PI102', 'TI103'].map((t) => h.versions(t).at(-1)!.config.unit)).toEqual(['m', 'kPa', '°C']);
    h.flush();
    expect(raw('LI101')).toEqual([[T0, 5.5, 0], [T0 + 1000, 5.6, 0]]);
  });

  it('refuses a file whose units row puts a known tag in another unit, and archives none of it (1050 kPa is not 1050 bar)', async () => {
    h.defineTag({ name: 'PI102', kind: 'analog', description: '', unit: 'bar', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
    const path = csv('kpa.csv', ['Timestamp;LI101;PI102', 'Units;%;kPa', `${iso(0)};55,5;1050`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.fileError).toBe('kpa.csv:2: units row, column "PI102": expected "bar" (the unit of PI102 in the archive); got "kPa"');
    expect(report.imported).toBe(0);
    h.flush();
    expect(raw('PI102')).toEqual([]);
    expect(h.kindOf('LI101')).toBeUndefined();
  });

  it('rejects a long file\'s line whose unit disagrees with the archive\'s; a tag it creates takes the units its rows state, a change as a version', async () => {
    h.defineTag({ name: 'P1', kind: 'analog', description: '', unit: 'bar', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
    const path = csv('units.csv', ['time,tag,value,unit', `${iso(0)},P1,150,kPa`, `${iso(1)},P1,1.51,bar`, `${iso(0)},NEWU,1,m`, `${iso(1)},NEWU,2,ft`, `${iso(2)},NEWU,3,`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([
      [2, 'unit', '"bar" (the unit of P1 in the archive)', 'kPa'],
    ]);
    h.flush();
    expect(raw('P1')).toEqual([[T0 + 1000, 1.51, 0]]);
    expect(raw('NEWU')).toEqual([[T0, 1, 0], [T0 + 1000, 2, 0], [T0 + 2000, 3, 0]]);
    // m until the row in ft, ft since (the empty cell says nothing: the unit in force)
    expect(h.versions('NEWU').map((v) => [v.validFrom, v.config.unit])).toEqual([[0, 'm'], [T0 + 1000, 'ft']]);
  });

  it('rejects a tag name a pattern could not find or a terminal would act on (a line break, a tab, ESC), or of megabytes', async () => {
    const huge = 'X'.repeat(3000);
    const path = csv('names.csv', ['time,tag,value', `${iso(0)},"TAG\nWITH NL",1`, `${iso(0)},TAB\tX,2`, `${iso(0)},ESC\u001b[31mRED,3`, `${iso(0)},${huge},4`, `${iso(0)},GOOD.Name_1,5`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.listed.map((r) => [r.line, r.field])).toEqual([[2, 'tag'], [4, 'tag'], [5, 'tag'], [6, 'tag']]);
    expect(report.rejections.listed[0]!.expected).toBe('a tag name of at most 200 characters, without control characters (a line break, a tab, ESC) or the wildcards * and ?');
    expect(report.createdTags).toEqual(['GOOD.Name_1']);
    // A wide header naming such a column: the file is refused whole, naming the column.
    const wide = csv('wide-names.csv', ['time,LI101,"LI\u0007102"', `${iso(0)},1,2`]);
    expect((await importCsvFile(historianTarget(h), wide)).fileError).toBe('wide-names.csv:1: header, column 3: expected a tag name of at most 200 characters, without control characters (a line break, a tab, ESC) or the wildcards * and ?; got "LI\\u0007102"'); // the echo is escaped: nothing reaches a terminal raw
  });

  it('refuses a long file whose quality column it would not read (every value Good), and reads a historian\'s TagName column as the tag', async () => {
    // A column named quality of numbers: Wonderware's 0 is Good, an OPC DA 0 Bad (words, Good or Questionable, are read: import-status-words.test.ts).
    const quality = csv('quality.csv', ['time,tag,value,quality', `${iso(0)},FI203,1.6,0`]);
    const refused = await importCsvFile(historianTarget(h), quality);
    expect(refused.fileError).toBe('quality.csv:1: column 4 "quality": expected a status column named status (OPC UA names such as Good, ' +
      'BadSensorFailure, or codes such as 0x808C0000), OPCQuality (OPC DA quality bytes: 192 Good, 0 Bad), IsGood, Questionable, ' +
      'Substituted (PI: True/False) or Validity (WinCC: 1 valid, 0 invalid); rename it so, or remove it to archive every value as Good');
    expect(h.kindOf('FI203')).toBeUndefined();
    const wonderware = csv('ww.csv', ['Timestamp,TagName,Value,Quality', `${iso(0)},FI203,1.6,192`]);
    expect((await importCsvFile(historianTarget(h), wonderware)).fileError).toMatch(/^ww\.csv:1: column 4 "Quality": expected a status column/);
    const renamed = csv('ww2.csv', ['Timestamp,TagName,Value,Status', `${iso(0)},FI203,1.6,Good`, `${iso(1)},FI203,1.7,BadSensorFailure`]);
    const report = await importCsvFile(historianTarget(h), renamed);
    expect([report.fileError, report.createdTags]).toEqual([undefined, ['FI203']]);
    h.flush();
    expect(raw('FI203')).toEqual([[T0, 1.6, 0], [T0 + 1000, 1.7, 2]]); // the Bad one as Bad, its value as the source gave it
  });

  it('reads StatusCode and Status Code as OPC UA statuses, OPCQuality as OPC DA qualities; refuses other status-like names', async () => {
    // Severity (status >>> 30): 0 Good, 1 Uncertain, 2 Bad. 192 is Good in OPC DA, 0 Bad, 24 Bad (comm failure), 68 Uncertain.
    const files: [string, string, string[], number[]][] = [
      ['sc.csv', 'StatusCode', ['Good', 'BadSensorFailure', '0x40000000'], [0, 2, 1]],
      ['sc2.csv', 'Status Code', ['0', '0x80000000', 'Uncertain'], [0, 2, 1]],
      ['oq.csv', 'OPCQuality', ['192', '24', '68'], [0, 2, 1]],
    ];
    for (const [name, column, cells, severities] of files) {
      const tag = `Q.${name.replace('.csv', '')}`;
      const path = csv(name, [`DateTime,TagName,Value,${column}`, ...cells.map((c, i) => `${iso(i)},${tag},${1.5 + i},${c}`)]);
      const report = await importCsvFile(historianTarget(h), path);
      expect([name, report.fileError, report.rejections.count]).toEqual([name, undefined, 0]);
      h.flush();
      expect([name, raw(tag).map((r) => r[2])]).toEqual([name, severities]);
    }
    for (const column of ['PI Status', 'Quality_Code2']) { // (dataintegrity is Ignition's: import-ignition-da-quality.test.ts)
      const path = csv('other.csv', [`time,tag,value,${column}`, `${iso(0)},X1,1,0`]);
      expect((await importCsvFile(historianTarget(h), path)).fileError).toMatch(new RegExp(`^other\\.csv:1: column 4 "${column}": expected a status column named status`));
    }
    expect(h.kindOf('X1')).toBeUndefined();
  });

  it('skips an export\'s NoData rows (a --bounds where nothing was archived): archived, BadNoData stood over the real value', async () => {
    const path = csv('bounds.csv', [
      'time,tag,value,unit,status,status_code,flags,kind',
      `${iso(0)},FT7,,,BadNoData,0x809B0400,NoData|Bounding,analog`,
      `${iso(0)},FT7,0.1,,Good,0x00000400,,analog`,
      `${iso(1)},FT7,0.2,,Good,0x00000400,,analog`,
      `${iso(2)},FT7,,,BadNoData,0x809B0400,NoData|Bounding,analog`,
    ]);
    const report = await importCsvFile(historianTarget(h), path);
    expect([report.fileError, report.rejections.count, report.imported, report.summary?.noData]).toEqual([undefined, 0, 2, 2]);
    expect(formatSummary(report)).toContain('2 NoData rows (no value: not archived)');
    h.flush();
    expect(raw('FT7')).toEqual([[T0, 0.1, 0], [T0 + 1000, 0.2, 0]]);
  });

  it('rejects a small decimal in a status column (an OPC DA quality there was archived Good), saying where it belongs', async () => {
    const path = csv('da-in-status.csv', ['time,tag,value,status', `${iso(0)},F9,1.5,192`, `${iso(1)},F9,1.6,0`, `${iso(2)},F9,1.7,24`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.listed.map(formatRejection)).toEqual(['192', '24'].map((got, i) => `da-in-status.csv:${2 + i * 2}: field "status": expected ` +
      `an OPC UA status code (a decimal from 1 to 65535 is none: an OPC DA quality such as 192 belongs in a column named OPCQuality); got "${got}"`));
    h.flush();
    expect(raw('F9')).toEqual([[T0 + 1000, 1.6, 0]]);
  });

  it('reads a units row when the time column has no time name, once the first data row shows the times', async () => {
    const path = csv('plain.csv', ['Probe,LI101,PI102', 'Units,m,bar', `${iso(0)},5.5,1.2`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.count).toBe(0);
    expect(['LI101', 'PI102'].map((t) => h.versions(t).at(-1)!.config.unit)).toEqual(['m', 'bar']);
    expect(report.summary).toMatchObject({ rows: 1, unitsLine: 2 });
  });

  it('takes the unit column of a long file (an export writes one) as the unit of the tags it creates', async () => {
    const path = csv('long.csv', ['time,tag,value,unit,status', `${iso(0)},FT1,1.5,,Good`, `${iso(1)},FT1,1.6,m3/h,Good`, `${iso(0)},TK1.Level,2,m,Good`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.count).toBe(0);
    expect(['FT1', 'TK1.Level'].map((t) => h.versions(t).at(-1)!.config.unit)).toEqual(['m3/h', 'm']);
  });

  it('reads the wide format and keeps text tags as text', async () => {
    h.defineTag({ name: 'TK1.Mode', kind: 'text', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 }, 0);
    const path = csv('wide.csv', ['time,TT1,TK1.Mode', `${iso(0)},20.5,Filling`, `${iso(1)},,Idle`, `${iso(2)},x,`, `${iso(3)},21,Idle`]);
    const report = await importCsvFile(historianTarget(h), path, { format: 'wide' });
    expect(report.rejections.listed.map((r) => [r.line, r.field])).toEqual([[4, 'TT1']]);
    h.flush();
    expect(raw('TT1').map((r) => r[1])).toEqual([20.5, 21]);
    expect(raw('TK1.Mode').map((r) => r[1])).toEqual(['Filling', 'Idle']); // text tags archive changes only
  });

  it('reads a UTF-16 file by its byte-order mark, and refuses one without a mark whole, saying why', async () => {
    const path = join(dir, 'utf16.csv');
    const body = Buffer.from(`time,tag,value\r\n${iso(0)},A,1\r\n`, 'utf16le');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), body]));
    expect((await importCsvFile(historianTarget(h), path)).imported).toBe(1);
    writeFileSync(path, Buffer.from(`time,tag,value\r\n${iso(1)},B,1\r\n`, 'utf16le'));
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.imported).toBe(0);
    expect(report.fileError).toMatch(/utf16\.csv:1: file has NUL bytes in its first line \(UTF-16 without byte-order mark\?\); expected UTF-8, or its encoding named/);
    expect(h.tagNames()).toEqual(['A']);
  });

  it('keeps statuses as given, Bad with an empty value included (stored as no value: NaN)', async () => {
    const path = csv('status.csv', ['time,tag,value,status', `${iso(0)},A,1,0x808C0000`, `${iso(1)},A,,Bad`, `${iso(2)},A,2,${BadSensorFailure}`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.count).toBe(0);
    h.flush();
    expect(raw('A')).toEqual([[T0, 1, 2], [T0 + 1000, NaN, 2], [T0 + 2000, 2, 2]]);
  });

  it('rejects a value that overflows to Infinity, naming file, line and field, and echoes a huge line cut short with its length', async () => {
    const digits = '9'.repeat(1_000_000);
    const path = csv('overflow.csv', ['time,tag,value', `${iso(0)},A,1`, `${iso(1)},A,1e400`, `${iso(2)},A,-1e400`, `${iso(3)},A,${digits}`, `${iso(4)},A,2`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.rejections.listed.map((r) => [r.file, r.line, r.field])).toEqual([['overflow.csv', 3, 'value'], ['overflow.csv', 4, 'value'], ['overflow.csv', 5, 'value']]);
    const messages = formatReport(report).split('\n').filter((l) => l.startsWith('overflow.csv:') && !l.includes('summary'));
    expect(messages[0]).toBe('overflow.csv:3: field "value": expected a finite number (at most ±1.7976931348623157e308; this one overflows); got "1e400"');
    expect(messages[2]!.length).toBeLessThan(400);
    expect(messages[2]).toMatch(/got "9{200}"\.\.\. \(1000000 characters\)$/);
    expect(raw('A').map((r) => r[1])).toEqual([1, 2]);

    const wide = csv('wide.csv', ['time,B', `${iso(0)},1e999`, `${iso(1)},3`]);
    const w = await importCsvFile(historianTarget(h), wide);
    expect(w.rejections.listed.map((r) => [r.line, r.field, r.expected])).toEqual([[2, 'B', expect.stringMatching(/^a finite number/)]]);
  });

  it('sums up the tags an import created with their count and the first names', async () => {
    const names = Array.from({ length: 1144 }, (_, i) => `XMEAS${i}`);
    const path = csv('many.csv', [`time,${names.join(',')}`, `${iso(0)},${names.map((_, i) => i).join(',')}`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report.createdTags).toHaveLength(1144);
    const summary = formatSummary(report);
    expect(summary).toContain('1144 tags created (XMEAS0, XMEAS1, XMEAS2, XMEAS3, XMEAS4, XMEAS5, XMEAS6, XMEAS7, XMEAS8, XMEAS9 and 1134 more)');
    expect(summary.length).toBeLessThan(600);
    expect(formatReport(report)).toContain('tags created: 1144 (XMEAS0, XMEAS1,');
  });

  it('imports a SKAB-shaped file and sums it up in one line: rows, samples, tags, range, time column and format, delimiter', async () => {
    const path = join(dir, 'skab.csv');
    writeFileSync(path, 'datetime;Accelerometer1RMS;Temperature;Pressure\n2024-05-01 12:00:00;0,0264;89.7;NaN\n2024-05-01 12:00:01;0.0265;x;0.054\n');
    const report = await importCsvFile(historianTarget(h), path, { tagPrefix: 'SKAB' });
    expect(report).toMatchObject({ imported: 4, createdTags: ['SKAB.Accelerometer1RMS', 'SKAB.Temperature', 'SKAB.Pressure'] });
    expect(raw('SKAB.Accelerometer1RMS')).toEqual([[T0, 0.0264, 0], [T0 + 1000, 0.0265, 0]]);
    expect(formatSummary(report)).toBe('skab.csv: summary: wide, 2 rows, 4 samples (4 accepted), 1 empty cell, ' +
      '3 tags created (SKAB.Accelerometer1RMS, SKAB.Temperature, SKAB.Pressure), time 2024-05-01T12:00:00.000Z .. 2024-05-01T12:00:01.000Z, ' +
      'time column "datetime" (ISO 8601 without offset), delimiter semicolon (decimal comma allowed), 1 line rejected');
    expect(formatReport(report)).toContain('skab.csv:3: field "Temperature": expected a number (decimal point or decimal comma, no thousands separator); got "x"');
  });

  it('sorts rows a file holds out of order and archives epoch-second files', async () => {
    const s = T0 / 1000;
    const path = csv('epoch.csv', ['time,FT1', `${s + 2},2`, `${s},0`, `${s + 1}.5,1.5`, `${s + 3},3`]);
    const report = await importCsvFile(historianTarget(h), path);
    expect(report).toMatchObject({ imported: 4, rejections: { count: 0 }, summary: { timeFormat: 'epoch seconds' } });
    h.flush();
    expect(raw('FT1').map((r) => [r[0], r[1]])).toEqual([[T0, 0], [T0 + 1500, 1.5], [T0 + 2000, 2], [T0 + 3000, 3]]);
  });

  it("range 'data': each created analog tag's EU range is its own span of values in the file (Bad values left out, a constant gets low..low+1)", async () => {
    // A 0.2-ish flow, a 4,500-ish pressure with one Bad -9999, a constant, a state: one range for all could suit none of them.
    const path = csv('spans.csv', [
      'time,tag,value,status',
      `${iso(0)},FT1,0.2024,Good`, `${iso(1)},FT1,0.1987,Good`, `${iso(2)},FT1,0.2101,Uncertain`,
      `${iso(0)},PT1,4502.7,Good`, `${iso(1)},PT1,-9999,BadSensorFailure`, `${iso(2)},PT1,4498.1,Good`, `${iso(3)},PT1,4510.3,Good`,
      `${iso(0)},AT1,9.417,Good`, `${iso(1)},AT1,9.417,Good`,
      `${iso(0)},XS1,true,Good`,
    ]);
    const compression = { kind: 'swinging-door', deviation: 1, percentOfSpan: true } as const;
    const report = await importCsvFile(historianTarget(h), path, { compression, range: 'data' });
    expect(report).toMatchObject({ imported: 10, rejections: { count: 0 }, rangedFromData: 3 });
    const rangeOf = (tag: string) => h.versions(tag)[0]!.config.range;
    expect([rangeOf('FT1'), rangeOf('PT1'), rangeOf('AT1'), rangeOf('XS1')]).toEqual([
      { low: 0.1987, high: 0.2101 }, { low: 4498.1, high: 4510.3 }, { low: 9.417, high: 10.417 }, undefined,
    ]);
    expect(h.versions('FT1')[0]!.config.compression).toEqual(compression);
    expect(formatSummary(report)).toContain('4 tags created (FT1, PT1, AT1, XS1) (EU range of 3 from their values in the file)');
  });

  it('a range given applies to every created analog tag; a tag the archive knows keeps its own', async () => {
    h.defineTag({ name: 'PT1', kind: 'analog', description: '', unit: 'kPa', range: { low: 0, high: 6000 }, compression: { kind: 'none' }, stepped: false, cycleMs: 0 }, 0);
    const path = csv('given.csv', ['time,FT1,PT1', `${iso(0)},0.2,4500`, `${iso(1)},0.3,4501`]);
    const report = await importCsvFile(historianTarget(h), path, { compression: { kind: 'deadband', deviation: 1, percentOfSpan: true }, range: { low: 0, high: 1 } });
    expect(report).toMatchObject({ imported: 4, createdTags: ['FT1'] });
    expect(report.rangedFromData).toBeUndefined();
    expect([h.versions('FT1')[0]!.config.range, h.versions('PT1')[0]!.config.range]).toEqual([{ low: 0, high: 1 }, { low: 0, high: 6000 }]);
  });

  it.each([['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']])('with %s line ends: imports a last line without a line end with a warning naming file and line (it may be cut short); none for a file that ends with one; the complete file imported again corrects it', async (_name, eol) => {
    const ended = join(dir, 'ended.csv');
    writeFileSync(ended, ['time,tag,value', `${iso(0)},TK2.Level,12.345`, `${iso(1)},TK2.Level,12.346`].join(eol) + eol);
    const whole = await importCsvFile(historianTarget(h), ended);
    expect([whole.rejections.listed, whole.noLineEnd, formatReport(whole)]).toEqual([[], undefined, expect.not.stringContaining('line end')]);
    expect(raw('TK2.Level')).toEqual([[T0, 12.345, 0], [T0 + 1000, 12.346, 0]]);
    // A file copied while still being written: "12.3" of "12.345".
    const path = join(dir, 'cut.csv');
    writeFileSync(path, ['time,tag,value', `${iso(0)},TK1.Level,12.345`, `${iso(1)},TK1.Level,12.3`].join(eol));
    const report = await importCsvFile(historianTarget(h), path);
    expect([report.rejections.listed, report.noLineEnd]).toEqual([[], 3]);
    expect(formatReport(report)).toContain('cut.csv:3: warning: last line has no line end: it may be cut short');
    expect(raw('TK1.Level')).toEqual([[T0, 12.345, 0], [T0 + 1000, 12.3, 0]]);
    appendFileSync(path, `45${eol}`); // the writer finished the line
    const again = await importCsvFile(historianTarget(h), path);
    expect([again.rejections.listed, again.noLineEnd]).toEqual([[], undefined]);
    expect(raw('TK1.Level')).toEqual([[T0, 12.345, 0], [T0 + 1000, 12.345, 0]]);
  });

  it('warns of a last line without a line end in a wide file, in a quoted record over two lines, and in a file archived by windows of time; not of trailing delimiters', async () => {
    const wide = join(dir, 'wide-cut.csv');
    writeFileSync(wide, `time,A,B\n${iso(0)},1,2\n${iso(1)},3,4`);
    expect((await importCsvFile(historianTarget(h), wide)).noLineEnd).toBe(3);
    expect([raw('A'), raw('B')]).toEqual([[[T0, 1, 0], [T0 + 1000, 3, 0]], [[T0, 2, 0], [T0 + 1000, 4, 0]]]);
    const quoted = join(dir, 'quoted-cut.csv');
    writeFileSync(quoted, `time,tag,value\n${iso(0)},M,"one\nline"\n${iso(1)},M,"two\nlines"`);
    expect((await importCsvFile(historianTarget(h), quoted, { newTagKind: 'text' })).noLineEnd).toBe(5);
    const shuffled = join(dir, 'shuffled-cut.csv');
    writeFileSync(shuffled, ['time,tag,value', ...[5, 3, 1, 4, 2, 0].map((s) => `${iso(s)},C,${s}`)].join('\n'));
    const s = await importCsvFile(historianTarget(h), shuffled, { sortBudget: 2 });
    expect([s.rejections.listed, s.noLineEnd]).toEqual([[], 7]);
    expect(raw('C').map((r) => r[1])).toEqual([0, 1, 2, 3, 4, 5]);
    const delimiters = join(dir, 'delimiters.csv');
    writeFileSync(delimiters, `time,D\n${iso(0)},1\n,`);
    expect((await importCsvFile(historianTarget(h), delimiters)).noLineEnd).toBeUndefined();
  });
});
