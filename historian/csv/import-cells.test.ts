/**
 * Value cells that must never become a different value: '1.234' in a file of decimal commas
 * (1234 to a German reader), an empty text value without a Bad status, spaces around a state.
 * Real archives in temp dirs; every expectation is written out from the input text by hand.
 */
import { describe, expect, it } from 'vitest';
import { useCsvArchive } from '../testing/csv-archive.js';
import { tagConfig } from '../store/testing.js';
import { formatRejection } from './read.js';

const archive = useCsvArchive('vigil-csv-cells-');

const importText = archive.importText.bind(archive);

/** [t, value, status >>> 30] of every archived sample of the tag. */
const raw = (tag: string) =>
  archive.rows(tag).map((r) => [r.t, r.value, r.status >>> 30]);

const T = (s: number) => Date.UTC(2026, 2, 1, 0, 0, s);
const AMBIGUOUS = (line: number, got: string) => 'a number with the decimal comma this file uses (line ' + line + ': ' + got + '), ' +
  "no thousands separator (ambiguous: '.' is a thousands separator where the decimal mark is ',')";

describe("'1.234' in a file of decimal commas", () => {
  it('rejects it naming file, line, field and why, and archives only what is unambiguous', async () => {
    const text = 'Zeit;Durchfluss\n01.03.2026 00:00:00;1,5\n01.03.2026 00:00:01;1.234\n01.03.2026 00:00:02;1.234,5\n';
    const report = await importText('de.csv', text);
    expect(report.rejections.listed.map(formatRejection)).toEqual([
      `de.csv:3: field "Durchfluss": expected ${AMBIGUOUS(2, '"1,5"')}; got "1.234"`,
      'de.csv:4: field "Durchfluss": expected a number (decimal point or decimal comma, no thousands separator); got "1.234,5"',
    ]);
    expect(raw('Durchfluss')).toEqual([[T(0), 1.5, 0]]);
  });

  it('rejects it before the first decimal comma too, and in another column of the file (the decimal mark is the file\'s)', async () => {
    const text = 'Zeit;A;B\n01.03.2026 00:00:00;-1.234;7\n01.03.2026 00:00:01;2;0,5\n01.03.2026 00:00:02;12.345;3\n';
    const report = await importText('late-comma.csv', text);
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected, r.got])).toEqual([
      [2, 'A', AMBIGUOUS(3, '"0,5"'), '-1.234'],
      [4, 'A', AMBIGUOUS(3, '"0,5"'), '12.345'],
    ]);
    expect(raw('A')).toEqual([[T(1), 2, 0]]);
    expect(raw('B')).toEqual([[T(0), 7, 0], [T(1), 0.5, 0], [T(2), 3, 0]]);
  });

  it('rejects it in the long format', async () => {
    const text = 'time;tag;value\n2026-03-01T00:00:00Z;FT1;1,5\n2026-03-01T00:00:01Z;FT1;1.234\n';
    const report = await importText('long.csv', text);
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected])).toEqual([[3, 'value', AMBIGUOUS(2, '"1,5"')]]);
    expect(raw('FT1')).toEqual([[T(0), 1.5, 0]]);
  });

  it('decides alike in a file read once per window of time (out of order, over the sort budget)', async () => {
    // The decimal comma is on line 4; the window of 00:00:03 holds only line 2, and still rejects it.
    const text = 'Zeit;A;B\n01.03.2026 00:00:03;1.234;1\n01.03.2026 00:00:00;5;2\n01.03.2026 00:00:02;3;0,5\n01.03.2026 00:00:01;2.345;4\n';
    const report = await importText('windows.csv', text, { sortBudget: 2 });
    expect(report.rejections.listed.map((r) => [r.line, r.field, r.expected])).toEqual([[2, 'A', AMBIGUOUS(4, '"0,5"')], [5, 'A', AMBIGUOUS(4, '"0,5"')]]);
    expect(raw('A')).toEqual([[T(0), 5, 0], [T(2), 3, 0]]);
    expect(raw('B')).toEqual([[T(0), 2, 0], [T(1), 4, 0], [T(2), 0.5, 0], [T(3), 1, 0]]);
  });

  it('reads it with a decimal point in a semicolon file without decimal commas, before and after its first decimal point', async () => {
    const text = 'Zeit;A\n01.03.2026 00:00:00;1.234\n01.03.2026 00:00:01;0.5\n01.03.2026 00:00:02;12.345\n';
    expect((await importText('points.csv', text)).rejections.count).toBe(0);
    expect(raw('A')).toEqual([[T(0), 1.234, 0], [T(1), 0.5, 0], [T(2), 12.345, 0]]);
    const only = await importText('only.csv', 'Zeit;B\n01.03.2026 00:00:00;1.234\n01.03.2026 00:00:01;2\n');
    expect(only.rejections.count).toBe(0);
    expect(raw('B')).toEqual([[T(0), 1.234, 0], [T(1), 2, 0]]);
  });
});

