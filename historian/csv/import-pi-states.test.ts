/**
 * PI System digital states in value cells. AVEVA's PI interface manuals ("System Digital State
 * Sets"): PI writes a state of its SYSTEM set ("Bad Input", "I/O Timeout", ...) instead of a
 * value, on every point type; AF SDK AFValue.CreateSystemStateValue gives such a value a Bad
 * status; the PI Server's StateNo(DigState("No Data")) is 248, "No Data" being no value at all.
 * So each is a Bad sample without a value (or no sample for No Data), never a word that makes a
 * numeric tag text. Real archives in temp dirs; the expected codes are Part 6's values by hand.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';
import { formatRejection } from './read.js';

const archive = useCsvArchive('vigil-csv-pi-states-');

// In the past: an import refuses rows later than its start (plus a few minutes), and row 1100 is 18 h after this.
const T = (min: number) => Date.UTC(2025, 11, 5, 17, 45 + min);
const iso = (min: number) => new Date(T(min)).toISOString();

/** [minute, value, status code without InfoType and historian bits]. */
const raw = (tag: string) => archive.rows(tag).map((r) => [(r.t - T(0)) / 60_000, r.value, (r.status & 0xffff0000) >>> 0]);

describe('PI system digital states in a long file', () => {
  it('archives them as Bad samples of the tag\'s kind with the fitting OPC UA code, and skips No Data', async () => {
    const text = [
      'Tag,Timestamp,Value',
      `TIC-101.PV,${iso(0)},350.5`,
      `TIC-101.PV,${iso(1)},I/O Timeout`, // 246 -> BadCommunicationError 0x80050000
      `TIC-101.PV,${iso(2)},Shutdown`, // 254 -> BadOutOfService 0x808D0000
      `TIC-101.PV,${iso(3)},Bad Input`, // 255 -> BadSensorFailure 0x808C0000
      `TIC-101.PV,${iso(4)},No Data`, // 248: no value, no sample
      `TIC-101.PV,${iso(5)},Arc Off-line`, // 302 -> BadDataUnavailable 0x809E0000
      `TIC-101.PV,${iso(6)},351.5`,
      `XV-201.ZS,${iso(0)},OPEN`,
      `XV-201.ZS,${iso(1)},Pt Created`, // 253 -> BadWaitingForInitialData 0x80320000
      `XV-201.ZS,${iso(2)},CLOSED`,
      '',
    ].join('\r\n');
    const report = await archive.importText('pi.csv', text);
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(raw('TIC-101.PV')).toEqual([
      [0, 350.5, 0], [1, NaN, 0x80050000], [2, NaN, 0x808d0000], [3, NaN, 0x808c0000], [5, NaN, 0x809e0000], [6, 351.5, 0],
    ]);
    expect(raw('XV-201.ZS')).toEqual([[0, 'OPEN', 0], [1, '', 0x80320000], [2, 'CLOSED', 0]]);
    expect(archive.h.kindOf('TIC-101.PV')).toBe('analog');
  });

  it('keeps an analog tag analog after 1,100 rows of I/O Timeout before its first number', async () => {
    const rows = ['Tag,Timestamp,Value'];
    for (let m = 0; m < 1100; m++) rows.push(`FIC-301.PV,${iso(m)},I/O Timeout`);
    rows.push(`FIC-301.PV,${iso(1100)},41.5`, '');
    const report = await archive.importText('fic.csv', rows.join('\r\n'));
    expect([report.fileError, report.rejections.count]).toEqual([undefined, 0]);
    expect(archive.h.kindOf('FIC-301.PV')).toBe('analog');
    const got = raw('FIC-301.PV');
    expect(got.at(-1)).toEqual([1100, 41.5, 0]);
    expect(got[0]).toEqual([0, NaN, 0x80050000]);
  });

  it('rejects the rows of a new tag holding only system states, saying how to give its kind, and makes no text tag of it', async () => {
    const text = ['Tag,Timestamp,Value', `P-401.Amps,${iso(0)},Shutdown`, `P-401.Amps,${iso(60)},Shutdown`, ''].join('\r\n');
    const report = await archive.importText('p401.csv', text);
    expect(report.rejections.listed.map(formatRejection)).toEqual([2, 3].map((line) =>
      `p401.csv:${line}: field "Value": expected a value saying the kind of P-401.Amps, a tag new to the archive whose every row in the file ` +
      'is Bad without a value (such as a PI system state: Shutdown, I/O Timeout); import the file with --new-tags analog, discrete or text; got ""'));
    expect(archive.h.tagNames()).toEqual([]);
    const again = await archive.importText('p401b.csv', text, { newTagKind: 'analog' });
    expect(again.rejections.count).toBe(0);
    expect(raw('P-401.Amps')).toEqual([[0, NaN, 0x808d0000], [60, NaN, 0x808d0000]]);
  });

  it('reads a text tag\'s "Shutdown" as written in a file with a kind column (Vigil\'s export: its text values are data)', async () => {
    const text = ['time,tag,value,status,kind', `${iso(0)},Pump.State,Shutdown,Good,text`, ''].join('\n');
    const report = await archive.importText('export.csv', text);
    expect(report.rejections.count).toBe(0);
    expect(raw('Pump.State')).toEqual([[0, 'Shutdown', 0]]);
  });
});

describe('PI system digital states in a wide file', () => {
  it('archives them as Bad samples of the column\'s tag', async () => {
    const text = ['Timestamp,TIC-101.PV', `${iso(0)},350.5`, `${iso(1)},Comm Fail`, `${iso(2)},351`, ''].join('\n');
    const report = await archive.importText('wide.csv', text);
    expect(report.rejections.count).toBe(0);
    expect(raw('TIC-101.PV')).toEqual([[0, 350.5, 0], [1, NaN, 0x80310000], [2, 351, 0]]); // 313 Comm Fail -> BadNoCommunication
  });

  it('a column that starts with states takes its kind from its first value, never text of the states', async () => {
    const text = ['Timestamp,XV-7.ZS,FIC-8.PV', `${iso(0)},I/O Timeout,Shutdown`, `${iso(1)},Shutdown,41.5`, ''].join('\n');
    const report = await archive.importText('wide-states.csv', text);
    // FIC-8.PV: analog once 41.5 comes, its Shutdown a Bad sample without a value. XV-7.ZS: only states, no
    // kind any row says: rejected, asking for --new-tags.
    expect(raw('FIC-8.PV')).toEqual([[0, NaN, 0x808d0000], [1, 41.5, 0]]);
    expect(report.rejections.count).toBe(2);
  });
});
