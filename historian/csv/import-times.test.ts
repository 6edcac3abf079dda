/**
 * Importing files whose times need care: a date and a time of day in two columns, the same time
 * twice (duplicates, the repeated hour of a DST fall-back, times finer than the archive's ms),
 * times the archive cannot hold, old Mac line ends, line ends inside a quoted text. Real archives
 * in temp dirs; every expectation is written out from the input text by hand.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useCsvArchive } from '../testing/csv-archive.js';
import { formatRejection } from './read.js';
import { parseZone } from './zone.js';

const archive = useCsvArchive('vigil-csv-times-');

const importText = archive.importText.bind(archive);

/** [t, value] of every archived sample of the tag. */
const raw = (tag: string) =>
  archive.rows(tag).map((r) => [r.t, r.value]);

describe('a date column and a time-of-day column', () => {
  // 01.05.2024 12:00 .. 12:09 (UTC): Druck 0.5 .. 9.5, one sample a minute.
  const expected = Array.from({ length: 10 }, (_, i) => [Date.UTC(2024, 4, 1, 12, i), i + 0.5]);
  const rows = (date: (i: number) => string, time: (i: number) => string, sep = ';') =>
    Array.from({ length: 10 }, (_, i) => `${date(i)}${sep}${time(i)}${sep}${i},5`).join('\n') + '\n';
  const de = () => '01.05.2024';
  const iso = () => '2024-05-01';
  const hms = (i: number) => `12:0${i}:00`;

  it.each([
    ['Datum;Uhrzeit;P', de, hms, 'Datum+Uhrzeit'],
    ['Date;Heure;P', iso, hms, 'Date+Heure'],
    ['Дата;Время;P', de, hms, 'Дата+Время'],
    ['Date;Time of day;P', iso, (i: number) => `12:0${i}`, 'Date+Time of day'],
    ['日期;时间;P', iso, (i: number) => `12:0${i}:00.000`, '日期+时间'],
    ['Fecha;Hora;P', de, hms, 'Fecha+Hora'],
    ['Tag;Zeit;P', de, hms, 'Tag+Zeit'], // names that say nothing: the contents do
    ['Day;Clock;P', iso, hms, 'Day+Clock'],
  ])('joins %s into one time per row (by name or by content), no text tag made of the times', async (header, date, time, field) => {
    const report = await importText('dt.csv', `${header}\n${rows(date, time)}`);
    expect(report.rejections.count).toBe(0);
    expect(report.createdTags).toEqual(['P']);
    expect(report.summary?.timeField).toBe(field);
    expect(raw('P')).toEqual(expected);
  });

  it('joins them when the time of day comes first, and in the long format', async () => {
    const text = 'Uhrzeit;Datum;P\n' + Array.from({ length: 10 }, (_, i) => `12:0${i}:00;01.05.2024;${i},5`).join('\n');
    expect((await importText('td.csv', text)).summary?.timeField).toBe('Datum+Uhrzeit');
    expect(raw('P')).toEqual(expected);
    const long = 'date,time,tag,value\n' + Array.from({ length: 10 }, (_, i) => `2024-05-01,12:0${i}:00,Q,${i + 0.5}`).join('\n');
    expect((await importText('long.csv', long)).rejections.count).toBe(0);
    expect(raw('Q')).toEqual(expected);
  });
});

