import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { Flag, type TagKind } from '../types.js';
import { BadSensorFailure } from '../status.js';
import type { Sample } from '../types.js';
import { CsvFileError, readCsv, type CsvReadOptions, type CsvSummary, type Rejection } from './read.js';

interface CsvRow {
  line: number;
  tag: string;
  sample: Sample;
}

async function read(content: string | Buffer, opts: Partial<CsvReadOptions> = {}, chunk = 7) {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // small chunks: multi-byte characters and records straddle chunk edges
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const rows: CsvRow[] = [];
  const rejections: Rejection[] = [];
  let summary: CsvSummary | undefined;
  for await (const b of readCsv(Readable.from(chunks), { file: 'in.csv', kindOf: () => undefined, ...opts })) {
    for (const [tag, r] of b.tags) r.samples.forEach((sample, i) => rows.push({ line: r.lines[i], tag, sample }));
    rejections.push(...b.rejections);
    summary = b.summary;
  }
  rows.sort((a, b) => a.line - b.line); // stable: a wide line keeps its column order
  rejections.sort((a, b) => a.line - b.line);
  return { rows, rejections, summary: summary as CsvSummary };
}

const T0 = Date.UTC(2024, 4, 1, 12);

describe('readCsv long format', () => {
  it('reads time,tag,value,status with every status form and value kind', async () => {
    const kinds: Record<string, TagKind> = { 'TK1.Level': 'analog', 'P1.Run': 'discrete', 'TK1.Mode': 'text' };
    const { rows, rejections } = await read(
      [
        'time,tag,value,status',
        '2024-05-01T12:00:00Z,TK1.Level,12.5,Good',
        '2024-05-01T14:00:01+02:00,TK1.Level,-1e3,0x808C0000',
        `${T0 + 2000},TK1.Level,,BadSensorFailure`,
        '2024-05-01T12:00:03Z,P1.Run,true,',
        '2024-05-01T12:00:04Z,TK1.Mode,"Filling, slowly",Uncertain',
        '2024-05-01T12:00:05Z,TK1.Mode,"two\nlines",0',
        '2024-05-01T12:00:06Z,TK1.Level,°C?,Good',
      ].join('\r\n'),
      { kindOf: (t) => kinds[t] },
    );
    expect(rows.map((r) => [r.line, r.tag, r.sample.t, r.sample.value, r.sample.status])).toEqual([
      [2, 'TK1.Level', T0, 12.5, 0],
      [3, 'TK1.Level', T0 + 1000, -1000, BadSensorFailure],
      [4, 'TK1.Level', T0 + 2000, NaN, BadSensorFailure], // no value
      [5, 'P1.Run', T0 + 3000, true, 0],
      [6, 'TK1.Mode', T0 + 4000, 'Filling, slowly', 0x40000000],
      [7, 'TK1.Mode', T0 + 5000, 'two\nlines', 0],
    ]);
    expect(rejections).toEqual([
      expect.objectContaining({ file: 'in.csv', line: 9, field: 'value', got: '°C?', expected: expect.stringMatching(/number/) }),
    ]);
  });

  it('reports bad numbers, bad times, unknown statuses and wrong column counts line by line, keeping good lines', async () => {
    const { rows, rejections } = await read(
      [
        'time,tag,value,status',
        '2024-05-01T12:00:00Z,A,1,Good',
        '2024-05-01T12:00:01Z,A,1.2.3,Good',
        '2024-13-01T12:00:00Z,A,2,Good',
        'yesterday,A,2,Good',
        '2024-05-01T12:00:02Z,A,3,Fine',
        '2024-05-01T12:00:03Z,A,4',
        '2024-05-01T12:00:04Z,A,5,Good,extra',
        '',
        '2024-05-01T12:00:05Z,A,"6",Good',
        '2024-05-01T12:00:06Z,A,"7"x,Good',
        '2024-05-01T12:00:07Z,A,8,Good',
      ].join('\n'),
    );
    expect(rows.map((r) => [r.line, r.sample.value])).toEqual([[2, 1], [10, 6], [12, 8]]);
    expect(rejections.map((r) => [r.line, r.field])).toEqual([
      [3, 'value'], [4, 'time'], [5, 'time'], [6, 'status'], [7, 'record'], [8, 'record'], [11, 'value'],
    ]);
    expect(rejections[0].expected).toMatch(/number/);
    expect(rejections[1].expected).toMatch(/calendar date/);
    expect(rejections[3].expected).toMatch(/status/);
    expect(rejections[4].expected).toMatch(/4 fields/);
  });

  it('infers unknown tags: numbers are analog, true/false discrete, a tag of words only text', async () => {
    const { rows, rejections } = await read('time,tag,value\n2024-05-01T12:00:00Z,N,3\n2024-05-01T12:00:00Z,B,FALSE\n2024-05-01T12:00:00Z,S,open\n2024-05-01T12:00:01Z,N,true\n2024-05-01T12:00:01Z,S, shut \n');
    expect(rows.map((r) => [r.tag, r.sample.value])).toEqual([['N', 3], ['B', false], ['S', 'open'], ['S', 'shut']]); // unquoted: trimmed
    expect(rejections.map((r) => [r.line, r.field])).toEqual([[5, 'value']]);
    const asText = await read('time,tag,value\n2024-05-01T12:00:00Z,S,3\n', { newTagKind: 'text' });
    expect(asText.rows[0].sample.value).toBe('3');
  });

  it('holds the words of an unknown tag until a number says it is analog: then they are rejected, lines and all', async () => {
    // Words that are no PI system state (those are Bad samples, import-pi-states.test.ts).
    const lines = ['time,tag,value,status', '2024-05-01T12:00:00Z,P,Calibrating,Good', '2024-05-01T12:00:01Z,P,offline,Bad',
      '2024-05-01T12:00:02Z,P,4.5,Good', '2024-05-01T12:00:03Z,P,stopped,Good', '2024-05-01T12:00:04Z,Q,"1,234.5",Good', '2024-05-01T12:00:05Z,Q,on,Good', ''];
    for (const batchSize of [1, 50_000]) {
      const { rows, rejections } = await read(lines.join('\n'), { batchSize });
      expect(rows.map((r) => [r.line, r.tag, r.sample.value])).toEqual([[4, 'P', 4.5], [7, 'Q', 'on']]);
      expect(rejections.map((r) => [r.line, r.field, r.got])).toEqual([[2, 'value', 'Calibrating'], [3, 'value', 'offline'], [5, 'value', 'stopped'], [6, 'value', '1,234.5']]);
      expect(rejections[0].expected).toBe('a number (decimal point, no thousands separator)');
    }
  });

  it('rejects held words as true/false once a tag shows it is discrete; a padded number or NaN is never a word', async () => {
    const { rows, rejections } = await read(['time,tag,value,status', '2024-05-01T12:00:00Z,V,open,Good', '2024-05-01T12:00:01Z,V,TRUE,Good',
      '2024-05-01T12:00:02Z,N, 3 ,Good', '2024-05-01T12:00:03Z,M, NaN ,Good', '2024-05-01T12:00:04Z,M,5,Good', ''].join('\n'));
    expect(rows.map((r) => [r.line, r.tag, r.sample.value])).toEqual([[3, 'V', true], [4, 'N', 3], [6, 'M', 5]]);
    expect(rejections.map((r) => [r.line, r.field, r.expected])).toEqual([
      [2, 'value', 'true or false, or an integer state (0, 1, an enumeration\'s 2, 3, -1)'],
      [5, 'value', 'a number (decimal point, no thousands separator); empty only with a Bad status'],
    ]);
  });

  it('makes a tag text after 1,000 words in a row, whatever comes after', async () => {
    const word = (n: number) => Array.from({ length: n }, (_, i) => `${new Date(T0 + i * 1000).toISOString()},S,RUN`);
    const text = await read(['time,tag,value', ...word(1000), `${new Date(T0 + 1e6).toISOString()},S,12.5`, ''].join('\n'), { batchSize: 64 }, 4096);
    expect(text.rows).toHaveLength(1001);
    expect(text.rows[1000].sample.value).toBe('12.5');
    expect(text.rejections).toEqual([]);
    const analog = await read(['time,tag,value', ...word(999), `${new Date(T0 + 1e6).toISOString()},S,12.5`, ''].join('\n'), { batchSize: 64 }, 4096);
    expect(analog.rows.map((r) => r.sample.value)).toEqual([12.5]);
    expect(analog.rejections).toHaveLength(999);
    // A wide column made text keeps what follows as written, "NA" too (a text tag's value, not a missing cell).
    const at = (i: number) => new Date(T0 + i * 1000).toISOString();
    const wide = await read(['time,S', ...Array.from({ length: 1000 }, (_, i) => `${at(i)},RUN`), `${at(1000)},NA`, ''].join('\n'), { batchSize: 64 }, 4096);
    expect(wide.rows).toHaveLength(1001);
    expect(wide.rows[1000].sample.value).toBe('NA');
    expect(wide.summary.missing).toBe(0);
  });

  it('reads back its own export columns (status_code preferred, without the InfoType a read adds; the flags the archive keeps)', async () => {
    const { rows } = await read('time,tag,value,unit,status,status_code,flags\r\n2024-05-01T12:00:00.000Z,A,1.5,m,BadSensorFailure,0x808C0400,Interpolated\r\n' +
      '2024-05-01T12:00:01.000Z,A,2,m,Good,0x00000600,Cyclic|Bounding\r\n2024-05-01T12:00:02.000Z,A,3,m,Good,0x00000400,Backfilled\r\n' +
      '2024-05-01T12:00:03.000Z,A,4,m,Good,0x00000400,Annotated\r\n');
    // Part 11: InfoType DataValue and the historian bits are a read's; the limit bits (0x600: High) the source's. Interpolated
    // and Bounding are a read's flags, Cyclic and Backfilled the archive's; another tool's word says nothing of them.
    expect(rows.map((r) => r.sample)).toEqual([
      { t: T0, value: 1.5, status: 0x808c0000, flags: 0 },
      { t: T0 + 1000, value: 2, status: 0x00000600, flags: Flag.Cyclic },
      { t: T0 + 2000, value: 3, status: 0, flags: Flag.Backfilled },
      { t: T0 + 3000, value: 4, status: 0 },
    ]);
  });
});

