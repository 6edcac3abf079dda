/** Files shaped like public process datasets (SKAB, NAB, loggers, spreadsheets): read through readCsv. */
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import type { Value } from '../types.js';
import { readCsv, type CsvReadOptions, type CsvSummary, type Rejection } from './read.js';
import { parseZone } from './zone.js';

async function read(content: string | Buffer, opts: Partial<CsvReadOptions> = {}, chunk = 5) {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const rows: [number, string, number, Value][] = [];
  const rejections: Rejection[] = [];
  let summary: CsvSummary | undefined;
  for await (const b of readCsv(Readable.from(chunks), { file: 'in.csv', kindOf: () => undefined, ...opts })) {
    for (const [tag, r] of b.tags) r.samples.forEach((s, i) => rows.push([r.lines[i], tag, s.t, s.value]));
    rejections.push(...b.rejections);
    summary = b.summary;
  }
  rows.sort((a, b) => a[0] - b[0]);
  return { rows, rejections: rejections.map((r) => [r.line, r.field, r.expected, r.got]), summary: summary as CsvSummary };
}

const T = Date.UTC(2020, 2, 9, 10, 14, 33);

describe('delimiters, names and encodings', () => {
  it('reads a SKAB file: semicolon, "datetime" column, space-separated ISO time without offset', async () => {
    const { rows, rejections, summary } = await read('datetime;Accelerometer1RMS;Temperature;Pressure\n2020-03-09 10:14:33;0.0264;89.7;0.054\n2020-03-09 10:14:34;0,0265;89.8;0.055\n');
    expect(rejections).toEqual([]);
    expect(rows).toEqual([
      [2, 'Accelerometer1RMS', T, 0.0264], [2, 'Temperature', T, 89.7], [2, 'Pressure', T, 0.054],
      [3, 'Accelerometer1RMS', T + 1000, 0.0265], [3, 'Temperature', T + 1000, 89.8], [3, 'Pressure', T + 1000, 0.055],
    ]);
    expect(summary).toMatchObject({ format: 'wide', delimiter: ';', decimalComma: true, timeField: 'datetime', timeFormat: 'ISO 8601 without offset', rows: 2, samples: 6, missing: 0, first: T, last: T + 1000 });
  });
  it('sniffs tab and pipe, and takes --delimiter when given', async () => {
    const tab = await read('Timestamp\tFT-101\tTT-101\n2020-03-09T10:14:33Z\t1.5\t20\n');
    expect(tab.rows.map((r) => r[1])).toEqual(['FT-101', 'TT-101']);
    expect(tab.summary.delimiter).toBe('\t');
    const pipe = await read('ts|A\n2020-03-09 10:14:33|7\n');
    expect(pipe.rows).toEqual([[2, 'A', T, 7]]);
    const forced = await read('time;A,B\n2020-03-09 10:14:33;1,5\n', { delimiter: ';' });
    expect(forced.rows).toEqual([[2, 'A,B', T, 1.5]]);
  });
  it('strips a UTF-8 byte-order mark, reads CRLF and quoted header names', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('"Time Stamp","Level, m"\r\n"2020-03-09 10:14:33","2.5"\r\n')]);
    for (const chunk of [1, 2, 64]) {
      const { rows, summary } = await read(bom, {}, chunk);
      expect(rows).toEqual([[2, 'Level, m', T, 2.5]]);
      expect(summary.timeField).toBe('Time Stamp');
    }
  });
  it('takes the delimiter from an Excel "sep=" line', async () => {
    const { rows, summary } = await read('sep=;\r\ntime;A\r\n2020-03-09 10:14:33;1,25\r\n');
    expect(rows).toEqual([[3, 'A', T, 1.25]]);
    expect(summary.delimiter).toBe(';');
    expect((await read('sep=;\ntime;A\n2020-03-09 10:14:33;1\n', { delimiter: ';' })).rows).toEqual([[3, 'A', T, 1]]);
  });
  it('ignores an unnamed first column (a pandas index) and a trailing delimiter, and says so', async () => {
    const pandas = await read(',timestamp,value\n0,2020-03-09 10:14:33,5\n1,2020-03-09 10:14:34,6\n');
    expect(pandas.rows).toEqual([[2, 'value', T, 5], [3, 'value', T + 1000, 6]]);
    expect(pandas.summary.ignored).toEqual(['column 1']);
    // pandas names the index "Unnamed: 0" when it reads such a file and writes it again
    const again = await read('Unnamed: 0,timestamp,value,Unnamed: 3\n0,2020-03-09 10:14:33,5,\n');
    expect(again.rows).toEqual([[2, 'value', T, 5]]);
    expect(again.summary.ignored).toEqual(['column 1', 'column 4']);
    expect((await read('time,A,Unnamed: 2,B\n2020-03-09 10:14:33,1,2,3\n')).rows.map((r) => r[1])).toEqual(['A', 'Unnamed: 2', 'B']);
    const trailing = await read('Zeitstempel;TT1;\n09.03.2020 10:14:33;20,5;\n');
    expect(trailing.rows).toEqual([[2, 'TT1', T, 20.5]]);
    expect(trailing.summary.ignored).toEqual(['column 3']);
    const rowsOnly = await read('time;A\n2020-03-09 10:14:33;1;\n2020-03-09 10:14:34;2;x\n');
    expect(rowsOnly.rows).toEqual([[2, 'A', T, 1]]);
    expect(rowsOnly.rejections).toEqual([[3, 'record', '2 fields (time;A)', '3 fields: 2020-03-09 10:14:34;2;x']]);
    await expect(read('time,A,,B\n')).rejects.toThrow('in.csv:1: column 3: empty tag name in header');
    await expect(read('time,\n')).rejects.toThrow(/at least one named tag column/);
  });
  it('refuses duplicate column names, naming both columns', async () => {
    await expect(read('time;A;B;A\n')).rejects.toThrow('in.csv:1: column 4: name "A" appears twice in header (also column 2); expected unique column names');
  });
});