describe('the same tag and time twice in one file', () => {
  it('rejects the later row as a duplicate of the earlier one, keeps the earlier, imports the rest (exit code as any rejection)', async () => {
    const report = await importText('02_dup.csv', 'time,A\n2024-05-01T12:00:00Z,1\n2024-05-01T12:00:01Z,2\n2024-05-01T12:00:01Z,3\n2024-05-01T12:00:02Z,4\n');
    expect(report.rejections.listed.map(formatRejection)).toEqual([
      '02_dup.csv:4: field "time": duplicate of line 3 (tag A at 2024-05-01T12:00:01.000Z; the archive keeps one value per tag and time)',
    ]);
    expect(report.imported).toBe(3);
    expect(raw('A')).toEqual([[Date.UTC(2024, 4, 1, 12, 0, 0), 1], [Date.UTC(2024, 4, 1, 12, 0, 1), 2], [Date.UTC(2024, 4, 1, 12, 0, 2), 4]]);
  });

  it('finds duplicates per tag in the long format, far apart and out of order too', async () => {
    const report = await importText('long.csv', [
      'time,tag,value', '2024-05-01T12:00:05Z,A,1', '2024-05-01T12:00:05Z,B,2', '2024-05-01T12:00:01Z,A,3',
      '2024-05-01T12:00:05Z,A,4', '2024-05-01T12:00:05Z,B,2',
    ].join('\n'));
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.message])).toEqual([
      [5, 'time', 'duplicate of line 2 (tag A at 2024-05-01T12:00:05.000Z; the archive keeps one value per tag and time)'],
      [6, 'time', 'duplicate of line 3 (tag B at 2024-05-01T12:00:05.000Z; the archive keeps one value per tag and time)'],
    ]);
    expect(raw('A')).toEqual([[Date.UTC(2024, 4, 1, 12, 0, 1), 3], [Date.UTC(2024, 4, 1, 12, 0, 5), 1]]);
  });

  // Europe/Berlin fell back on 2023-10-29 at 03:00 CEST to 02:00 CET: 02:00-02:59 came twice.
  const fallBack = [
    '00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30', '01:45',
    '02:00', '02:15', '02:30', '02:45', '02:00', '02:15', '02:30', '02:45', '03:00',
  ];
  // 00:00 CEST is 2023-10-28T22:00Z; from there every row is 15 minutes on, the repeated hour included.
  const fallBackUtc = fallBack.map((_, i) => [Date.UTC(2023, 9, 28, 22) + i * 900_000, i + 0.5]);

  it('reads the repeated hour of a DST fall-back as its first occurrence, then its second when the times step back', async () => {
    const text = 'Zeitstempel;P\n' + fallBack.map((hm, i) => `2023-10-29 ${hm}:00;${i},5`).join('\n') + '\n';
    const report = await importText('02_dst_fallback.csv', text, { zone: parseZone('Europe/Berlin') });
    expect(report.rejections.count).toBe(0);
    expect(raw('P')).toEqual(fallBackUtc);
  });

  it('reads it in a newest-first file too (second occurrence first), and still rejects a true duplicate', async () => {
    const newestFirst = 'Zeitstempel;P\n' + fallBack.map((hm, i) => `2023-10-29 ${hm}:00;${i},5`).reverse().join('\n') + '\n';
    expect((await importText('desc.csv', newestFirst, { zone: parseZone('Europe/Berlin') })).rejections.count).toBe(0);
    expect(raw('P')).toEqual(fallBackUtc);
    // Hourly rows: 01:30 twice is a duplicate (it happened once); 02:00 twice is the repeated hour, read once
    // each (first at 00:00Z, then at 01:00Z, the times going forward).
    const dup = 'Zeitstempel;Q\n2023-10-29 01:30:00;1\n2023-10-29 01:30:00;2\n2023-10-29 02:00:00;3\n2023-10-29 02:00:00;4\n2023-10-29 03:00:00;5\n';
    const report = await importText('dup.csv', dup, { zone: parseZone('Europe/Berlin') });
    expect(report.rejections.listed.map((r) => [r.line, r.message])).toEqual([
      [3, 'duplicate of line 2 (tag Q at 2023-10-28T23:30:00.000Z; the archive keeps one value per tag and time)'],
    ]);
    expect(raw('Q')).toEqual([[Date.UTC(2023, 9, 28, 23, 30), 1], [Date.UTC(2023, 9, 29, 0, 0), 3], [Date.UTC(2023, 9, 29, 1, 0), 4], [Date.UTC(2023, 9, 29, 2, 0), 5]]);
    // 02:00 three times: two passes and a duplicate, but which two no order says: all three refused, none archived an hour off.
    const three = 'Zeitstempel;R\n2023-10-29 01:30:00;1\n2023-10-29 02:00:00;3\n2023-10-29 02:00:00;4\n2023-10-29 02:00:00;5\n';
    const refused = await importText('three.csv', three, { zone: parseZone('Europe/Berlin') });
    expect(refused.rejections.listed.map((r) => [r.line, r.field, r.got])).toEqual([3, 4, 5].map((line) => [line, 'Zeitstempel', '2023-10-29 02:00:00']));
    expect(raw('R')).toEqual([[Date.UTC(2023, 9, 28, 23, 30), 1]]);
  });

  it('rejects rows finer than a millisecond that fall on one, saying the archive keeps milliseconds', async () => {
    // 10 kHz: rows 100 µs apart, value = row number; ten rows a millisecond, the first of each kept.
    const lines = Array.from({ length: 50 }, (_, i) => `2024-05-01T12:00:00.${String(i * 100).padStart(6, '0')}Z,${i}`);
    const report = await importText('02_submillis.csv', `time,vib\n${lines.join('\n')}\n`);
    expect(report.imported).toBe(5);
    expect(report.rejections.count).toBe(45);
    expect(formatRejection(report.rejections.listed[0]!)).toBe('02_submillis.csv:3: field "time": duplicate of line 2 (tag vib at ' +
      '2024-05-01T12:00:00.000Z: the archive keeps times to the millisecond, and this file has times finer than that)');
    expect(report.rejections.listed.map((r) => r.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2).filter((line) => (line - 2) % 10 !== 0));
    expect(raw('vib')).toEqual([0, 1, 2, 3, 4].map((ms) => [Date.UTC(2024, 4, 1, 12) + ms, ms * 10]));
  });
});