describe('readCsv unclosed quote', () => {
  it('names the line where the quote opened and the lines it swallowed', async () => {
    const { rows, rejections } = await read('time,tag,value\n2024-05-01T12:00:00Z,A,1\n\n2024-05-01T12:00:01Z,"A,2\n2024-05-01T12:00:02Z,A,3\n');
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ line: 4, field: 'record', got: 'lines 4-5' });
    expect(rejections[0].expected).toMatch(/quote opened on line 4 is never closed/);
  });
});

describe('readCsv last line without a line end', () => {
  it('says which line it is (it may be cut short) and reads it; says nothing when the file ends with LF, CRLF or a lone CR', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const lines = ['time,tag,value', '2024-05-01T12:00:00Z,A,1', '2024-05-01T12:00:01Z,A,2.5'];
      for (const chunk of [1, 5, 4096]) {
        const cut = await read(lines.join(eol), {}, chunk);
        expect([cut.summary.noLineEnd, cut.rows.map((r) => [r.line, r.sample.value]), cut.rejections]).toEqual([3, [[2, 1], [3, 2.5]], []]);
        const ended = await read(lines.join(eol) + eol, {}, chunk);
        expect([ended.summary.noLineEnd, ended.rows.length]).toEqual([undefined, 2]);
      }
    }
    expect((await read('time,tag,value\n2024-05-01T12:00:00Z,A,"x\ny"', { newTagKind: 'text' })).summary.noLineEnd).toBe(3); // the record's last line
    expect((await read('time,tag,value\n2024-05-01T12:00:00Z,A,1\n,,')).summary.noLineEnd).toBeUndefined(); // only delimiters: nothing read from it
  });
});

