/**
 * The repeated hour of a DST fall-back in zones west of UTC (New York, São Paulo) as east of it
 * (Berlin), in wide files and in long files grouped by tag; a date that shows the other date order
 * than --date-order says. Real archives in temp dirs; every expectation is written out from the
 * input text by hand.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';
import { parseZone } from './zone.js';

const archive = useCsvArchive('vigil-csv-zones-');

const importText = archive.importText.bind(archive);

/** [t, value] of every archived sample of the tag. */
const raw = (tag: string) =>
  archive.rows(tag).map((r) => [r.t, r.value]);

const zone = (name: string) => {
  const z = parseZone(name);
  if (!z) throw new Error(`${name} unknown to Intl`);
  return z;
};

describe('parseZone: the repeated hour read as its second occurrence, earlier as its first, in every zone', () => {
  it('New York (2025-11-02: 02:00 EDT, UTC-4, back to 01:00 EST, UTC-5)', () => {
    const ny = zone('America/New_York');
    expect(ny(Date.UTC(2025, 10, 2, 0, 45))).toBe(Date.UTC(2025, 10, 2, 4, 45)); // once: EDT
    expect(ny(Date.UTC(2025, 10, 2, 1, 0))).toBe(Date.UTC(2025, 10, 2, 6, 0)); // twice: the EST one
    expect(ny.earlier?.(Date.UTC(2025, 10, 2, 1, 0))).toBe(Date.UTC(2025, 10, 2, 5, 0));
    expect(ny(Date.UTC(2025, 10, 2, 1, 30))).toBe(Date.UTC(2025, 10, 2, 6, 30));
    expect(ny.earlier?.(Date.UTC(2025, 10, 2, 1, 30))).toBe(Date.UTC(2025, 10, 2, 5, 30));
    expect(ny(Date.UTC(2025, 10, 2, 2, 0))).toBe(Date.UTC(2025, 10, 2, 7, 0)); // once: EST
    expect(ny.earlier?.(Date.UTC(2025, 10, 2, 2, 0))).toBeUndefined();
  });

  it('São Paulo (2018-02-18: 00:00 UTC-2 back to 2018-02-17 23:00 UTC-3)', () => {
    const sp = zone('America/Sao_Paulo');
    expect(sp(Date.UTC(2018, 1, 17, 22, 30))).toBe(Date.UTC(2018, 1, 18, 0, 30));
    expect(sp(Date.UTC(2018, 1, 17, 23, 30))).toBe(Date.UTC(2018, 1, 18, 2, 30));
    expect(sp.earlier?.(Date.UTC(2018, 1, 17, 23, 30))).toBe(Date.UTC(2018, 1, 18, 1, 30));
    expect(sp(Date.UTC(2018, 1, 18, 0, 0))).toBe(Date.UTC(2018, 1, 18, 3, 0));
  });

  it('Berlin still (2025-10-26: 03:00 CEST, UTC+2, back to 02:00 CET, UTC+1)', () => {
    const berlin = zone('Europe/Berlin');
    expect(berlin(Date.UTC(2025, 9, 26, 2, 30))).toBe(Date.UTC(2025, 9, 26, 1, 30));
    expect(berlin.earlier?.(Date.UTC(2025, 9, 26, 2, 30))).toBe(Date.UTC(2025, 9, 26, 0, 30));
    expect(berlin(Date.UTC(2025, 9, 26, 1, 30))).toBe(Date.UTC(2025, 9, 25, 23, 30));
  });
});