describe('text tags', () => {
  it('rejects an empty value without a Bad status for a text tag the archive has, as for a new tag', async () => {
    await importText('first.csv', 'time,tag,value\n2026-03-01T00:00:00Z,Pump.State,RUNNING\n');
    expect(archive.h.versionAt('Pump.State', T(0)).config.kind).toBe('text');
    const report = await importText('empty.csv', 'time,tag,value,status\n2026-03-01T00:00:01Z,Pump.State,,\n2026-03-01T00:00:02Z,Pump.State,,Bad\n');
    expect(report.rejections.listed.map(formatRejection)).toEqual(['empty.csv:2: field "value": expected a text value; empty only with a Bad status; got ""']);
    expect(raw('Pump.State')).toEqual([[T(0), 'RUNNING', 0], [T(2), '', 2]]);
  });

  it('trims spaces around an unquoted text cell and keeps a quoted one exact', async () => {
    archive.h.defineTag({ name: 'Pump.State', kind: 'text', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 }, 0);
    const long = 'time,tag,value\n2026-03-01T00:00:00Z,Pump.State, RUNNING \n2026-03-01T00:00:01Z,Pump.State," STOPPED "\n' +
      '2026-03-01T00:00:02Z,New.State,  IDLE\n';
    expect((await importText('long.csv', long)).rejections.count).toBe(0);
    expect(raw('Pump.State')).toEqual([[T(0), 'RUNNING', 0], [T(1), ' STOPPED ', 0]]);
    expect(raw('New.State')).toEqual([[T(2), 'IDLE', 0]]);
    const wide = 'time;Pump.State;Mode\n2026-03-01T00:00:03Z; FAULT ;" a b "\n2026-03-01T00:00:04Z;RUNNING ;auto \n';
    expect((await importText('wide.csv', wide)).rejections.count).toBe(0);
    expect(raw('Pump.State').slice(2)).toEqual([[T(3), 'FAULT', 0], [T(4), 'RUNNING', 0]]);
    expect(raw('Mode')).toEqual([[T(3), ' a b ', 0], [T(4), 'auto', 0]]);
  });
});

describe('an empty Bad value before any value has said the tag\'s kind', () => {
  it('is a Bad sample of the kind the later values say: text, analog (NaN, not 0), or in a wide file', async () => {
    const text = [
      'Tag,Time,Value,Status',
      'P-101.State,2026-03-01T00:00:00Z,RUNNING,Good',
      'P-101.State,2026-03-01T00:00:01Z,,Bad',
      'P-101.State,2026-03-01T00:00:02Z,STOPPED,Good',
      'FT-1.PV,2026-03-01T00:00:00Z,,BadNoCommunication',
      'FT-1.PV,2026-03-01T00:00:01Z,5.5,Good',
      'TK-1.Level,2026-03-01T00:00:00Z,4.5,Good',
      '',
    ].join('\n');
    const report = await importText('bad-first.csv', text);
    expect([report.fileError, report.rejections.count, report.imported]).toEqual([undefined, 0, 6]);
    expect(raw('P-101.State')).toEqual([[T(0), 'RUNNING', 0], [T(1), '', 2], [T(2), 'STOPPED', 0]]);
    expect(raw('FT-1.PV')).toEqual([[T(0), NaN, 2], [T(1), 5.5, 0]]);
    expect(raw('TK-1.Level')).toEqual([[T(0), 4.5, 0]]);

    const wide = await importText('bad-first-wide.csv', 'Time,FT-2,FT-2 Quality\n2026-03-01 00:00:00,,0\n2026-03-01 00:00:01,7.5,192\n');
    expect([wide.fileError, wide.rejections.count]).toEqual([undefined, 0]);
    expect(raw('FT-2')).toEqual([[T(0), NaN, 2], [T(1), 7.5, 0]]);
  });
});

describe('a tag name written decomposed (Unicode NFD, as macOS tools write it)', () => {
  // "é" and "й" as a base letter and a combining mark: U+0065 U+0301, U+0438 U+0306.
  const nfd = 'TK1.Tempe\u0301rature', nfc = 'TK1.Temp\u00e9rature';
  const ruNfd = 'Уровень-и\u0306', ruNfc = 'Уровень-\u0439';

  it('is archived under its composed name: one tag, whichever form a file writes', async () => {
    await archive.importText('nfd.csv', `time,tag,value\n2026-03-01T00:00:00Z,${nfd},1.5\n`);
    await archive.importText('nfc.csv', `time,tag,value\n2026-03-01T00:00:01Z,${nfc},2.5\n`);
    await archive.importText('wide.csv', `time,${ruNfd}\n2026-03-01T00:00:00Z,7\n`);
    expect(archive.h.tagNames().sort()).toEqual([nfc, ruNfc].sort());
    expect(raw(nfc)).toEqual([[T(0), 1.5, 0], [T(1), 2.5, 0]]);
    expect(raw(ruNfc)).toEqual([[T(0), 7, 0]]);
  });

  it('keeps a name the archive has decomposed already: no second tag beside it', async () => {
    archive.h.defineTags([tagConfig(nfd)], 0);
    await archive.importText('nfd2.csv', `time,tag,value\n2026-03-01T00:00:02Z,${nfd},3.5\n`);
    expect(archive.h.tagNames()).toEqual([nfd]);
    expect(raw(nfd)).toEqual([[T(2), 3.5, 0]]);
  });
});