describe('readCsv wide format', () => {
  it('reads time,<tags> with empty cells as no sample and rejects bad cells alone', async () => {
    const { rows, rejections } = await read('time,A,B\n2024-05-01T12:00:00Z,1,2\n2024-05-01T12:00:01Z,,x\n2024-05-01T12:00:02Z,3,4\nnope,5,6\n', { format: 'auto' });
    expect(rows.map((r) => [r.line, r.tag, r.sample.value])).toEqual([[2, 'A', 1], [2, 'B', 2], [4, 'A', 3], [4, 'B', 4]]);
    expect(rejections.map((r) => [r.line, r.field])).toEqual([[3, 'B'], [5, 'time']]);
  });
  it('reads a state column of words as a text tag, beside the numbers and a pandas index', async () => {
    const { rows, rejections, summary } = await read(
      ',timestamp,sensor_00,machine_status\n0,2018-04-01 00:00:00,2.465394,NORMAL\n1,2018-04-01 00:01:00,,NORMAL\n2,2018-04-01 00:02:00,2.444734,BROKEN\n',
      { batchSize: 1 });
    expect(rows.map((r) => [r.line, r.tag, r.sample.value])).toEqual([
      [2, 'sensor_00', 2.465394], [2, 'machine_status', 'NORMAL'], [3, 'machine_status', 'NORMAL'], [4, 'sensor_00', 2.444734], [4, 'machine_status', 'BROKEN'],
    ]);
    expect(rejections).toEqual([]);
    expect(summary).toMatchObject({ samples: 5, missing: 1, ignored: ['column 1'] });
  });
  it('says a file separated by spaces has no delimiter, not that it has no time column', async () => {
    for (const text of ['time value\n2024-05-01T12:00:00Z 1\n', 'Date       Time      Level\n01.05.2024 12:00:00 1.5\n']) {
      await expect(read(text)).rejects.toThrow(/^in\.csv:1: no delimiter: the header line holds no comma, semicolon, tab or pipe, only spaces between its names/);
    }
    await expect(read('level\n5\n')).rejects.toThrow(/no time column/); // one column: no time column it is
    // Numbers where the header should be (the Tennessee Eastman set's d01.dat: 52 columns, e-notation, no times): a data row, not names.
    const te = Array.from({ length: 52 }, (_, i) => `${(i + 1) / 4}000000e+0${i % 4}`);
    await expect(read(`  ${te.join('   ')}\n  ${te.join('   ')}\n`)).rejects.toThrow(new RegExp(
      '^in\\.csv:1: no header: line 1 holds 52 numbers separated by spaces, a data row; expected a CSV file: a header row naming the columns, ' +
      'a time column among them \\(time,<tag1>,<tag2>,\\.\\.\\. or time,tag,value\\), a time on every row and the columns separated by a comma, ' +
      'semicolon, tab or pipe; got "  0\\.25000000e\\+00   0\\.5000000e\\+01'));
    await expect(read('# Logger: XYZ\n# Site: Plant 1\ntime,A\n2024-05-01T12:00:00Z,1\n')).rejects.toThrow(/^in\.csv:1: the first line is a comment, not a header/);
  });
  it('refuses a header with duplicate or missing tags', async () => {
    await expect(read('time,A,A\n')).rejects.toThrow(/in\.csv:1: column 3: name "A" appears twice in header \(also column 2\)/);
    await expect(read('2024-05-01T12:00:00Z,A,1\n')).rejects.toThrow(/expected a header row/);
    await expect(read('0.05,12.5,3.1\n0.1,12.6,3.2\n')).rejects.toThrow(/expected a header row/);
    await expect(read('')).rejects.toThrow(CsvFileError);
  });
});