describe('the time column', () => {
  it('is found by common names in any case and position', async () => {
    for (const name of ['time', 'TIMESTAMP', 'DateTime', 'date_time', 'Time Stamp', 'Date/Time', 'ts', 'Timestamp (UTC)', 'Date']) {
      const { rows, summary } = await read(`A,${name},B\n1,2020-03-09 10:14:33,2\n`);
      expect(rows, name).toEqual([[2, 'A', T, 1], [2, 'B', T, 2]]);
      expect(summary.timeField).toBe(name);
    }
  });
  it('joins separate date and time columns', async () => {
    const { rows, summary, rejections } = await read('Date;Time;TT1\n09.03.2020;10:14:33;1,5\n09.03.2020;10:14:34;1,6\n31.02.2020;10:14:35;1,7\n');
    expect(rows).toEqual([[2, 'TT1', T, 1.5], [3, 'TT1', T + 1000, 1.6]]);
    expect(rejections).toEqual([[4, 'Date+Time', 'a valid calendar date', '31.02.2020 10:14:35']]);
    expect(summary).toMatchObject({ timeField: 'Date+Time', timeFormat: 'DD.MM.YYYY (without offset)' });
  });
  it('is the first column when no name says time but the first row holds a time there', async () => {
    const { rows, summary } = await read('stamp,A\n2020/03/09 10:14:33,4\n');
    expect(rows).toEqual([[2, 'A', T, 4]]);
    expect(summary.timeField).toBe('stamp');
    const unnamed = await read(',A\n1583748873,4\n');
    expect(unnamed.rows).toEqual([[2, 'A', T, 4]]);
    expect(unnamed.summary).toMatchObject({ timeField: 'column 1', timeFormat: 'epoch seconds' });
  });
  it('is the column --time-column names (header name in any case, or number)', async () => {
    const csv = 'Messwert;Erfasst\n3;2020-03-09 10:14:33\n';
    await expect(read(csv)).rejects.toThrow(/no time column/);
    for (const timeColumn of ['ERFASST', '2']) expect((await read(csv, { timeColumn })).rows).toEqual([[2, 'Messwert', T, 3]]);
    await expect(read(csv, { timeColumn: 'when' })).rejects.toThrow('in.csv:1: time column "when": expected a header name or a column number from 1 to 2; got header "Messwert;Erfasst"');
  });
  it('refuses a file with no time column, saying what it looked for and what it found', async () => {
    await expect(read('id,A\n1,2\n')).rejects.toThrow(/^in\.csv:1: no time column: expected a column named time, timestamp, datetime.*got header "id,A" and line 2 starts with "1"$/);
    await expect(read('id;A\n')).rejects.toThrow(/in\.csv:1: no time column.*and no data row/);
  });
  it('reads a UCI Air Quality file: Date;Time with DD/MM/YYYY and hh.mm.ss, decimal comma, trailing delimiters, delimiter-only lines', async () => {
    const csv = 'Date;Time;CO(GT);PT08.S1(CO);;\n10/03/2004;18.00.00;2,6;1360;;\n10/03/2004;19.00.00;2;1292;;\n;;;;;\n;;;;;\n';
    const { rows, rejections, summary } = await read(csv, { dateOrder: 'dmy' });
    const t = Date.UTC(2004, 2, 10, 18);
    expect(rejections).toEqual([]);
    expect(rows).toEqual([[2, 'CO(GT)', t, 2.6], [2, 'PT08.S1(CO)', t, 1360], [3, 'CO(GT)', t + 3_600_000, 2], [3, 'PT08.S1(CO)', t + 3_600_000, 1292]]);
    expect(summary).toMatchObject({ rows: 2, ignored: ['column 5', 'column 6'], timeField: 'Date+Time', timeFormat: 'DD/MM/YYYY or MM/DD/YYYY (without offset)' });
    const unordered = await read(csv);
    expect(unordered.rejections.map((r) => [r[0], r[1], r[3]])).toEqual([[2, 'Date+Time', '10/03/2004 18.00.00'], [3, 'Date+Time', '10/03/2004 19.00.00']]);
    expect(unordered.rejections[0][2]).toMatch(/--date-order dmy\|mdy/);
  });
  it('reads epoch seconds (chosen from the first row) and milliseconds; --epoch forces the unit', async () => {
    const s = await read('time,A\n1583748873,1\n1583748874.5,2\n');
    expect(s.rows.map((r) => r[2])).toEqual([T, T + 1500]);
    expect(s.summary.timeFormat).toBe('epoch seconds');
    const ms = await read('time,A\n1583748873000,1\n');
    expect(ms.rows.map((r) => r[2])).toEqual([T]);
    expect(ms.summary.timeFormat).toBe('epoch milliseconds');
    const forced = await read('time,A\n1583748873,1\n', { epoch: 'ms' });
    expect(forced.rows.map((r) => r[2])).toEqual([1583748873]);
    expect(forced.summary.timeFormat).toBe('epoch milliseconds');
  });
  it('reads times without offset in the zone given (--tz), an explicit offset winning', async () => {
    const csv = 'time,A\n2024-07-01 12:00:00,1\n2024-01-01 12:00:00,2\n2024-01-01T12:00:00Z,3\n';
    const berlin = await read(csv, { zone: parseZone('Europe/Berlin') });
    expect(berlin.rows.map((r) => r[2])).toEqual([Date.UTC(2024, 6, 1, 10), Date.UTC(2024, 0, 1, 11), Date.UTC(2024, 0, 1, 12)]);
    const fixed = await read(csv, { zone: parseZone('+02:00') });
    expect(fixed.rows.map((r) => r[2])).toEqual([Date.UTC(2024, 6, 1, 10), Date.UTC(2024, 0, 1, 10), Date.UTC(2024, 0, 1, 12)]);
  });
});

