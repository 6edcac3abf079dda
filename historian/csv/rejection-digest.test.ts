import { describe, expect, it } from 'vitest';
import { digestRejections, formatDigest } from './rejection-digest.js';
import { RejectionLog } from './rejection-log.js';
import type { Rejection } from './records.js';

const ORDER = 'ISO 8601 time; DD/MM/YYYY or MM/DD/YYYY only with a date order (--date-order dmy|mdy)';
const time = (line: number, got: string): Rejection => ({ file: 'f.csv', line, field: 'Time', expected: ORDER, got });
const value = (line: number, got: string): Rejection => ({ file: 'f.csv', line, field: 'TI101', expected: 'a number', got });
const duplicate = (line: number, of: number): Rejection => ({ file: 'f.csv', line, field: 'TI101', expected: '', got: '', message: `duplicate of line ${of}` });

describe('rejected lines, listed per problem', () => {
  it('lists the first lines of each problem and counts the rest with their first and last line', () => {
    const rs = [time(2, '1/2/2018 0:00'), value(3, 'x'), time(4, '1/2/2018 0:01'), time(5, '1/2/2018 0:02'), value(6, 'y'), time(9, '1/2/2018 0:03')];
    expect(formatDigest(digestRejections(rs, 2))).toEqual([
      'f.csv:2: field "Time": expected ' + ORDER + '; got "1/2/2018 0:00"',
      'f.csv:3: field "TI101": expected a number; got "x"',
      'f.csv:4: field "Time": expected ' + ORDER + '; got "1/2/2018 0:01"',
      'f.csv:6: field "TI101": expected a number; got "y"',
      'f.csv: 2 more lines rejected for the same problem, lines 5 to 9: field "Time": expected ' + ORDER + '; got "1/2/2018 0:02"',
      'f.csv: the file writes dates as nn/nn/YYYY and none of them has a part above 12 to tell the day from the month: ' +
        'import it again with --date-order dmy or --date-order mdy, as the system that wrote it writes dates',
    ]);
  });

  it('counts duplicates of different lines as one problem', () => {
    const d = digestRejections([duplicate(10, 2), duplicate(11, 3), duplicate(12, 4)], 1);
    expect(d.listed.map((r) => r.line)).toEqual([10]);
    expect(d.more).toEqual([{ file: 'f.csv', field: 'TI101', problem: 'duplicate of line 3', count: 2, lines: 2, first: 11, last: 12 }]);
  });

  it('says which date order the refused dates show, naming the first line that shows it', () => {
    expect(digestRejections([time(2, '03/01/2018 10:00'), time(3, '13/01/2018 10:00'), time(4, '14/01/2018')]).dateOrder)
      .toEqual({ order: 'dmy', line: 3, got: '13/01/2018 10:00' });
    expect(digestRejections([time(2, '03/01/2018'), time(7, '01/25/2018 1:00 PM')]).dateOrder).toEqual({ order: 'mdy', line: 7, got: '01/25/2018 1:00 PM' });
    expect(formatDigest(digestRejections([time(7, '01/25/2018')])).at(-1))
      .toBe('f.csv: the file writes dates as nn/nn/YYYY, month first (line 7: "01/25/2018"): import it again with --date-order mdy (its lines archived already are not archived twice)');
  });

  it('gives no date order when the dates show both (a file of two sources) and no hint without such refusals', () => {
    expect(digestRejections([time(2, '13/01/2018'), time(3, '01/13/2018')]).dateOrder).toBeUndefined();
    expect(digestRejections([value(2, 'x')]).dateOrder).toBeUndefined();
    expect(formatDigest(digestRejections([value(2, 'x')]))).toEqual(['f.csv:2: field "TI101": expected a number; got "x"']);
  });

  it('a problem of samples (a duplicate time of each of 3 tags a line): the rest said as samples on so many lines, from the log as from the array', () => {
    // As the importer pushes them: tag by tag, lines 2..201 each (the archive's duplicates of a repeated hour).
    const dup = (line: number, tag: string): Rejection => ({ file: 'f.csv', line, field: 'time', expected: '', got: '', message: `duplicate of line ${line + 1000} (tag ${tag})` });
    const rs = ['P1', 'P2', 'P3'].flatMap((tag) => Array.from({ length: 200 }, (_, i) => dup(2 + i, tag)));
    const expected = 'f.csv: 500 more samples rejected on 167 lines for the same problem, lines 35 to 201: field "time": duplicate of line 1035 (tag P2)';
    // 100 listed: lines 2..34 (3 each, 99) and line 35's first; the rest is 600 - 100 samples on lines 35..201 (167 lines).
    const sorted = [...rs].sort((a, b) => a.line - b.line);
    expect(formatDigest(digestRejections(sorted)).at(-1)).toBe(expected);
    const log = new RejectionLog();
    for (const r of rs) log.push(r);
    expect(formatDigest(log.digest()).at(-1)).toBe(expected);
    expect(log.lines).toBe(200);
    const half = new RejectionLog(), rest = new RejectionLog(); // a window's log absorbed (import.ts)
    for (const r of rs.slice(0, 300)) half.push(r);
    for (const r of rs.slice(300)) rest.push(r);
    half.absorb(rest);
    expect(formatDigest(half.digest()).at(-1)).toBe(expected);
  });

  it('one rejection a line: the rest is said as lines', () => {
    const log = new RejectionLog();
    for (let line = 2; line < 302; line++) log.push(value(line, 'x'));
    expect(formatDigest(log.digest()).at(-1)).toBe('f.csv: 200 more lines rejected for the same problem, lines 102 to 301: field "TI101": expected a number; got "x"');
  });
});
