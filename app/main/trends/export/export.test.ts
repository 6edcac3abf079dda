/**
 * Trend exports against a real archive: the files are read back by Python's
 * csv module (scripts/verify-trend-csv.py, a reader this project does not
 * contain) and compared value by value with the historian's own reads.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import { BadSensorFailure, Good, isGood } from '../../../../historian/status.js';
import { tagConfig, tempDir } from '../../../../historian/store/testing.js';
import { Dispatcher } from '../../api/dispatcher.js';
import { internalConnection, type Session } from '../../api/connection.js';
import { silentLogger } from '../../log.js';
import type { ExportProgress, Params } from '../../../shared/api.js';
import { versionsOver } from '../history-encode.js';
import { runExport } from './run.js';
import { ExportService } from './service.js';

const T0 = Date.UTC(2025, 2, 29, 22); // Europe/Berlin moves to summer time at 2025-03-30T01:00Z
const root = new URL('../../../../', import.meta.url).pathname;
const tmp = tempDir('vigil-export-');
let h: Historian;

interface Checked {
  ok: boolean;
  problem?: string;
  rows: number;
  header: string[][];
  columns: string[];
  data: string[][];
}
/** Python's verdict alone ("OK: n rows" / "NOT OK: why"), for files too big to pass back as JSON. */
function verdict(file: string): string {
  try {
    return execFileSync('python3', [join(root, 'scripts/verify-trend-csv.py'), file], { encoding: 'utf8' }).trim();
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err).trim();
  }
}
/** Python's reading of the file (it exits 1 for a file that fails the check: the JSON says why). */
function python(file: string): Checked {
  let out: string;
  try {
    out = execFileSync('python3', [join(root, 'scripts/verify-trend-csv.py'), '--json', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout);
  }
  return JSON.parse(out.trim()) as Checked;
}

beforeAll(() => {
  h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  h.defineTag(tagConfig('Area1.TK101.Level', { unit: 'm', range: { low: 0, high: 20 }, compression: { kind: 'deadband', deviation: 0.01 } }), T0 - 1);
  h.defineTag(tagConfig('=Evil', { unit: '@u' }), T0 - 1);
  h.defineTag(tagConfig('Note', {}, 'text'), T0 - 1);
  const level = [];
  for (let i = 0; i < 200_000; i++) {
    const bad = i >= 36_000 && i < 36_600; // 2.5 h in, for 150 s
    level.push({ t: T0 + i * 250, value: bad ? NaN : Math.round((8 + 4 * Math.sin(i / 2000) + ((i * 7919) % 13) / 100) * 1000) / 1000, status: bad ? BadSensorFailure : Good });
  }
  h.append('Area1.TK101.Level', level);
  // Enough rows that an export is still running when a cancel sent at its first progress arrives
  // (200,000 rows take the export worker a few milliseconds).
  h.defineTag(tagConfig('Area1.TK101.Big', { unit: 'm' }), T0 - 1);
  for (let c = 0; c < 10; c++) {
    h.append('Area1.TK101.Big', Array.from({ length: 200_000 }, (_, k) => {
      const i = c * 200_000 + k;
      return { t: T0 + i * 25, value: Math.round(Math.sin(i / 5000) * 1e4) / 1e3, status: Good };
    }));
  }
  h.append('=Evil', Array.from({ length: 300 }, (_, i) => ({ t: T0 + i * 60_000, value: -i / 4, status: Good })));
  h.append('Note', [
    { t: T0 + 9_001_000, value: '=HYPERLINK("http://x","y")', status: Good },
    { t: T0 + 9_002_000, value: 'plain, "quoted"\nline', status: Good },
  ]);
  h.flush();
});
afterAll(async () => {
  await h.close();
  tmp.remove();
});

function penInfo(tag: string, start: number, end: number) {
  return { tag, kind: h.versions(tag)[0]!.config.kind, versions: versionsOver(h.versions(tag), start, end) };
}

async function exportToFile(spec: Parameters<typeof runExport>[1], name: string): Promise<string> {
  const file = join(tmp.dir, name);
  const chunks: Buffer[] = [];
  await runExport(h, spec, { write: (b) => void chunks.push(Buffer.from(b)), cancelled: () => false, progress: () => undefined });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

describe('trend CSV export', () => {
  it('raw: every archived value with unit and status, local times with their offset, formulas guarded, hash last', async () => {
    const start = T0 + 9_000_000, end = T0 + 12_600_000; // across the change to summer time
    const tags = ['Area1.TK101.Level', '=Evil', 'Note'];
    const file = await exportToFile(
      { station: 'Tank Farm North', user: 'op1', exportedAt: T0, start, end, timeZone: 'Europe/Berlin', shape: 'raw', pens: tags.map((t) => penInfo(t, start, end)) },
      'raw.csv',
    );
    const r = python(file);
    expect(r.ok, r.problem).toBe(true);
    expect(r.columns).toEqual(['time', 'tag', 'value', 'unit', 'status', 'status_code', 'flags']);
    expect(r.header).toContainEqual(['# station', 'Tank Farm North']);
    expect(r.header).toContainEqual(['# exported by', 'op1']);
    expect(r.header.find((l) => l[0] === '# pen' && l[1] === 'Area1.TK101.Level')).toEqual(
      expect.arrayContaining(['m', 'analog', 'deadband 0.01 m', 'linear', 'range 0 to 20']),
    );
    const expected = tags.flatMap((tag) => h.readRaw({ tags: tag, start, end: end - 1, pageSize: 1e6 }).rows);
    expect(r.rows).toBe(expected.length);
    // Value by value, compared as whole columns (-0 is written 0).
    expect(r.data.map((row) => Date.parse(row[0]!))).toEqual(expected.map((e) => e.t));
    expect(r.data.map((row) => row[1])).toEqual(expected.map((e) => (e.tag === '=Evil' ? "'=Evil" : e.tag)));
    const numeric = expected.filter((e) => typeof e.value === 'number');
    // A bad sample has no value: an empty cell beside its status (issue 6), never the NaN it is archived with.
    const cell = (text: string) => (text === '' ? null : Number(text));
    expect(r.data.filter((row) => row[1] !== 'Note').map((row) => cell(row[2]!))).toEqual(numeric.map((e) => (e.status >>> 30 === 2 ? null : e.value === 0 ? 0 : e.value)));
    expect(r.data.map((row) => row[4])).toEqual(expected.map((e) => (e.status >>> 30 === 0 ? 'Good' : 'BadSensorFailure')));
    expect(r.data.map((row) => row[3])).toEqual(expected.map((e) => ({ 'Area1.TK101.Level': 'm', '=Evil': "'@u", Note: '' })[e.tag]));
    // Local time with the offset of each instant: +01:00 before the change, +02:00 after.
    expect(r.data[0]![0]).toBe('2025-03-30T01:30:00.000+01:00');
    expect(r.data.find((row) => Date.parse(row[0]!) === Date.UTC(2025, 2, 30, 1))![0]).toBe('2025-03-30T03:00:00.000+02:00');
    const notes = r.data.filter((row) => row[1] === 'Note').map((row) => row[2]);
    expect(notes).toEqual(['\'=HYPERLINK("http://x","y")', 'plain, "quoted"\nline']);
    // Changing one byte breaks the check.
    const { writeFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('Tank Farm North', 'Tank Farm South'));
    expect(python(file)).toMatchObject({ ok: false, problem: expect.stringMatching(/does not match/) });
  });

  it('starts with a UTF-8 BOM, so Excel reads Cyrillic and °C as written; the hash line covers it and readers skip it', async () => {
    const start = T0 + 9_000_000, end = start + 60_000;
    const file = await exportToFile(
      { station: 'Склад №2', user: 'Иванова', exportedAt: T0, start, end, timeZone: null, shape: 'raw', pens: [penInfo('Area1.TK101.Level', start, end)] },
      'bom.csv',
    );
    const bytes = readFileSync(file);
    // The UTF-8 encoding of U+FEFF (Unicode 15 §23.8): Excel takes a CSV without it for the ANSI code page.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // The digest is of every byte above the last line, the BOM with them (as `sed '$d' file | sha256sum`).
    const lastLine = bytes.subarray(0, -2).lastIndexOf(Buffer.from('\r\n')) + 2;
    const stated = bytes.subarray(lastLine).toString('utf8').split(',')[1];
    expect(stated).toBe(createHash('sha256').update(bytes.subarray(0, lastLine)).digest('hex'));
    // Python's csv module reads the first record as the header's, not as "\ufeff# Vigil trend export".
    const r = python(file);
    expect(r.ok, r.problem).toBe(true);
    expect(r.header[0]).toEqual(['# Vigil trend export', '1']);
    expect(r.header).toContainEqual(['# station', 'Склад №2']);
    expect(r.columns).toEqual(['time', 'tag', 'value', 'unit', 'status', 'status_code', 'flags']);
  });

  it('resampled: one column per tag at the historian\'s aggregate values; Bad intervals are empty and named', async () => {
    const start = T0 + 9_000_000, end = T0 + 12_600_000;
    const file = await exportToFile(
      { station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: null, shape: 'resampled', aggregate: 'Average', intervalMs: 60_000, pens: [penInfo('Area1.TK101.Level', start, end), penInfo('=Evil', start, end)] },
      'wide.csv',
    );
    const r = python(file);
    expect(r.ok, r.problem).toBe(true);
    expect(r.columns).toEqual(['time', 'Area1.TK101.Level', "'=Evil", 'status']);
    const [level, evil] = h.readProcessed({ tags: ['Area1.TK101.Level', '=Evil'], start, end, intervalMs: 60_000, aggregate: 'Average' });
    expect(r.rows).toBe(60);
    for (let k = 0; k < 60; k++) {
      const row = r.data[k]!;
      expect(Date.parse(row[0]!)).toBe(start + k * 60_000);
      const lv = level!.values[k]!;
      if (lv.status >>> 30 === 2) expect(row[1]).toBe('');
      else expect(Number(row[1])).toBe(lv.value);
      expect(Number(row[2])).toBe(evil!.values[k]!.value);
      expect(row[3] === '').toBe(isGood(lv.status) && isGood(evil!.values[k]!.status));
    }
    // The sensor failure (its first 150 s) makes intervals 0..2 not good.
    expect(r.data[1]![3]).toMatch(/^Area1\.TK101\.Level=Bad/);
    expect(r.data[1]![1]).toBe('');
  });

  it('resampled Start/End: every row is timed by its interval start; each pen\'s sample time in a column of its own', async () => {
    // Part 13: Start and End return the raw value with its own time, which differs per pen; the row is the interval.
    const start = T0 + 9_000_000, end = start + 10 * 60_000;
    const pens = [penInfo('Area1.TK101.Level', start, end), penInfo('=Evil', start, end)];
    // The level's sensor failed for the range's first 150 s: a Bad value has neither value nor time.
    for (const [aggregate, levelAt, bad] of [['End', 59_750, 2], ['Start', 0, 3]] as const) {
      const file = await exportToFile({ station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: null, shape: 'resampled', aggregate, intervalMs: 60_000, pens }, `wide-${aggregate}.csv`);
      const r = python(file);
      expect(r.ok, r.problem).toBe(true);
      expect(r.columns).toEqual(['time', 'Area1.TK101.Level', 'Area1.TK101.Level sample time', "'=Evil", "'=Evil sample time", 'status']);
      expect(r.header.find((l) => l[0] === '# shape')).toContain('time: the start of each interval; <tag> sample time: the time of the archived value returned');
      expect(r.rows).toBe(10);
      const iso = (t: number) => new Date(t).toISOString();
      // Level has a sample every 250 ms (its last in an interval 59.75 s in); =Evil one a minute, on the interval start.
      expect(r.data.map((row) => row[0])).toEqual(Array.from({ length: 10 }, (_, k) => iso(start + k * 60_000)));
      expect(r.data.map((row) => row[2])).toEqual(Array.from({ length: 10 }, (_, k) => (k < bad ? '' : iso(start + k * 60_000 + levelAt))));
      expect(r.data.map((row) => row[1] === '')).toEqual(Array.from({ length: 10 }, (_, k) => k < bad));
      expect(r.data.map((row) => row[4])).toEqual(Array.from({ length: 10 }, (_, k) => iso(start + k * 60_000)));
      expect(r.data.map((row) => Number(row[3]))).toEqual(Array.from({ length: 10 }, (_, k) => -(150 + k) / 4));
    }
  });

  it('resampled with an interval aggregate has no sample-time columns', async () => {
    const start = T0 + 9_000_000, end = start + 5 * 60_000;
    const file = await exportToFile({ station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: null, shape: 'resampled', aggregate: 'TimeAverage', intervalMs: 60_000, pens: [penInfo('=Evil', start, end)] }, 'wide-avg.csv');
    const r = python(file);
    expect(r.columns).toEqual(['time', "'=Evil", 'status']);
    expect(r.data.map((row) => row[0])).toEqual(Array.from({ length: 5 }, (_, k) => new Date(start + k * 60_000).toISOString()));
  });

  it('resampled with no aggregate chosen (Automatic): TimeAverage, but a discrete or stepped pen is not averaged along slopes; the header names each column\'s aggregate', async () => {
    // A pump (discrete, 0/1 as an Int32 tag delivers them) and a setpoint (analog, stepped), each
    // holding its state until the next sample; =Evil (linear, -i/4 each minute) beside them.
    const start = T0 + 9_000_000, end = start + 5 * 60_000;
    h.defineTag(tagConfig('Area1.P1.Run', {}, 'discrete'), T0 - 1);
    h.defineTag(tagConfig('Area1.TK101.Setpoint', { unit: 'm', stepped: true }), T0 - 1);
    h.append('Area1.P1.Run', [
      { t: start - 600_000, value: 1, status: Good }, { t: start + 90_000, value: 0, status: Good }, { t: start + 200_000, value: 1, status: Good },
    ]);
    h.append('Area1.TK101.Setpoint', [{ t: start - 600_000, value: 10, status: Good }, { t: start + 150_000, value: 14, status: Good }]);
    h.flush();
    const tags = ['Area1.P1.Run', 'Area1.TK101.Setpoint', '=Evil'];
    const file = await exportToFile(
      { station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: null, shape: 'resampled', intervalMs: 60_000, pens: tags.map((t) => penInfo(t, start, end)) },
      'wide-stepped.csv',
    );
    const r = python(file);
    expect(r.ok, r.problem).toBe(true);
    expect(r.columns).toEqual(['time', 'Area1.P1.Run', 'Area1.TK101.Setpoint', "'=Evil", 'status']);
    // By hand: the state held at each interval's start (0, 60, 120, 180, 240 s): on until 90 s, off until 200 s.
    expect(r.data.map((row) => Number(row[1]))).toEqual([1, 1, 0, 0, 1]);
    // The setpoint: 10 until 150 s, then 14.
    expect(r.data.map((row) => Number(row[2]))).toEqual([10, 10, 10, 14, 14]);
    // The linear tag keeps TimeAverage: over minute 150+k .. 151+k the mean of -(150+k)/4 and -(151+k)/4.
    expect(r.data.map((row) => Number(row[3]))).toEqual([0, 1, 2, 3, 4].map((k) => -(301 + 2 * k) / 8));
    // Past a pen's last archived value (the setpoint's at 150 s, the pump's at 200 s) the state is extrapolated: Uncertain (Part 13 §5.4.3.2).
    expect(r.data.map((row) => row[4])).toEqual([
      '', '', '', 'Area1.TK101.Setpoint=UncertainDataSubNormal', 'Area1.P1.Run=UncertainDataSubNormal|Area1.TK101.Setpoint=UncertainDataSubNormal',
    ]);
    const aggregates = r.header.filter((l) => l[0] === '# aggregate').map((l) => l.slice(1, 3));
    expect(aggregates).toEqual([['Area1.P1.Run', 'Interpolative'], ['Area1.TK101.Setpoint', 'Interpolative'], ["'=Evil", 'TimeAverage']]);
  });

  it('resampled with TimeAverage chosen: every pen gets it, a discrete one too (the engineer asked for the time-weighted mean of its 0/1)', async () => {
    // A second pump, on since long before, off at 90 s, on again at 200 s; a linear tag beside it.
    const start = T0 + 9_600_000, end = start + 3 * 60_000;
    h.defineTag(tagConfig('Area1.P2.Run', {}, 'discrete'), T0 - 1);
    h.append('Area1.P2.Run', [
      { t: start - 600_000, value: 1, status: Good }, { t: start + 90_000, value: 0, status: Good }, { t: start + 200_000, value: 1, status: Good },
    ]);
    h.flush();
    const tags = ['Area1.P2.Run', '=Evil'];
    const file = await exportToFile(
      { station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: null, shape: 'resampled', aggregate: 'TimeAverage', intervalMs: 60_000, pens: tags.map((t) => penInfo(t, start, end)) },
      'wide-chosen.csv',
    );
    const r = python(file);
    expect(r.ok, r.problem).toBe(true);
    const aggregates = r.header.filter((l) => l[0] === '# aggregate').map((l) => l.slice(1));
    expect(aggregates).toEqual([['Area1.P2.Run', 'TimeAverage'], ["'=Evil", 'TimeAverage']]);
    expect(r.header.find((l) => l[0] === '# shape')?.[2]).toBe('TimeAverage every 60000 ms');
    // By hand, Part 13 §5.4.3.6 (sloped lines between the values, s from the range's start): 1 at -600 s
    // to 0 at 90 s is (90 - t) / 690, then (t - 90) / 110 up to 1 at 200 s. The mean of each minute:
    // [0, 60): (90 + 30) / 690 / 2; [60, 120): the two trapezoids either side of 0 at 90 s, (30/690 + 30/110) / 4;
    // [120, 180): (30 + 90) / 110 / 2. (The state at each minute's start, Interpolative's, would be 1, 1, 0.)
    const want = [60 / 690, (30 / 690 + 30 / 110) / 4, 60 / 110];
    const got = r.data.map((row) => Number(row[1]));
    expect(got).toHaveLength(3);
    got.forEach((v, k) => expect(v, `row ${k}`).toBeCloseTo(want[k]!, 9));
  });

  it('resampled intervals on round clock times in the export\'s zone: hours on the hour, days from local midnight across DST', async () => {
    const pens = (start: number, end: number) => [penInfo('=Evil', start, end)];
    // A view that starts at 2025-03-30T01:30:01.234+01:00, for 3 h: the hours of Berlin's clock that hold it, on the hour.
    const start = T0 + 9_001_234, end = start + 3 * 3_600_000;
    const hourly = python(await exportToFile(
      { station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: 'Europe/Berlin', shape: 'resampled', aggregate: 'Count', intervalMs: 3_600_000, pens: pens(start, end) },
      'hourly.csv',
    ));
    expect(hourly.ok, hourly.problem).toBe(true);
    // 02:00 local never happened that night (clocks went from 02:00 to 03:00).
    expect(hourly.data.map((row) => row[0])).toEqual([
      '2025-03-30T01:00:00.000+01:00', '2025-03-30T03:00:00.000+02:00', '2025-03-30T04:00:00.000+02:00', '2025-03-30T05:00:00.000+02:00',
    ]);
    // =Evil has a value each minute from 2025-03-29T22:00Z for 300 min (to 02:59Z): 60 an hour, then none.
    expect(hourly.data.map((row) => Number(row[1]))).toEqual([60, 60, 60, 0]);
    // Days over the change: 2025-03-30 is 23 h long in Berlin.
    const dStart = T0 - 2 * 86_400_000, dEnd = T0 + 2 * 86_400_000;
    const daily = python(await exportToFile(
      { station: 'S', user: 'op1', exportedAt: T0, start: dStart, end: dEnd, timeZone: 'Europe/Berlin', shape: 'resampled', aggregate: 'Count', intervalMs: 86_400_000, pens: pens(dStart, dEnd) },
      'daily.csv',
    ));
    expect(daily.ok, daily.problem).toBe(true);
    expect(daily.data.map((row) => row[0])).toEqual([
      '2025-03-27T00:00:00.000+01:00', '2025-03-28T00:00:00.000+01:00', '2025-03-29T00:00:00.000+01:00', '2025-03-30T00:00:00.000+01:00', '2025-03-31T00:00:00.000+02:00',
    ]);
    // 22:00Z-22:59Z on the 29th is 23:00-23:59 local (60 values); the rest, to 02:59Z, is the 30th (240).
    expect(daily.data.slice(2, 4).map((row) => Number(row[1]))).toEqual([60, 240]);
    expect(daily.header.find((l) => l[0] === '# range')).toEqual(['# range', '2025-03-27T00:00:00.000+01:00', '2025-04-01T00:00:00.000+02:00']);
  });

  it('the header says the earliest known configuration stands for data before it, not that the data has none', async () => {
    // The tags were defined at T0 - 1 ms; this range starts an hour before that.
    const start = T0 - 3_600_000, end = T0 + 3_600_000;
    const file = await exportToFile({ station: 'S', user: 'op1', exportedAt: T0, start, end, timeZone: null, shape: 'raw', pens: [penInfo('=Evil', start, end)] }, 'early.csv');
    const pen = python(file).header.find((l) => l[0] === '# pen')!;
    expect(pen.at(-1)).toBe('version 1 from 2025-03-29T21:59:59.999Z, the earliest known configuration: applied to the data before it too');
    // A range inside the version's validity names it plainly.
    const later = await exportToFile({ station: 'S', user: 'op1', exportedAt: T0, start: T0, end, timeZone: null, shape: 'raw', pens: [penInfo('=Evil', T0, end)] }, 'later.csv');
    expect(python(later).header.find((l) => l[0] === '# pen')!.at(-1)).toBe('version 1 from 2025-03-29T21:59:59.999Z');
  });
});

describe('export service', () => {
  const session: Session = { id: 's', user: 'op1', displayName: 'Op One', roles: ['operator'], since: 0 };
  let server: Server;
  let base = '';

  function service(dialog?: () => Promise<string | null>, onProgress?: (p: ExportProgress) => void, archive = h) {
    const d = new Dispatcher(silentLogger());
    const exports = new ExportService({ archiveDir: archive.dir, historian: archive, stationName: () => 'Tank Farm North', logger: silentLogger(), saveDialog: dialog, linkTtlMs: 10_000 });
    d.register('trends', { 'trends.export': (p, ctx) => exports.start(p, ctx), 'trends.exportCancel': (p, ctx) => exports.cancel(p.id, ctx) });
    d.useSessions({ sessionOf: () => session });
    const audit: unknown[] = [];
    d.useAudit({ record: (e) => void audit.push(e) });
    const progress: ExportProgress[] = [];
    const conn = internalConnection();
    // @ts-expect-error the test listens to what the console would be sent
    conn.push = (name: string, data: ExportProgress) => {
      if (name !== 'trends.exportProgress') return;
      progress.push(data);
      onProgress?.(data);
    };
    const call = (method: 'trends.export' | 'trends.exportCancel', params: Params<'trends.export'> | Params<'trends.exportCancel'>) => d.dispatch(method, params, conn);
    const finished = () => new Promise<ExportProgress>((resolve) => {
      const timer = setInterval(() => {
        const last = progress.at(-1);
        if (last && ['done', 'failed', 'cancelled'].includes(last.state)) {
          clearInterval(timer);
          resolve(last);
        }
      }, 20);
    });
    return { exports, call, progress, finished, audit };
  }
  const params: Params<'trends.export'> = { tags: ['Area1.TK101.Level'], start: T0, end: T0 + 50_000_000, shape: 'raw', timeZone: null };

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('Electron: writes the chosen file through a .part, audited; a cancel mid-way leaves neither', async () => {
    const target = join(tmp.dir, 'chosen.csv');
    const s = service(async () => target);
    const res = await s.call('trends.export', params);
    expect(res).toMatchObject({ ok: true, result: { target: { kind: 'file', path: target } } });
    const done = await s.finished();
    expect(done).toMatchObject({ state: 'done', rows: 200_000, path: target });
    expect(verdict(target)).toMatch(/^OK: 200000 rows, sha256 [0-9a-f]{64}$/);
    expect(s.audit).toContainEqual(expect.objectContaining({ action: 'trends.export', user: 'op1', result: 'ok', target: 'Area1.TK101.Level' }));

    const cut = join(tmp.dir, 'cut.csv');
    // Cancelled as the first progress with rows arrives, on 2,000,000 rows: the export runs in a
    // worker that sees a cancel between chunks, and a short export is over before one arrives.
    let cancel: Promise<unknown> | null = null;
    let midway: { part: boolean; file: boolean } | null = null;
    const c = service(async () => cut, (p) => {
      if (cancel || p.state !== 'running' || p.rows === 0) return;
      // Mid-way: the rows go to <file>.part; <file> itself does not exist yet.
      midway = { part: existsSync(`${cut}.part`), file: existsSync(cut) };
      cancel = c.call('trends.exportCancel', { id: p.id });
    });
    expect(await c.call('trends.export', { ...params, tags: ['Area1.TK101.Big'] })).toMatchObject({ ok: true });
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (cancel) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    await cancel;
    expect(midway).toEqual({ part: true, file: false });
    expect(await c.finished()).toMatchObject({ state: 'cancelled' });
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith('cut.csv'))).toEqual([]);
  });

  it('Electron: a file that cannot be written fails the export with the reason, and leaves nothing', async () => {
    const target = join(tmp.dir, 'no-such-folder', 'x.csv');
    const s = service(async () => target);
    expect(await s.call('trends.export', params)).toMatchObject({ ok: true, result: { target: { kind: 'file', path: target } } });
    const done = await s.finished();
    expect(done).toMatchObject({ state: 'failed' });
    expect(done.error).toContain(`${target}.part`);
    expect(existsSync(join(tmp.dir, 'no-such-folder'))).toBe(false);
  });

  it('a volume of the range whose file cannot be read fails the export naming it, and leaves no file (it would lack that day)', async () => {
    const dir = join(tmp.dir, 'damaged');
    const day = Date.UTC(2025, 0, 1);
    const first = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
    first.defineTag(tagConfig('A.L', { unit: 'm' }), day - 1);
    first.append('A.L', Array.from({ length: 2 * 1440 }, (_, i) => ({ t: day + i * 60_000, value: i, status: Good })));
    await first.close();
    const file = join(dir, 'volumes', 'day-2025-01-01.sqlite');
    truncateSync(file, 2048);
    const archive = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      const target = join(tmp.dir, 'two-days.csv');
      const s = service(async () => target, undefined, archive);
      expect(await s.call('trends.export', { tags: ['A.L'], start: day, end: day + 2 * 86_400_000, shape: 'raw', timeZone: null })).toMatchObject({ ok: true });
      const done = await s.finished();
      expect(done).toMatchObject({ state: 'failed' });
      expect(done.error).toContain(file);
      expect(readdirSync(tmp.dir).filter((f) => f.startsWith('two-days.csv'))).toEqual([]);
    } finally {
      await archive.close();
    }
  });

  it('browser: a one-time download link streams the file; a cancelled download is cut, not completed', async () => {
    const s = service();
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      if (!s.exports.downloads.handle(req, res)) res.writeHead(404).end();
    });
    const res = (await s.call('trends.export', params)) as { ok: true; result: { target: { kind: 'download'; url: string; fileName: string } } };
    const { url, fileName } = res.result.target;
    expect(fileName).toMatch(/^vigil-trend-Tank-Farm-North-.*-raw\.csv$/);
    const got = await fetch(base + url);
    expect(got.headers.get('content-disposition')).toContain(fileName);
    const file = join(tmp.dir, 'download.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, Buffer.from(await got.arrayBuffer()));
    expect(verdict(file)).toMatch(/^OK: 200000 rows/);
    expect((await fetch(base + url)).status).toBe(404); // used once

    const again = (await s.call('trends.export', params)) as { ok: true; result: { id: string; target: { url: string } } };
    const partial = await fetch(base + again.result.target.url);
    const received: Buffer[] = [];
    const reader = partial.body!.getReader();
    let failed: unknown = null;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.push(Buffer.from(value));
        if (received.length === 1) await s.call('trends.exportCancel', { id: again.result.id });
      }
    } catch (err) {
      failed = err;
    }
    expect(failed).not.toBeNull(); // the response was cut, not ended
    const cut = join(tmp.dir, 'cut-download.csv');
    writeFileSync(cut, Buffer.concat(received));
    expect(verdict(cut)).toMatch(/^NOT OK: .*(cut short|did not complete)/);
    expect(existsSync(cut)).toBe(true);
  });
});