describe('cells', () => {
  it('takes a decimal comma when the delimiter is not a comma; never guesses thousands separators', async () => {
    const { rows, rejections } = await read('time;A\n2020-03-09 10:14:33;1,5\n2020-03-09 10:14:34;1.234,5\n2020-03-09 10:14:35;1,234.5\n2020-03-09 10:14:36;-2,5e3\n2020-03-09 10:14:37;1 234\n');
    expect(rows.map((r) => [r[0], r[3]])).toEqual([[2, 1.5], [5, -2500]]);
    const expected = 'a number (decimal point or decimal comma, no thousands separator)';
    expect(rejections).toEqual([[3, 'A', expected, '1.234,5'], [4, 'A', expected, '1,234.5'], [6, 'A', expected, '1 234']]);
    const comma = await read('time,A\n2020-03-09 10:14:33,"1,5"\n');
    expect(comma.rejections).toEqual([[2, 'A', 'a number (decimal point, no thousands separator)', '1,5']]);
  });
  it('counts empty, NaN, null, NA cells as no sample, without rejecting the line', async () => {
    const { rows, rejections, summary } = await read('time,A,B\n2020-03-09 10:14:33,NaN,1\n2020-03-09 10:14:34,,null\n2020-03-09 10:14:35,NA,N/A\n2020-03-09 10:14:36,2,nan\n');
    expect(rejections).toEqual([]);
    expect(rows).toEqual([[2, 'B', T, 1], [5, 'A', T + 3000, 2]]);
    expect(summary).toMatchObject({ rows: 4, samples: 2, missing: 6 });
  });
  it('names generic columns <prefix>.<column> with a tag prefix', async () => {
    const { rows } = await read('timestamp,value\n2020-03-09 10:14:33,42\n', { tagPrefix: 'NAB.ec2_cpu' });
    expect(rows).toEqual([[2, 'NAB.ec2_cpu.value', T, 42]]);
  });
  it('keeps line-by-line rejections exact in a messy wide file', async () => {
    const { rows, rejections } = await read([
      'datetime;P1;P2', '2020-03-09 10:14:33;1;2', '2020-03-09 10:14:34;x;3', '2020-13-09 10:14:35;4;5', '2020-03-09 10:14:36;6',
      '', '2020-03-09 10:14:37;"7"x;8', '2020-03-09 10:14:38;9;10',
    ].join('\r\n'));
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([[2, 'P1', 1], [2, 'P2', 2], [3, 'P2', 3], [8, 'P1', 9], [8, 'P2', 10]]);
    expect(rejections).toEqual([
      [3, 'P1', 'a number (decimal point or decimal comma, no thousands separator)', 'x'],
      [4, 'datetime', 'a valid calendar date', '2020-13-09 10:14:35'],
      [5, 'record', '3 fields (datetime;P1;P2)', '2 fields: 2020-03-09 10:14:36;6'],
      [7, 'P1', 'RFC 4180 quoting (a delimiter or the line end right after a closing quote)', '2020-03-09 10:14:37;"7"x;8'],
    ]);
  });
});