describe('the repeated hour of --tz west of UTC in a wide file', () => {
  it('New York: reads the first 01:00 and 01:30 as EDT, the second as EST, rejects nothing', async () => {
    const text = 't_stamp,TK101_LT\n2025-11-02 00:30:00,9\n2025-11-02 01:00:00,10\n2025-11-02 01:30:00,11\n' +
      '2025-11-02 01:00:00,12\n2025-11-02 01:30:00,13\n2025-11-02 02:00:00,14\n';
    const report = await importText('ny.csv', text, { zone: zone('America/New_York') });
    expect(report.rejections.count).toBe(0);
    const T = (h: number, m: number) => Date.UTC(2025, 10, 2, h, m);
    expect(raw('TK101_LT')).toEqual([[T(4, 30), 9], [T(5, 0), 10], [T(5, 30), 11], [T(6, 0), 12], [T(6, 30), 13], [T(7, 0), 14]]);
  });

  it('São Paulo: the same with the hour before midnight repeated', async () => {
    const text = 'time;P\n2018-02-17 22:30:00;1\n2018-02-17 23:00:00;2\n2018-02-17 23:30:00;3\n' +
      '2018-02-17 23:00:00;4\n2018-02-17 23:30:00;5\n2018-02-18 00:00:00;6\n';
    const report = await importText('sp.csv', text, { zone: zone('America/Sao_Paulo') });
    expect(report.rejections.count).toBe(0);
    const T = (h: number, m: number) => Date.UTC(2018, 1, 18, h, m);
    expect(raw('P')).toEqual([[T(0, 30), 1], [T(1, 0), 2], [T(1, 30), 3], [T(2, 0), 4], [T(2, 30), 5], [T(3, 0), 6]]);
  });
});

describe('the repeated hour in a long file grouped by tag (PI-style blocks)', () => {
  it('Berlin: reads each tag\'s block going forward from its own first row, rejects nothing', async () => {
    const text = 'Tag,Time,Value\n' +
      'TK101.LT,2025-10-26 02:00:00,10\nTK101.LT,2025-10-26 02:30:00,11\nTK101.LT,2025-10-26 02:00:00,12\nTK101.LT,2025-10-26 02:30:00,13\nTK101.LT,2025-10-26 03:00:00,14\n' +
      'TK102.LT,2025-10-26 02:00:00,20\nTK102.LT,2025-10-26 02:30:00,21\nTK102.LT,2025-10-26 02:00:00,22\nTK102.LT,2025-10-26 02:30:00,23\nTK102.LT,2025-10-26 03:00:00,24\n';
    const report = await importText('grouped.csv', text, { zone: zone('Europe/Berlin') });
    expect(report.rejections.count).toBe(0);
    // 02:00 CEST is 00:00Z, 02:00 CET 01:00Z, 03:00 CET 02:00Z.
    const T = (h: number, m: number) => Date.UTC(2025, 9, 26, h, m);
    expect(raw('TK101.LT')).toEqual([[T(0, 0), 10], [T(0, 30), 11], [T(1, 0), 12], [T(1, 30), 13], [T(2, 0), 14]]);
    expect(raw('TK102.LT')).toEqual([[T(0, 0), 20], [T(0, 30), 21], [T(1, 0), 22], [T(1, 30), 23], [T(2, 0), 24]]);
  });

  it('New York with a status column; a newest-first block of another tag; tags whose rows cannot say their order are refused', async () => {
    const text = 'Tag,Time,Value,Status\n' +
      'TK101.LT,2025-11-02 01:00:00,10,Good\nTK101.LT,2025-11-02 01:30:00,11,Good\nTK101.LT,2025-11-02 01:00:00,12,Good\n' +
      'TK101.LT,2025-11-02 01:30:00,13,Good\nTK101.LT,2025-11-02 02:00:00,14,Good\n' +
      'TK102.LT,2025-11-02 02:00:00,24,Good\nTK102.LT,2025-11-02 01:30:00,23,Good\nTK102.LT,2025-11-02 01:00:00,22,Good\n' +
      'TK102.LT,2025-11-02 01:30:00,21,Good\nTK102.LT,2025-11-02 01:00:00,20,Good\n' +
      'A,2025-11-02 01:00:00,1,Good\nB,2025-11-02 01:00:00,1,Good\nA,2025-11-02 01:00:00,2,Good\nB,2025-11-02 01:00:00,2,Good\n';
    const report = await importText('pi.csv', text, { zone: zone('America/New_York') });
    // A and B: two 01:00 each, in a file whose blocks run forward and newest first: which is EDT no order says.
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.got])).toEqual([12, 13, 14, 15].map((line) => [line, 'Time', '2025-11-02 01:00:00']));
    // 01:00 EDT is 05:00Z, 01:00 EST 06:00Z, 02:00 EST 07:00Z.
    const T = (h: number, m: number) => Date.UTC(2025, 10, 2, h, m);
    expect(raw('TK101.LT')).toEqual([[T(5, 0), 10], [T(5, 30), 11], [T(6, 0), 12], [T(6, 30), 13], [T(7, 0), 14]]);
    expect(raw('TK102.LT')).toEqual([[T(5, 0), 20], [T(5, 30), 21], [T(6, 0), 22], [T(6, 30), 23], [T(7, 0), 24]]);
    expect([archive.h.kindOf('A'), archive.h.kindOf('B')]).toEqual([undefined, undefined]);
  });
});