describe('duplicates: the millisecond note names only rows finer than a ms', () => {
  it('gives a plain duplicate in a DD.MM.YYYY file the plain reason (".2026" is no fraction of a second)', async () => {
    const text = '\uFEFFZeitstempel;Kessel.Temp\n01.03.2026 00:00:00;1,1\n01.03.2026 00:00:01;1,2\n01.03.2026 00:00:02;1,3\n' +
      '01.03.2026 00:00:03;1,4\n01.03.2026 00:00:02;1,5\n';
    const report = await importText('w1.csv', text);
    expect(report.rejections.listed.map(formatRejection)).toEqual(['w1.csv:6: field "Zeitstempel": duplicate of line 4 ' +
      '(tag Kessel.Temp at 2026-03-01T00:00:02.000Z; the archive keeps one value per tag and time)']);
    expect(raw('Kessel.Temp')).toEqual([[0, 1.1], [1, 1.2], [2, 1.3], [3, 1.4]].map(([s, v]) => [Date.UTC(2026, 2, 1, 0, 0, s), v]));
  });

  it('says the archive keeps ms only for a duplicate whose own time or the earlier one has digits below the ms', async () => {
    // line 3 repeats line 2 to the µs digit; line 5 is 12:00:01 again, written without a fraction; line 7 falls on line 6's ms.
    const text = 'time,A\n2024-05-01T12:00:00.000100Z,1\n2024-05-01T12:00:00.000200Z,2\n2024-05-01T12:00:01Z,3\n' +
      '2024-05-01T12:00:01.000Z,4\n2024-05-01T12:00:02.000Z,5\n2024-05-01T12:00:02.0004Z,6\n';
    const report = await importText('mixed.csv', text);
    const finer = ': the archive keeps times to the millisecond, and this file has times finer than that)';
    expect(report.rejections.listed.map((r) => [r.line, r.message])).toEqual([
      [3, `duplicate of line 2 (tag A at 2024-05-01T12:00:00.000Z${finer}`],
      [5, 'duplicate of line 4 (tag A at 2024-05-01T12:00:01.000Z; the archive keeps one value per tag and time)'],
      [7, `duplicate of line 6 (tag A at 2024-05-01T12:00:02.000Z${finer}`],
    ]);
    expect(raw('A')).toEqual([[Date.UTC(2024, 4, 1, 12, 0, 0), 1], [Date.UTC(2024, 4, 1, 12, 0, 1), 3], [Date.UTC(2024, 4, 1, 12, 0, 2), 5]]);
  });

  it('reads the digits below the ms of epoch times by their unit', async () => {
    // seconds: .0004 s is below the ms; milliseconds: any fraction is.
    const s = await importText('s.csv', 'ts,S\n1714564800.001,1\n1714564800.0014,2\n1714564801.5,3\n1714564801.500,4\n');
    expect(s.rejections.listed.map((r) => [r.line, r.message!.endsWith('finer than that)')])).toEqual([[3, true], [5, false]]);
    const ms = await importText('ms.csv', 'ts,M\n1714564800001,1\n1714564800001.5,2\n');
    expect(ms.rejections.listed.map((r) => [r.line, r.message!.endsWith('finer than that)')])).toEqual([[3, true]]);
  });
});

