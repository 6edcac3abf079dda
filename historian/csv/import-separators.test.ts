/**
 * Separators that must never change a value or a file's columns: a thousands separator read as a
 * decimal comma ('1,000' of an en-US tab file), no-break spaces and apostrophes between digits, a
 * header name holding a comma in a semicolon file. Real archives in temp dirs; every expectation
 * is written out from the input text by hand.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';
import { formatRejection } from './read.js';

const archive = useCsvArchive('vigil-csv-separators-');

const importText = archive.importText.bind(archive);

/** [t, value] of every archived sample of the tag. */
const raw = (tag: string) =>
  archive.rows(tag).map((r) => [r.t, r.value]);

const POINT = (line: number, got: string) => 'a number with the decimal point this file uses (line ' + line + ': ' + got + '), ' +
  "no thousands separator (ambiguous: ',' is a thousands separator where the decimal mark is '.')";
const NO_MARK = "a number without a thousands separator (ambiguous: ',' is a thousands separator where the decimal mark is '.', " +
  'and no number of this file shows its decimal mark)';
const COMMA = (line: number, got: string) => 'a number with the decimal comma this file uses (line ' + line + ': ' + got + '), ' +
  "no thousands separator (ambiguous: '.' is a thousands separator where the decimal mark is ',')";

