/**
 * Local wall times across the DST fall-back of Europe/Berlin on 2026-10-25 (03:00 CEST, UTC+2, back
 * to 02:00 CET, UTC+1: 02:00-02:59 comes twice). A time of the repeated hour is read only where the
 * order of the file's rows says which pass it is; shuffled rows (a LIMS export, a merged file) are
 * refused, never archived an hour off. Without --tz, the repeat rejected as duplicates says local
 * time and --tz. Real archives in temp dirs; every instant is written out with Date.UTC from the
 * offsets above, not from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';
import { parseZone } from './zone.js';
import { formatRejection } from './records.js';
import { formatSummary } from './import.js';

const archive = useCsvArchive('vigil-csv-repeated-hour-');
const berlin = () => {
  const z = parseZone('Europe/Berlin');
  if (!z) throw new Error('Europe/Berlin unknown to Intl');
  return z;
};

const cest = (h: number, m: number) => Date.UTC(2026, 9, 25, h - 2, m); // UTC+2 (Date.UTC takes hour -1 as the day before)
const cet = (h: number, m: number) => Date.UTC(2026, 9, 25, h - 1, m); // UTC+1
const pad = (n: number) => String(n).padStart(2, '0');

/** Rows 01:00-03:55 every 5 min in time order: 12 CEST, the repeated hour in CEST then CET, 12 CET. */
const ROWS = Array.from({ length: 48 }, (_, i) => {
  const pass = Math.floor(i / 12); // 0: 01:xx, 1: 02:xx first, 2: 02:xx second, 3: 03:xx
  const h = [1, 2, 2, 3][pass]!, m = (i % 12) * 5;
  return { wall: `2026-10-25 ${pad(h)}:${pad(m)}:00`, t: pass < 2 ? cest(h, m) : cet(h, m), value: i + 0.5, repeated: pass === 1 || pass === 2 };
});

/** Position k of the file holds row (k * 29) % 48: 29 is prime to 48, so every row once, thoroughly shuffled. */
const SHUFFLED = ROWS.map((_, k) => ROWS[(k * 29) % 48]!);

const longFile = (rows: typeof ROWS, tag = 'LIMS.TK101.Dichte') => 'time,tag,value\n' + rows.map((r) => `${r.wall},${tag},${r.value}`).join('\n') + '\n';

const archived = (tag: string) => archive.rows(tag).map((r) => [r.t, r.value]);
const expectedOf = (rows: typeof ROWS) => rows.map((r) => [r.t, r.value]).sort((a, b) => a[0]! - b[0]!);

const REFUSED_0200 = 'lims.csv:14: field "time": expected a time that says which of its two instants it is: 2026-10-25 02:00:00 came twice in ' +
  'Europe/Berlin, as the clocks went back, first at 2026-10-25T02:00:00.000+02:00 (2026-10-25T00:00:00.000Z), then at ' +
  '2026-10-25T02:00:00.000+01:00 (2026-10-25T01:00:00.000Z); the file\'s rows are not in time order (or give this time more than twice), ' +
  'so their order cannot say which; give the times with their UTC offset (or in UTC), or sort the file by time as the rows were taken ' +
  '(both passes of the hour in order); got "2026-10-25 02:00:00"';

describe('--tz: the repeated hour of a shuffled long file is refused, never guessed', () => {
  it('refuses each of its 24 rows naming both instants; archives the other 24 at their times, no duplicates', async () => {
    const report = await archive.importText('lims.csv', longFile(SHUFFLED), { zone: berlin() });
    const refusedLines = SHUFFLED.flatMap((r, k) => (r.repeated ? [k + 2] : []));
    expect(refusedLines).toHaveLength(24);
    expect(report.rejections.listed.map((r) => r.line)).toEqual(refusedLines);
    expect(report.rejections.listed.every((r) => r.field === 'time' && r.message === undefined)).toBe(true);
    expect(SHUFFLED[12]!.wall).toBe('2026-10-25 02:00:00'); // line 14: the first pass's 02:00
    expect(formatRejection(report.rejections.listed.find((r) => r.line === 14)!)).toBe(REFUSED_0200);
    expect(archived('LIMS.TK101.Dichte')).toEqual(expectedOf(ROWS.filter((r) => !r.repeated)));
  });

  it('refuses them alike in a file read by windows of time (beyond the sort budget)', async () => {
    const report = await archive.importText('lims.csv', longFile(SHUFFLED), { zone: berlin(), sortBudget: 8 });
    expect(report.rejections.listed.map((r) => r.line)).toEqual(SHUFFLED.flatMap((r, k) => (r.repeated ? [k + 2] : [])));
    expect(formatRejection(report.rejections.listed.find((r) => r.line === 14)!)).toBe(REFUSED_0200);
    expect(archived('LIMS.TK101.Dichte')).toEqual(expectedOf(ROWS.filter((r) => !r.repeated)));
  });
});

