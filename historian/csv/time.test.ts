import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeTimeFormat, formatTime, parseOffset, parseTime } from './time.js';
import { parseZone } from './zone.js';

describe('parseTime, the forms of public process datasets', () => {
  const noon = Date.UTC(2020, 2, 9, 10, 14, 33);
  it('reads YYYY/MM/DD, DD.MM.YYYY, a space before the time, UTC/GMT suffixes and fractional seconds', () => {
    expect(parseTime('2020-03-09 10:14:33')).toBe(noon);
    expect(parseTime('2020/03/09 10:14:33')).toBe(noon);
    expect(parseTime('09.03.2020 10:14:33')).toBe(noon);
    expect(parseTime('9.3.2020 10:14:33,250')).toBe(noon + 250);
    expect(parseTime('2020-03-09 10:14:33.123456')).toBe(noon + 123);
    expect(parseTime('2020-03-09 10:14:33 UTC')).toBe(noon);
    expect(parseTime('2020-03-09T12:14:33+0200')).toBe(noon);
    expect(parseTime('2020-03-09 8:14:33-02')).toBe(noon);
    expect(parseTime('31.02.2020 10:00:00')).toBe('a valid calendar date');
    expect(parseTime('03/09/2020 10:14:33')).toMatch(/^ISO 8601/); // US or European? not guessed
  });
  it('reads nn/nn/YYYY only when told the date order, and hh.mm.ss after such dates', () => {
    expect(parseTime('09/03/2020 10:14:33', { epoch: 'guess' })).toMatch(/only with a date order \(--date-order dmy\|mdy\)$/);
    expect(parseTime('09/03/2020 10:14:33', { epoch: 'guess', dateOrder: 'dmy' })).toBe(noon);
    expect(parseTime('03/09/2020 10:14:33', { epoch: 'guess', dateOrder: 'mdy' })).toBe(noon);
    expect(parseTime('09/03/2020 10.14.33', { epoch: 'guess', dateOrder: 'dmy' })).toBe(noon);
    expect(parseTime('09.03.2020 10.14.33')).toBe(noon);
    expect(parseTime('09.03.2020 10.14:33')).toMatch(/^ISO 8601/);
    expect(parseTime('13/13/2020 10:14:33', { epoch: 'guess', dateOrder: 'mdy' })).toBe('a valid calendar date');
    // A 12-hour clock, as US spreadsheets and HMI exports write it.
    const us = { epoch: 'guess', dateOrder: 'mdy' } as const;
    expect(parseTime('3/9/2020 10:14:33 AM', us)).toBe(Date.UTC(2020, 2, 9, 10, 14, 33));
    expect(parseTime('3/9/2020 1:14:33 PM', us)).toBe(Date.UTC(2020, 2, 9, 13, 14, 33));
    expect(parseTime('3/9/2020 12:00:00 am', us)).toBe(Date.UTC(2020, 2, 9, 0, 0, 0));
    expect(parseTime('3/9/2020 12:30 p.m.', us)).toBe(Date.UTC(2020, 2, 9, 12, 30, 0));
    expect(parseTime('3/9/2020 13:14:33 PM', us)).toMatch(/time of day/);
    expect(parseTime('3/9/2020 0:14:33 AM', us)).toMatch(/time of day/);
  });
  it('guessing, takes small numbers for elapsed time, not for 1970, and says how to read them as seconds', () => {
    expect(parseTime('0.05', { epoch: 'guess' })).toBe('an epoch time after 1973 (0.05 s after 1970 looks like elapsed time, not a date; --epoch s reads it as seconds since 1970)');
    expect(parseTime('99999999', { epoch: 'guess' })).toMatch(/^an epoch time after 1973/);
    expect(parseTime('100000000', { epoch: 'guess' })).toBe(Date.UTC(1973, 2, 3, 9, 46, 40));
    expect(parseTime('0.05', { epoch: 's' })).toBe(50);
  });

  it('reads epoch seconds and milliseconds as told, or by magnitude', () => {
    expect(parseTime('1583748873', { epoch: 'guess' })).toBe(1583748873000);
    expect(parseTime('1583748873.25', { epoch: 'guess' })).toBe(1583748873250);
    expect(parseTime('1583748873001', { epoch: 'guess' })).toBe(1583748873001);
    expect(parseTime('1583748873.001', { epoch: 's' })).toBe(1583748873001);
    expect(parseTime('1583748873', { epoch: 'ms' })).toBe(1583748873);
    expect(parseTime('1583748873123.9', { epoch: 'ms' })).toBe(1583748873123);
    expect(parseTime('12:00', { epoch: 'guess' })).toMatch(/YYYY\/MM\/DD.*DD\.MM\.YYYY.*epoch/);
  });
  it('reads times without an offset in the zone given, and an explicit offset wins', () => {
    const plus2 = parseZone('+02:00');
    expect(parseTime('2020-03-09 12:14:33', { zone: plus2 })).toBe(noon);
    expect(parseTime('2020-03-09 10:14:33Z', { zone: plus2 })).toBe(noon);
    expect(parseTime('2020-03-09 12:14:33', { assumeUtc: false })).toMatch(/offset/);
  });
  it('names the form of a time for the summary', () => {
    expect(describeTimeFormat('2020-03-09 10:14:33', undefined)).toBe('ISO 8601 without offset');
    expect(describeTimeFormat('2020-03-09T10:14:33+01:00', undefined)).toBe('ISO 8601 with offset');
    expect(describeTimeFormat('2020/03/09 10:14:33', undefined)).toBe('YYYY/MM/DD without offset');
    expect(describeTimeFormat('09.03.2020 10:14', undefined)).toBe('DD.MM.YYYY (without offset)');
    expect(describeTimeFormat('1583748873', 's')).toBe('epoch seconds');
  });
});

