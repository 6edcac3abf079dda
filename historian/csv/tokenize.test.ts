import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvTokenizer, sniffDelimiter } from './tokenize.js';

function tokenize(text: string, chunk = text.length || 1, delimiter?: string) {
  const out: (string[] | string)[] = [];
  const lines: [number, number][] = [];
  const t = new CsvTokenizer({
    record: (fields, line, end) => { out.push(fields); lines.push([line, end]); },
    badRecord: (line, end, field, message, got) => { out.push(`bad ${line}-${end} field ${field}: ${message} [${got}]`); lines.push([line, end]); },
  }, delimiter);
  for (let i = 0; i < text.length; i += chunk) t.push(text.slice(i, i + chunk));
  t.end();
  return { out, lines, delimiter: t.delimiter };
}

describe('sniffDelimiter', () => {
  it('picks the delimiter seen most often in the header, outside quotes', () => {
    expect(sniffDelimiter('time,A,B')).toBe(',');
    expect(sniffDelimiter('datetime;Accelerometer1RMS;Temperature;Pressure')).toBe(';');
    expect(sniffDelimiter('time\tA, kPa\tB, kPa')).toBe('\t');
    expect(sniffDelimiter('time|A|B')).toBe('|');
    expect(sniffDelimiter('"time;utc","A;1","B;2",C')).toBe(',');
    expect(sniffDelimiter('time')).toBe(',');
  });

  it('with the first data row, picks the delimiter that splits it into as many fields as the header', () => {
    expect(sniffDelimiter('Zeitstempel;Druck, bar;Temp, C, Tank 2', '01.05.2026 12:00:00;1;2')).toBe(';');
    expect(sniffDelimiter('time,A;1,B;2', '2026-05-01T00:00:00Z,1,2')).toBe(',');
    expect(sniffDelimiter('Zeit;Druck, bar', '01.05.2026 12:00:00;1,5')).toBe(';'); // both alike: the rarer in names
    expect(sniffDelimiter('Zeitstempel;Druck, bar;Temp, C, Tank 2', '01.05.2026 12:00:00;1;2;3')).toBe(','); // none alike: the header's
  });

  it('holds a header with two candidates until the first data row, whatever the chunking; alone, it is read by itself', () => {
    const text = 'Zeitstempel;Druck, bar;Temp, C, Tank 2\r\n\r\n01.05.2026 12:00:00;1,5;2\r\n01.05.2026 12:01:00;3;4\r\n';
    for (const chunk of [1, 7, text.length]) {
      expect(tokenize(text, chunk)).toEqual({
        out: [['Zeitstempel', 'Druck, bar', 'Temp, C, Tank 2'], ['01.05.2026 12:00:00', '1,5', '2'], ['01.05.2026 12:01:00', '3', '4']],
        lines: [[1, 1], [3, 3], [4, 4]],
        delimiter: ';',
      });
    }
    expect(tokenize('a;b, c, d')).toEqual({ out: [['a;b', ' c', ' d']], lines: [[1, 1]], delimiter: ',' });
    expect(tokenize('a;b, c\n')).toEqual({ out: [['a', 'b, c']], lines: [[1, 1]], delimiter: ';' });
  });
});

describe('CsvTokenizer', () => {
  it('splits plain lines, skips empty ones, ends lines at LF or CRLF, keeps the last line without a line end', () => {
    const { out, lines, delimiter } = tokenize('a;b\r\n1;2\r\n\r\n3;4\n5;6');
    expect(delimiter).toBe(';');
    expect(out).toEqual([['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6']]);
    expect(lines).toEqual([[1, 1], [2, 2], [4, 4], [5, 5]]);
  });
  it('reads quoted fields: delimiters, "" and line ends inside; a quote inside an unquoted field is data', () => {
    const { out, lines } = tokenize('"time","tag ""x""",v\r\n1,"a,b",2\r\n2,"two\r\nlines",3\n3,5"C,4\n');
    expect(out).toEqual([['time', 'tag "x"', 'v'], ['1', 'a,b', '2'], ['2', 'two\r\nlines', '3'], ['3', '5"C', '4']]);
    expect(lines).toEqual([[1, 1], [2, 2], [3, 4], [5, 5]]);
  });
  it('ends a line at a lone CR (old Mac files), at LF and at CRLF, whatever the chunking (a CR at a chunk end waits for an LF)', () => {
    const text = 'time,A\r2024-05-01T12:00:00Z,1\r2024-05-01T12:00:01Z,2\r\r3,4\n5,6\r\n7,8\r';
    const want = [['time', 'A'], ['2024-05-01T12:00:00Z', '1'], ['2024-05-01T12:00:01Z', '2'], ['3', '4'], ['5', '6'], ['7', '8']];
    for (let chunk = 1; chunk <= text.length; chunk++) {
      const { out, lines } = tokenize(text, chunk);
      expect(out, `chunk ${chunk}`).toEqual(want);
      expect(lines, `chunk ${chunk}`).toEqual([[1, 1], [2, 2], [3, 3], [5, 5], [6, 6], [7, 7]]);
    }
  });
  it('keeps the line ends inside a quoted field as written: CRLF, LF or a lone CR', () => {
    for (let chunk = 1; chunk <= 12; chunk++) {
      const { out, lines } = tokenize('t,tag,v\r\n1,S,"a\r\nb\nc\rd"\r\n2,S,"e\r"\r\n', chunk);
      expect(out, `chunk ${chunk}`).toEqual([['t', 'tag', 'v'], ['1', 'S', 'a\r\nb\nc\rd'], ['2', 'S', 'e\r']]);
      expect(lines, `chunk ${chunk}`).toEqual([[1, 1], [2, 5], [6, 7]]);
    }
  });
  it('reports text after a closing quote and a quote never closed, with their lines', () => {
    const { out } = tokenize('a,b\n1,"2"x\n3,4\n5,"6\n7,8\n');
    expect(out).toEqual([
      ['a', 'b'],
      'bad 2-2 field 1: RFC 4180 quoting (a delimiter or the line end right after a closing quote) [1,"2"x]',
      ['3', '4'],
      'bad 4-5 field 1: a closing quote: the quote opened on line 4 is never closed, so lines 4 to 5 were read as one field and none was imported [lines 4-5]',
    ]);
  });
  it('gives the same records whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(fc.constantFrom('', 'x', '1,5', 'a"b', 'q"', '\r', 'l\nm', '"'), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (records, chunk) => {
          const text = records.map((r) => r.map((f) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f)).join(',')).join('\r\n');
          const whole = tokenize(text, text.length || 1, ',');
          expect(tokenize(text, chunk, ',').out).toEqual(whole.out);
          expect(whole.out).toEqual(records);
        },
      ),
      { numRuns: 200 },
    );
  });
});