describe('readCsv encodings', () => {
  it('rejects lines with invalid UTF-8 (mixed encodings) and keeps the others', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('time,tag,value\n2024-05-01T12:00:00Z,A,1\n2024-05-01T12:00:01Z,Temp'),
      Buffer.from([0xb0]), // Latin-1 degree sign
      Buffer.from('C,2\n2024-05-01T12:00:02Z,Ünit,3\n2024-05-01T12:00:03Z,A,4\n'),
    ]);
    for (const chunk of [1, 3, 64]) {
      const { rows, rejections } = await read(latin1, {}, chunk);
      expect(rows.map((r) => [r.line, r.tag])).toEqual([[2, 'A'], [4, 'Ünit'], [5, 'A']]);
      expect(rejections).toHaveLength(1);
      expect(rejections[0]).toMatchObject({ line: 3, field: 'tag' });
      expect(rejections[0].expected).toMatch(/UTF-8.*0xB0 at byte 26/);
    }
  });
  it('rejects overlong and truncated sequences', async () => {
    const bad = Buffer.concat([
      Buffer.from('time,tag,value\n2024-05-01T12:00:00Z,A'),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from(',1\n2024-05-01T12:00:01Z,B'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from(',2\n2024-05-01T12:00:02Z,C,3\n'),
    ]);
    const { rows, rejections } = await read(bad);
    expect(rows.map((r) => r.tag)).toEqual(['C']);
    expect(rejections.map((r) => r.line)).toEqual([2, 3]);
  });
  it('accepts a UTF-8 byte-order mark, reads UTF-16 by its mark, and refuses UTF-16 without one whole', async () => {
    const bom = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('time,tag,value\n2024-05-01T12:00:00Z,A,1\n')]));
    expect(bom.rows).toHaveLength(1);
    for (const [mark, encoding] of [[[0xff, 0xfe], 'utf16le'], [[0xfe, 0xff], 'utf16be']] as const) {
      const text = Buffer.from('time,tag,value\n2024-05-01T12:00:00Z,A,1\n', 'utf16le');
      if (encoding === 'utf16be') text.swap16();
      expect((await read(Buffer.concat([Buffer.from(mark), text]))).rows).toHaveLength(1);
    }
    await expect(read(Buffer.from('time,tag,value\n', 'utf16le'))).rejects.toThrow(/NUL bytes/);
  });
  it('says a gzip, zip, xlsx or xls file is not CSV text (by its magic number), not "UTF-16 without byte-order mark"', async () => {
    const { gzipSync } = await import('node:zlib');
    const gz = gzipSync(Buffer.from('time,A\n2024-05-01T12:00:00Z,1\n'));
    // A zip's first local file header (PK 03 04, ..., name length at 26, name at 30): an xlsx starts with [Content_Types].xml and holds xl/.
    const zipOf = (name: string) => {
      const head = Buffer.alloc(30);
      head.writeUInt32LE(0x04034b50, 0);
      head.writeUInt16LE(name.length, 26);
      return Buffer.concat([head, Buffer.from(name), Buffer.from([0, 0, 0, 0])]);
    };
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const cases: [Buffer, RegExp][] = [
      [gz, /in\.csv:1: file is a gzip file, not CSV text; expected UTF-8 CSV text: decompress it first/],
      [zipOf('data.csv'), /in\.csv:1: file is a zip file, not CSV text; expected UTF-8 CSV text: extract the CSV file from it first/],
      [Buffer.concat([zipOf('[Content_Types].xml'), Buffer.from('xl/workbook.xml')]), /in\.csv:1: file is an xlsx file \(Excel workbook\), not CSV text; expected UTF-8 CSV text: save the sheet as CSV UTF-8/],
      [xls, /in\.csv:1: file is an xls file \(Excel 97-2003 workbook\), not CSV text/],
    ];
    for (const [bytes, message] of cases) {
      for (const chunk of [1, 7, 4096]) await expect(read(bytes, {}, chunk)).rejects.toThrow(message);
    }
  });
});