describe('long format', () => {
  it('is detected from tag and value columns with any time name and delimiter; --wide / --long force', async () => {
    const { rows, summary } = await read('Timestamp;Tag;Value;Status\n2020-03-09 10:14:33;TT1;1,5;Good\n');
    expect(rows).toEqual([[2, 'TT1', T, 1.5]]);
    expect(summary.format).toBe('long');
    const wide = await read('time,tag,value\n2020-03-09 10:14:33,1,2\n', { format: 'wide' });
    expect(wide.rows).toEqual([[2, 'tag', T, 1], [2, 'value', T, 2]]);
    await expect(read('time,A\n', { format: 'long' })).rejects.toThrow(/long format needs columns time, tag, value/);
  });

  it('a header with a tag column is long format: a misspelled value or time column refuses the file at line 1', async () => {
    for (const header of ['time,tag,valeu', 'Time,TAG,Valu', 'tme,Tag,value', 'time;tag;wret']) { // (wert, German, is a value column)
      const sep = header.includes(';') ? ';' : ',';
      await expect(read(`${header}\n2020-03-09 10:14:33${sep}TT1${sep}1\n`), header).rejects.toThrow(`in.csv:1: long format needs columns time, tag, value[, status]; got ${header}`); // as written
    }
    // --wide still reads such a header as tags.
    const wide = await read('time,tag,valeu\n2020-03-09 10:14:33,1,2\n', { format: 'wide' });
    expect(wide.rows).toEqual([[2, 'tag', T, 1], [2, 'valeu', T, 2]]);
  });

  it('a header with near misses of both tag and value is long format too', async () => {
    await expect(read('tiem,tagg,valu\n2020-03-09 10:14:33,TT1,1\n')).rejects.toThrow('in.csv:1: long format needs columns time, tag, value[, status]; got tiem,tagg,valu');
    // A wide file whose tags merely resemble the words stays wide.
    const { summary } = await read('time,tags,TT-101\n2020-03-09 10:14:33,1,2\n');
    expect(summary.format).toBe('wide');
  });
});