describe('--tz: the repeated hour where the order of the rows says which pass it is', () => {
  it('reads a file in time order and a newest-first one exactly, both passes of the hour', async () => {
    expect((await archive.importText('asc.csv', longFile(ROWS, 'A'), { zone: berlin() })).rejections.count).toBe(0);
    expect((await archive.importText('desc.csv', longFile([...ROWS].reverse(), 'D'), { zone: berlin() })).rejections.count).toBe(0);
    expect(archived('A')).toEqual(expectedOf(ROWS));
    expect(archived('D')).toEqual(expectedOf(ROWS));
  });

  it('reads them exactly in a file archived as read (beyond the sort budget)', async () => {
    expect((await archive.importText('asc.csv', longFile(ROWS, 'A'), { zone: berlin(), sortBudget: 8 })).rejections.count).toBe(0);
    expect(archived('A')).toEqual(expectedOf(ROWS));
  });

  it('in a file sorted by time with tags interleaved, a tag with one row of the hour is read by the rows of the others', async () => {
    // A every 10 min at :00, B at :05 (both passes each); C once, in the second pass at 02:35; E once, in the first at 02:20.
    const rows: [string, string, number][] = [];
    const pass = (h: number, tz: 'CEST' | 'CET') => {
      for (let m = 0; m < 60; m += 5) {
        rows.push([`2026-10-25 ${pad(h)}:${pad(m)}:00`, m % 10 === 0 ? 'A' : 'B', (tz === 'CEST' ? cest : cet)(h, m)]);
        if (h === 2 && tz === 'CET' && m === 35) rows.push([`2026-10-25 02:35:00`, 'C', cet(2, 35)]);
        if (h === 2 && tz === 'CEST' && m === 20) rows.push([`2026-10-25 02:20:00`, 'E', cest(2, 20)]);
      }
    };
    pass(1, 'CEST'); pass(2, 'CEST'); pass(2, 'CET'); pass(3, 'CET');
    const text = 'time,tag,value\n' + rows.map(([wall, tag], i) => `${wall},${tag},${i}`).join('\n') + '\n';
    const report = await archive.importText('interleaved.csv', text, { zone: berlin() });
    expect(report.rejections.count).toBe(0);
    for (const tag of ['A', 'B', 'C', 'E']) {
      expect(archived(tag)).toEqual(rows.flatMap(([, t, at], i) => (t === tag ? [[at, i]] : [])));
    }
    expect(archived('C')).toEqual([[Date.UTC(2026, 9, 25, 1, 35), rows.findIndex(([, t]) => t === 'C')]]); // 02:35 CET is 01:35Z
  });

  it('refuses rows of the hour the order leaves open: a file in time order that ends within the hour', async () => {
    const text = 'time,tag,value\n2026-10-25 01:40:00,F,1\n2026-10-25 01:50:00,F,2\n2026-10-25 02:00:00,F,3\n2026-10-25 02:10:00,F,4\n';
    const report = await archive.importText('open.csv', text, { zone: berlin() });
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.got])).toEqual([[4, 'time', '2026-10-25 02:00:00'], [5, 'time', '2026-10-25 02:10:00']]);
    expect(formatRejection(report.rejections.listed[1]!)).toBe('open.csv:5: field "time": expected a time that says which of its two instants it is: ' +
      '2026-10-25 02:10:00 came twice in Europe/Berlin, as the clocks went back, first at 2026-10-25T02:10:00.000+02:00 ' +
      '(2026-10-25T00:10:00.000Z), then at 2026-10-25T02:10:00.000+01:00 (2026-10-25T01:10:00.000Z); the rows around it do not say which ' +
      '(both fit the order of the file); give the times with their UTC offset (or in UTC), or sort the file by time as the rows were taken ' +
      '(both passes of the hour in order); got "2026-10-25 02:10:00"');
    expect(archived('F')).toEqual([[cest(1, 40), 1], [cest(1, 50), 2]]);
  });
});