describe('a local time that does not exist (the spring-forward gap of --tz)', () => {
  it('rejects it, naming the change of the clocks, and archives the rows around it in order', async () => {
    // Europe/Berlin sprang forward on 2026-03-29 at 02:00 CET to 03:00 CEST: 02:30 never happened.
    const text = 'Datum;Uhrzeit;Kessel.Temp\n29.03.2026;01:59:00;1,5\n29.03.2026;02:30:00;1,6\n29.03.2026;03:00:00;1,7\n';
    const report = await importText('spring.csv', text, { zone: parseZone('Europe/Berlin') });
    expect(report.rejections.listed.map(formatRejection)).toEqual(['spring.csv:3: field "Datum+Uhrzeit": expected a local time that exists in ' +
      'Europe/Berlin (clocks went from 02:00 to 03:00 on 2026-03-29); got "29.03.2026 02:30:00"']);
    expect(raw('Kessel.Temp')).toEqual([[Date.UTC(2026, 2, 29, 0, 59), 1.5], [Date.UTC(2026, 2, 29, 1, 0), 1.7]]);
  });
});

describe('times the archive cannot hold', () => {
  it('rejects a 9999-12-31 placeholder at its line, imports the rest, makes no volume for it', async () => {
    const report = await importText('04_y9999.csv', 'time,A\n2024-05-01T12:00:00Z,1\n9999-12-31T23:59:59Z,2\n');
    expect(report.rejections.listed.map((r) => [r.line, r.field])).toEqual([[3, 'time']]);
    expect(formatRejection(report.rejections.listed[0]!)).toMatch(/^04_y9999\.csv:3: field "time": expected a time from .* to 6429-10-17T02:45:55\.328Z .*placeholder.*; got "9999-12-31T23:59:59Z"$/);
    expect(raw('A')).toEqual([[Date.UTC(2024, 4, 1, 12), 1]]);
    await archive.h.close(); // the fixture's close afterwards is a no-op
    expect(readdirSync(join(archive.dir, 'archive', 'volumes')).filter((f) => f.endsWith('.sqlite'))).toEqual(['day-2024-05-01.sqlite']);
  });

  it('rejects 16-digit epochs, saying they look like microseconds and which option sets the epoch unit', async () => {
    const report = await importText('04_epoch_us.csv', 'ts,A\n1714564800000000,1\n1714564801000000,2\n');
    expect(report.imported).toBe(0);
    expect(report.rejections.listed.map((r) => r.line)).toEqual([2, 3]);
    expect(formatRejection(report.rejections.listed[0]!)).toMatch(/^04_epoch_us\.csv:2: field "ts": expected .*16 digits: this looks like epoch microseconds.*--epoch s or ms.*; got "1714564800000000"$/);
    expect(archive.h.volumes()).toEqual([]);
  });
});