describe('parseZone', () => {
  it('reads offsets, UTC and IANA names; refuses unknown names', () => {
    expect(parseZone('Z')?.(1000)).toBe(1000);
    expect(parseZone('UTC')?.(1000)).toBe(1000);
    expect(parseZone('-05:30')?.(0)).toBe(330 * 60_000);
    expect(parseZone('Mars/Olympus')).toBeUndefined();
  });
  it('applies daylight saving time of an IANA zone: gap moved forward, repeated hour read as its second occurrence', () => {
    const berlin = parseZone('Europe/Berlin');
    if (!berlin) throw new Error('Europe/Berlin unknown to Intl');
    expect(berlin(Date.UTC(2024, 0, 15, 12))).toBe(Date.UTC(2024, 0, 15, 11)); // CET
    expect(berlin(Date.UTC(2024, 6, 15, 12))).toBe(Date.UTC(2024, 6, 15, 10)); // CEST
    expect(berlin(Date.UTC(2024, 2, 31, 1, 59))).toBe(Date.UTC(2024, 2, 31, 0, 59));
    expect(berlin(Date.UTC(2024, 2, 31, 2, 30))).toBe(Date.UTC(2024, 2, 31, 1, 30)); // 02:30 does not exist: 03:30 CEST
    expect(berlin(Date.UTC(2024, 2, 31, 3, 0))).toBe(Date.UTC(2024, 2, 31, 1, 0));
    expect(berlin(Date.UTC(2024, 9, 27, 1, 30))).toBe(Date.UTC(2024, 9, 26, 23, 30));
    expect(berlin(Date.UTC(2024, 9, 27, 2, 30))).toBe(Date.UTC(2024, 9, 27, 1, 30)); // twice: the CET one
    expect(berlin(Date.UTC(2024, 9, 27, 3, 0))).toBe(Date.UTC(2024, 9, 27, 2, 0));
    const kolkata = parseZone('Asia/Kolkata');
    expect(kolkata?.(Date.UTC(2024, 0, 1, 5, 30))).toBe(Date.UTC(2024, 0, 1));
  });
});

describe('parseTime', () => {
  it('reads ISO 8601 with Z, offsets, and without offset as UTC', () => {
    expect(parseTime('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01T06:30:00-0530')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01 12:00:00.123')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
    expect(parseTime('2024-05-01T12:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseTime('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
  });
  it('truncates sub-millisecond fractions', () => {
    expect(parseTime('2024-05-01T12:00:00.123999Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
    expect(parseTime('2024-05-01T12:00:00.5Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 500));
  });
  it('reads epoch milliseconds and refuses what looks like seconds', () => {
    expect(parseTime('1714564800000')).toBe(1714564800000);
    expect(parseTime('1714564800')).toMatch(/seconds/);
  });
  it('says what was expected for bad times', () => {
    expect(parseTime('2024-02-30T00:00:00Z')).toBe('a valid calendar date');
    expect(parseTime('2023-02-29')).toBe('a valid calendar date');
    expect(parseTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime('2024-05-01T24:00:00Z')).toMatch(/time of day/);
    expect(parseTime('01/05/2024 12:00')).toMatch(/ISO 8601/);
    expect(parseTime('')).toMatch(/ISO 8601/);
    expect(parseTime('2024-05-01T12:00:00', { assumeUtc: false })).toMatch(/offset/);
  });
  it('refuses times the archive cannot hold (beyond ±2^47 ms: years -2490 to 6429) and says so, a 16-digit epoch as microseconds', () => {
    const limit = 2 ** 47; // 6429-10-17T02:45:55.328Z, computed by hand: 140737488355328 ms
    expect(parseTime('6429-10-17T02:45:55.328Z')).toBe(limit);
    expect(parseTime('6429-10-17T02:45:55.329Z')).toMatch(/^a time from -2490-03-17T21:14:04\.672Z to 6429-10-17T02:45:55\.328Z \(the archive's range: ±2\^47 ms around 1970\)$/);
    expect(parseTime('9999-12-31T23:59:59Z')).toMatch(/the archive's range.*9999-12-31 is a placeholder for "no end", not a time/);
    expect(parseTime('31.12.9999 23:59:59', { epoch: 'guess' })).toMatch(/archive's range/);
    expect(parseTime(String(limit), { epoch: 'guess' })).toBe(limit);
    expect(parseTime(String(limit + 1), { epoch: 'ms' })).toMatch(/archive's range/);
    for (const epoch of ['guess', 'ms', undefined] as const) {
      const t = parseTime('1714564800000000', { epoch });
      expect(t, String(epoch)).toMatch(/16 digits: this looks like epoch microseconds.*--epoch s or ms/);
    }
    expect(parseTime('1714564800000000000', { epoch: 'guess' })).toMatch(/19 digits: this looks like epoch nanoseconds/);
    expect(parseTime('4000000000000', { epoch: 's' })).toMatch(/archive's range/); // 4e12 s
  });
  it('formatTime round-trips through parseTime for any ms and offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2e12, max: 4e12 }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (t, offset) => parseTime(formatTime(t, offset)) === t,
      ),
    );
  });
  it('formats offsets', () => {
    const t = Date.UTC(2024, 4, 1, 12);
    expect(formatTime(t)).toBe('2024-05-01T12:00:00.000Z');
    expect(formatTime(t, 120)).toBe('2024-05-01T14:00:00.000+02:00');
    expect(formatTime(t, -330)).toBe('2024-05-01T06:30:00.000-05:30');
    expect(parseOffset('+02:00')).toBe(120);
    expect(parseOffset('-0530')).toBe(-330);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('2')).toBeUndefined();
  });
});