describe("'1,000' in a file whose delimiter is not a comma", () => {
  it('rejects it once the file has shown decimal points (an en-US Excel tab file), naming file, line, field and why', async () => {
    const text = 'Time\tTK1.Level\tFQ1.Total\r\n2026-05-01 12:00:00\t4.52\t998\r\n2026-05-01 12:01:00\t4.55\t999\r\n' +
      '2026-05-01 12:02:00\t4.57\t1,000\r\n2026-05-01 12:03:00\t4.60\t1,002\r\n2026-05-01 12:04:00\t4.61\t1,250\r\n';
    const report = await importText('enus.csv', text);
    expect(report.rejections.listed.map(formatRejection)).toEqual([
      `enus.csv:4: field "FQ1.Total": expected ${POINT(2, '"4.52"')}; got "1,000"`,
      `enus.csv:5: field "FQ1.Total": expected ${POINT(2, '"4.52"')}; got "1,002"`,
      `enus.csv:6: field "FQ1.Total": expected ${POINT(2, '"4.52"')}; got "1,250"`,
    ]);
    const T = (m: number) => Date.UTC(2026, 4, 1, 12, m);
    expect(raw('FQ1.Total')).toEqual([[T(0), 998], [T(1), 999]]);
    expect(raw('TK1.Level')).toEqual([[T(0), 4.52], [T(1), 4.55], [T(2), 4.57], [T(3), 4.6], [T(4), 4.61]]);
  });

  it('rejects it before the first decimal point too, and in the long format', async () => {
    const T = (s: number) => Date.UTC(2026, 2, 1, 0, 0, s);
    const wide = 'time\tA\tB\n2026-03-01T00:00:00Z\t1,000\t7\n2026-03-01T00:00:01Z\t2\t0.5\n';
    expect((await importText('wide.tsv', wide)).rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([
      [2, 'A', POINT(3, '"0.5"'), '1,000'],
    ]);
    expect(raw('A')).toEqual([[T(1), 2]]);
    expect(raw('B')).toEqual([[T(0), 7], [T(1), 0.5]]);
    const long = 'time|tag|value\n2026-03-01T00:00:02Z|FT1|0.25\n2026-03-01T00:00:03Z|FT1|-2,500\n2026-03-01T00:00:04Z|FT1|3\n';
    expect((await importText('long.csv', long)).rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([
      [3, 'value', POINT(2, '"0.25"'), '-2,500'],
    ]);
    expect(raw('FT1')).toEqual([[T(2), 0.25], [T(4), 3]]);
  });

  it('does not decide the file writes decimal commas: with no other mark shown it is rejected, and 1.234 stays 1.234', async () => {
    const T = (s: number) => Date.UTC(2026, 2, 1, 0, 0, s);
    const text = 'Zeit;A\n01.03.2026 00:00:00;1,250\n01.03.2026 00:00:01;1.234\n01.03.2026 00:00:02;998\n';
    expect((await importText('none.csv', text)).rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([
      [2, 'A', NO_MARK, '1,250'],
    ]);
    expect(raw('A')).toEqual([[T(1), 1.234], [T(2), 998]]);
  });

  it('reads it as a decimal comma in a file that shows decimal commas (0,5), before and after them', async () => {
    const T = (s: number) => Date.UTC(2026, 2, 1, 0, 0, s);
    const text = 'Zeit;A;B\n01.03.2026 00:00:00;1,250;2\n01.03.2026 00:00:01;0,5;1.234\n01.03.2026 00:00:02;1,000;3\n';
    expect((await importText('de.csv', text)).rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([
      [3, 'B', COMMA(3, '"0,5"'), '1.234'],
    ]);
    expect(raw('A')).toEqual([[T(0), 1.25], [T(1), 0.5], [T(2), 1]]);
    expect(raw('B')).toEqual([[T(0), 2], [T(2), 3]]);
  });
});

describe('thousands separators other than , and .', () => {
  it('rejects digits grouped by a no-break space, a narrow no-break space or an apostrophe as numbers, not words of a text tag', async () => {
    const text = 'Дата/Время;ТК1.Объём, л;ТК2.Уровень\r\n01.05.2026 00:00:00;12\u00a0345,60;1,5\r\n01.05.2026 00:01:00;13\u202f345,85;2,5\r\n' +
      "01.05.2026 00:02:00;1\u2019234,5;3,5\r\n01.05.2026 00:03:00;1'234,5;4,5\r\n";
    const report = await importText('ru.csv', text);
    const expected = 'a number (decimal point or decimal comma, no thousands separator)';
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([
      [2, 'ТК1.Объём, л', expected, '12\u00a0345,60'],
      [3, 'ТК1.Объём, л', expected, '13\u202f345,85'],
      [4, 'ТК1.Объём, л', expected, '1\u2019234,5'],
      [5, 'ТК1.Объём, л', expected, "1'234,5"],
    ]);
    expect(archive.h.kindOf('ТК1.Объём, л')).toBeUndefined(); // no text tag of numbers
    const T = (m: number) => Date.UTC(2026, 4, 1, 0, m);
    expect(raw('ТК2.Уровень')).toEqual([[T(0), 1.5], [T(1), 2.5], [T(2), 3.5], [T(3), 4.5]]);
  });
});

describe('a header whose names hold another delimiter', () => {
  it('reads a semicolon file with commas in its names by the delimiter that splits the first row as the header', async () => {
    const text = 'Zeitstempel;Druck, bar;Temp, C, Tank 2\r\n01.05.2026 12:00:00;1;2\r\n01.05.2026 12:01:00;3,5;4\r\n';
    const report = await importText('de-sniff.csv', text);
    expect([report.fileError, report.rejections.count, report.summary?.delimiter]).toEqual([undefined, 0, ';']);
    const T = (m: number) => Date.UTC(2026, 4, 1, 12, m);
    expect(raw('Druck, bar')).toEqual([[T(0), 1], [T(1), 3.5]]);
    expect(raw('Temp, C, Tank 2')).toEqual([[T(0), 2], [T(1), 4]]);
  });

  it('says which delimiter it split the header at and which option to give when no time column is found', async () => {
    // The first row has a field more than the header: neither delimiter splits both alike, the header's commas win.
    const text = 'Zeitstempel;Druck, bar;Temp, C, Tank 2\n01.05.2026 12:00:00;1;2;3\n';
    const report = await importText('mis.csv', text);
    expect(report.fileError).toBe('mis.csv:1: no time column: expected a column named time, timestamp, datetime, date_time, Time Stamp, ' +
      'Date/Time, ts, date (+ time), or times in the first column (or --time-column <name>); got header "Zeitstempel;Druck, bar;Temp, C, Tank 2" ' +
      'and line 2 starts with "01.05.2026 12:00:00;1;2;3"; the lines were split at each comma (the delimiter detected): ' +
      "if the file's delimiter is the semicolon, import it again with --delimiter semicolon");
    expect(archive.h.kindOf('Druck')).toBeUndefined();
  });
});