describe('line ends', () => {
  it('imports an old Mac file (lone CR line ends)', async () => {
    const report = await importText('07_cr_only.csv', 'time,A\r2024-05-01T12:00:00Z,1\r2024-05-01T12:00:01Z,2\r');
    expect(report).toMatchObject({ imported: 2, rejections: { count: 0 } });
    expect(raw('A')).toEqual([[Date.UTC(2024, 4, 1, 12, 0, 0), 1], [Date.UTC(2024, 4, 1, 12, 0, 1), 2]]);
  });

  it('keeps a CRLF inside a quoted text value as written', async () => {
    const report = await importText('09.csv', '\uFEFFtime,tag,value\r\n2024-05-01T12:00:00Z,S,"a\r\nb\r\nc"\r\n2024-05-01T12:00:01Z,S,"d\ne"\r\n');
    expect(report.rejections.count).toBe(0);
    expect(raw('S')).toEqual([[Date.UTC(2024, 4, 1, 12, 0, 0), 'a\r\nb\r\nc'], [Date.UTC(2024, 4, 1, 12, 0, 1), 'd\ne']]);
  });
});

describe('Excel serial dates (a date cell formatted General: days since 1899-12-30)', () => {
  // 46361 - 25569 (the serial day of 1970-01-01) = 20792 days = 2026-12-05; 0.7397115741 d = 63,911,080 ms = 17:45:11.080 (by hand).
  const text = 'Date,LI101\n46361.7397115741,12.1\n';

  it('guessed, rejects them naming them Excel serial days with the date they are, and pointing to --epoch excel (not --epoch s: 1970)', async () => {
    const report = await importText('serial.csv', text);
    expect(report.rejections.listed.map(formatRejection)).toEqual(['serial.csv:2: field "Date": expected an epoch time after 1973 ' +
      '(46361.7397115741 looks like an Excel serial date, days since 1899-12-30: 2026-12-05T17:45:11; --epoch excel reads it so, ' +
      'local to --tz or UTC); got "46361.7397115741"']);
  });

  it('with --epoch excel reads them as wall times: UTC, or local to --tz', async () => {
    const report = await importText('serial.csv', text, { epoch: 'excel' });
    expect([report.rejections.count, report.summary?.timeFormat, report.summary?.finerLines.has(2)]).toEqual([0, 'Excel serial days', false]);
    expect(raw('LI101')).toEqual([[Date.UTC(2026, 11, 5, 17, 45, 11, 80), 12.1]]);
    await importText('serial-tz.csv', 'Date,TI2\n46361.7397115741,7\n', { epoch: 'excel', zone: parseZone('+01:00') });
    expect(raw('TI2')).toEqual([[Date.UTC(2026, 11, 5, 16, 45, 11, 80), 7]]);
  });
});

describe("PI's own time format (DD-Mon-YY hh:mm:ss.fff, as PI SMT and DataLink write it)", () => {
  it('reads 05-Dec-26 17:45:17.123 as 2026-12-05T17:45:17.123Z and a four-digit year too; rejects a day the month lacks', async () => {
    const text = 'Tag,Timestamp,Value\nTIC-101.PV,05-Dec-26 17:45:17.123,351.2\nTIC-101.PV,5-DEC-2026 17:46:17,351.3\nTIC-101.PV,31-Feb-26 00:00:00,1\n';
    const report = await importText('pi-time.csv', text);
    expect(report.rejections.listed.map((r) => [r.line, r.expected])).toEqual([[4, 'a valid calendar date']]);
    expect(report.summary?.timeFormat).toBe('DD-Mon-YY (without offset)');
    expect(raw('TIC-101.PV')).toEqual([[Date.UTC(2026, 11, 5, 17, 45, 17, 123), 351.2], [Date.UTC(2026, 11, 5, 17, 46, 17), 351.3]]);
  });
});