describe('--tz: tags and rows that say each other\'s pass, and files whose order says nothing', () => {
  // New York fell back on 2025-11-02: 02:00 EDT (UTC-4) back to 01:00 EST (UTC-5); 01:00-01:59 came twice.
  const edt = (h: number, m: number) => Date.UTC(2025, 10, 2, h + 4, m);
  const est = (h: number, m: number) => Date.UTC(2025, 10, 2, h + 5, m);
  const ny = () => parseZone('America/New_York')!;

  it('a file in time order: a tag\'s second 01:00 pins another tag\'s rows beside it, whose own rows alone cannot say', async () => {
    const text = 'Tag,Time,Value\nA,2025-11-02 00:30:00,0\nA,2025-11-02 01:00:00,1\nB,2025-11-02 01:00:00,1\nA,2025-11-02 01:00:00,2\nB,2025-11-02 01:00:00,2\n';
    expect((await archive.importText('ab.csv', text, { zone: ny() })).rejections.count).toBe(0);
    expect(archived('A')).toEqual([[edt(0, 30), 0], [edt(1, 0), 1], [est(1, 0), 2]]);
    expect(archived('B')).toEqual([[edt(1, 0), 1], [est(1, 0), 2]]);
  });

  it('refuses rows whose order is unknown: a tag\'s two 01:00 in a file of blocks running forward and newest first', async () => {
    const text = 'Tag,Time,Value\n' +
      'UP,2025-11-02 00:30:00,0\nUP,2025-11-02 01:30:00,1\nUP,2025-11-02 01:30:00,2\nUP,2025-11-02 02:30:00,3\n' +
      'DOWN,2025-11-02 02:30:00,3\nDOWN,2025-11-02 01:30:00,2\nDOWN,2025-11-02 01:30:00,1\nDOWN,2025-11-02 00:30:00,0\n' +
      'X,2025-11-02 01:00:00,1\nX,2025-11-02 01:00:00,2\n';
    const report = await archive.importText('mixed.csv', text, { zone: ny() });
    expect(report.rejections.listed.map((r) => [r.line, r.got])).toEqual([[10, '2025-11-02 01:00:00'], [11, '2025-11-02 01:00:00']]);
    expect(report.rejections.listed[0]!.expected).toContain('the rows around it do not say which');
    expect(archived('UP')).toEqual([[edt(0, 30), 0], [edt(1, 30), 1], [est(1, 30), 2], [est(2, 30), 3]]);
    expect(archived('DOWN')).toEqual([[edt(0, 30), 0], [edt(1, 30), 1], [est(1, 30), 2], [est(2, 30), 3]]);
    expect(archive.h.kindOf('X')).toBeUndefined(); // no row of it archived: the tag was not even created
  });

  it('refuses the hour of a shuffled wide file, and of every tag of a file of blocks when one block is shuffled', async () => {
    const wide = 'time,W\n' + SHUFFLED.map((r) => `${r.wall},${r.value}`).join('\n') + '\n';
    const report = await archive.importText('wide.csv', wide, { zone: berlin() });
    expect(report.rejections.listed.map((r) => r.line)).toEqual(SHUFFLED.flatMap((r, k) => (r.repeated ? [k + 2] : [])));
    expect(archived('W')).toEqual(expectedOf(ROWS.filter((r) => !r.repeated)));
    const blocks = 'time,tag,value\n' + ROWS.map((r) => `${r.wall},IN_ORDER,${r.value}`).join('\n') + '\n' + SHUFFLED.map((r) => `${r.wall},SHUFFLED,${r.value}`).join('\n') + '\n';
    const refused = await archive.importText('blocks.csv', blocks, { zone: berlin() });
    expect(refused.rejections.lines).toBe(48);
    expect(refused.rejections.listed[0]!.expected).toContain('the file\'s rows are not in time order');
    expect(archived('IN_ORDER')).toEqual(expectedOf(ROWS.filter((r) => !r.repeated)));
  });
});