describe('--date-order against the dates of the file', () => {
  it('refuses a file held whole whose dates read only the other way round: nothing archived in the wrong months', async () => {
    const text = 'Date/Time,TK1\n5/12/2026 12:00:00 AM,48\n5/13/2026 12:00:00 AM,72\n5/13/2026 06:00:00 PM,90\n';
    const report = await importText('us.csv', text, { dateOrder: 'dmy' });
    expect(report.fileError).toBe('us.csv:3: time: the file\'s dates are month first ("5/13/2026 12:00:00 AM" reads only so), not day first ' +
      'as --date-order dmy says: nothing imported; import it again with --date-order mdy');
    expect([report.imported, archive.h.kindOf('TK1')]).toEqual([0, undefined]); // 5/12 was not archived as 5 December
    const mdy = await importText('us2.csv', 'Date/Time,TK2\n13/5/2026 12:00:00 AM,1\n', { dateOrder: 'mdy' });
    expect(mdy.fileError).toMatch(/^us2\.csv:2: time: the file's dates are day first .* import it again with --date-order dmy$/);
  });

  it('in a file archived as read (beyond the sort budget), rejects each such date saying the order it shows', async () => {
    const text = 'Date/Time,TK3\n5/12/2026 12:00:00 AM,48\n5/12/2026 06:00:00 AM,50\n5/12/2026 12:00:00 PM,52\n5/13/2026 12:00:00 AM,72\n';
    const report = await importText('big.csv', text, { dateOrder: 'dmy', sortBudget: 2 });
    const expected = 'a valid calendar date, read day first as --date-order dmy says; this date reads as month-first ' +
      '(13 cannot be a month): use --date-order mdy';
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([[5, 'Date/Time', expected, '5/13/2026 12:00:00 AM']]);
  });
});

describe('a time column whose name states the zone (HMI and historian exports write it there, not in each cell)', () => {
  it('applies the UTC offset the name gives: 18:45 at UTC+01:00 is 17:45Z (by hand), and says so in the summary', async () => {
    const report = await importText('hz1.csv', 'Time (UTC+01:00),LI101\n2026-12-05 18:45:17.123,12.5\n');
    expect([report.fileError, report.rejections.count, report.summary?.zoneFromHeader]).toEqual([undefined, 0, 'UTC+01:00']);
    expect(raw('LI101')).toEqual([[Date.UTC(2026, 11, 5, 17, 45, 17, 123), 12.5]]);
    await importText('hz3.csv', 'Timestamp [GMT-05:00];FT2\n05.12.2026 12:45:17;1,5\n');
    expect(raw('FT2')).toEqual([[Date.UTC(2026, 11, 5, 17, 45, 17), 1.5]]);
  });

  it('refuses a name that says local time without an offset (Local Time, MEZ), asking for --tz; --tz reads it', async () => {
    for (const [name, header, said] of [['hz2.csv', 'Local Time,LI101', 'Local'], ['hz4.csv', 'Zeitstempel (MEZ),LI101', 'MEZ']]) {
      const report = await importText(name!, `${header}\n2026-12-05 18:45:17,12.5\n`);
      expect(report.fileError).toBe(`${name}:1: time column "${header!.split(',')[0]}": its name says the times are local (${said}), not UTC; ` +
        'expected --tz giving their zone (an offset such as +01:00, or an IANA name such as Europe/Berlin for its DST changes), or --tz UTC');
    }
    expect(archive.h.tagNames()).toEqual([]);
    await importText('hz4b.csv', 'Zeitstempel (MEZ),LI101\n2026-12-05 18:45:17,12.5\n', { zone: zone('Europe/Berlin') });
    expect(raw('LI101')).toEqual([[Date.UTC(2026, 11, 5, 17, 45, 17), 12.5]]);
  });

  it('reads "Time (UTC)" and "Date/Time" as before: UTC', async () => {
    await importText('utc.csv', 'Time (UTC),A\n2026-12-05 18:45:17,1\n');
    expect(raw('A')).toEqual([[Date.UTC(2026, 11, 5, 18, 45, 17), 1]]);
  });
});