describe('readCsv property: every line is either imported or reported, never both, never lost', () => {
  const faults = ['good', 'number', 'time', 'columns', 'status', 'encoding', 'quote'] as const;
  it('holds for random mixes of good and malformed lines in random chunkings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...faults), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 1e9 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom('\n', '\r\n', '\r'), // LF, CRLF, or a lone CR (old Mac files)
        async (lines, chunk, eol) => {
          const parts: Buffer[] = [Buffer.from('time,tag,value,status')];
          const good: number[] = [];
          const bad: number[] = [];
          lines.forEach(([fault, value, dt], i) => {
            const line = i + 2;
            const t = new Date(T0 + dt).toISOString();
            const fields = [t, `TAG${i % 3}`, String(value), 'Good'];
            if (fault === 'number') fields[2] = `${value}x`;
            if (fault === 'time') fields[0] = t.replace('T', 'X');
            if (fault === 'columns') fields.pop();
            if (fault === 'status') fields[3] = 'Fine';
            if (fault === 'quote') fields[2] = `"${value}"z`;
            (fault === 'good' ? good : bad).push(line);
            parts.push(Buffer.from(eol));
            if (fault === 'encoding') parts.push(Buffer.from(`${fields[0]},TAG`), Buffer.from([0xff]), Buffer.from(`,${fields[2]},Good`));
            else parts.push(Buffer.from(fields.join(',')));
          });
          const { rows, rejections } = await read(Buffer.concat(parts), { kindOf: () => 'analog' }, chunk);
          expect(rows.map((r) => r.line)).toEqual(good);
          expect([...new Set(rejections.map((r) => r.line))]).toEqual(bad);
          for (const r of rows) expect(r.sample.value).toBe(lines[r.line - 2][1] === 0 ? 0 : lines[r.line - 2][1]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