describe('without --tz: local times across the fall-back, read as UTC, say so where their repeat is rejected', () => {
  /** A DCS export: BOM, CRLF, semicolons, decimal commas, Zeitstempel, 01:30-03:30 local every 10 min (02:xx twice). */
  const walls: string[] = [];
  for (const [h, from] of [[1, 30], [2, 0], [2, 0]] as const) for (let m = from; m < 60; m += 10) walls.push(`25.10.2026 ${pad(h)}:${pad(m)}:00`);
  walls.push('25.10.2026 03:00:00', '25.10.2026 03:10:00'); // 3 + 6 + 6 + 2 rows, lines 2..18: the first pass lines 5..10, the second 11..16
  const dcs = '\uFEFFZeitstempel;TK101 Level [m]\r\n' + walls.map((w, i) => `${w};${i},5`).join('\r\n') + '\r\n';

  it('names local time and --tz in each duplicate of the repeat and in the summary; --tz Europe/Berlin reads it whole', async () => {
    const report = await archive.importText('dcs.csv', dcs);
    expect(report.rejections.listed.map((r) => r.line)).toEqual([11, 12, 13, 14, 15, 16]);
    expect(formatRejection(report.rejections.listed[0]!)).toBe('dcs.csv:11: field "Zeitstempel": duplicate of line 5 (tag TK101 Level [m] at ' +
      '2026-10-25T02:00:00.000Z; the archive keeps one value per tag and time); the times look like local time across a daylight-saving change: ' +
      'from line 11 they go back from 2026-10-25T02:50:00.000Z to 2026-10-25T02:00:00.000Z and give that stretch again, as clocks going back ' +
      'repeat an hour; times without an offset are read as UTC: import the file with --tz <zone> (the zone of its clocks, such as --tz Europe/Berlin)');
    expect(formatSummary(report)).toMatch(/, 6 lines rejected; the times look like local time across a daylight-saving change \(from line 11 they go back less than an hour and repeat it: 6 samples rejected as duplicates\): import the file with --tz <zone>$/);

    const read = await archive.importText('dcs-tz.csv', dcs.replace('TK101', 'TK102'), { zone: berlin() });
    expect(read.rejections.count).toBe(0);
    const at = walls.map((w, i) => {
      const [h, m] = [Number(w.slice(11, 13)), Number(w.slice(14, 16))];
      return [i < 9 ? cest(h, m) : cet(h, m), i + 0.5];
    });
    expect(archived('TK102 Level [m]')).toEqual(at);
  });

  it('says nothing of local time for an ordinary duplicate, nor for a shuffled UTC file', async () => {
    const plain = await archive.importText('plain.csv', 'time;P\n2026-10-25 01:00:00;1\n2026-10-25 01:10:00;2\n2026-10-25 01:20:00;3\n2026-10-25 01:20:00;4\n2026-10-25 01:30:00;5\n');
    expect(plain.rejections.listed.map((r) => r.message)).toEqual(['duplicate of line 4 (tag P at 2026-10-25T01:20:00.000Z; the archive keeps one value per tag and time)']);
    expect(formatSummary(plain)).toMatch(/, 1 line rejected$/);
    const shuffled = await archive.importText('shuffled.csv', 'time;Q\n2026-10-25 01:30:00;1\n2026-10-25 01:10:00;2\n2026-10-25 01:20:00;3\n2026-10-25 01:10:00;4\n');
    expect(shuffled.rejections.listed.map((r) => r.message)).toEqual(['duplicate of line 3 (tag Q at 2026-10-25T01:10:00.000Z; the archive keeps one value per tag and time)']);
  });
});
