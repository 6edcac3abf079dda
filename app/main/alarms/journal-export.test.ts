/**
 * The journal's CSV export through the dispatcher, on a real alarms.sqlite: every line of the
 * period or a refusal that says why, never a file silently cut short. The file closes as the trend
 * export does (`# sha256,<hex of every byte above>,rows,<n>`), so a file cut short cannot pass for
 * the whole export; the digest is checked here with node:crypto over the bytes received.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Dispatcher } from '../api/dispatcher.js';
import { internalConnection, type Connection, type Session } from '../api/connection.js';
import { silentLogger } from '../log.js';
import { ConfigStore } from '../station/config-store.js';
import { loadStationConfig } from '../station/config-file.js';
import { CsvTokenizer } from '../../../historian/csv/tokenize.js';
import type { ApiResponse } from '../../shared/api.js';
import type { JournalDraft } from './engine/types.js';
import { AlarmsModule } from './module.js';
import { EXPORT_MAX_LINES } from './handlers.js';
import { T0, fixtureRaw } from './engine/testing.js';

let dir: string;
let m: AlarmsModule;
let d: Dispatcher;
const sessions = new Map<Connection, Session>();
const op = internalConnection('op1');
sessions.set(op, { id: 'op1', user: 'op1', displayName: 'op1', roles: ['operator'], since: 0 });

/** n journal lines one second apart from T0, alternately an activation and a return. */
function lines(n: number): JournalDraft[] {
  return Array.from({ length: n }, (_, i) => ({
    t: T0 + i * 1000, alarmId: 'LI-101/limit', tag: 'LI-101', area: 'A1', condition: 'H', event: i % 2 ? 'returned' : 'activated',
    state: i % 2 ? 'D' : 'B', value: 85, valueSuspect: false, priority: 2, user: null, comment: null, message: 'Ammonia tank level high', text: null,
  }));
}

function records(csv: string): string[][] {
  const out: string[][] = [];
  const tk = new CsvTokenizer({ record: (f) => out.push(f), badRecord: (line, _e, _f, message) => out.push([`BAD ${line}: ${message}`]) }, ',');
  tk.push(csv);
  tk.end();
  return out;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-export-'));
  const yaml = join(dir, 'station.yaml');
  writeFileSync(yaml, stringify(fixtureRaw()));
  m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(yaml), { source: yaml }), dataDir: dir, logger: silentLogger(), clock: { now: () => T0 }, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
  d = new Dispatcher(silentLogger());
  d.useSessions({ sessionOf: (c) => sessions.get(c) ?? null });
  d.useAudit({ record: () => {} });
  m.register(d);
});

afterEach(() => {
  m.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('alarm journal CSV export', () => {
  it('a period of 100,050 lines gives all 100,050, in order, closed by the digest of the bytes above and the count', async () => {
    m.journal.write(lines(100_050));
    const res = (await d.dispatch('alarms.journalExport', { from: T0, to: T0 + 200_000_000 }, op)) as ApiResponse<{ csv: string }>;
    if (!res.ok) throw new Error(res.error.message);
    const csv = res.result.csv;
    const table = records(csv);
    const data = table.slice(1, -1);
    expect(data).toHaveLength(100_050);
    expect(data.every((r, i) => r[0] === String(i + 1))).toBe(true);
    expect(data.at(-1)![1]).toBe(new Date(T0 + 100_049_000).toISOString());
    const closing = csv.slice(csv.lastIndexOf('# sha256,'));
    const above = csv.slice(0, csv.length - closing.length);
    expect(closing).toBe(`# sha256,${createHash('sha256').update(above, 'utf8').digest('hex')},rows,100050\r\n`);
  });

  it('starts with a UTF-8 BOM, so Excel reads Cyrillic and °C as written; the digest covers it; readers still see the header', async () => {
    m.journal.write(lines(3).map((l) => ({ ...l, message: 'Уровень аммиака высокий, 85 °C' })));
    const res = (await d.dispatch('alarms.journalExport', { from: T0, to: T0 + 10_000 }, op)) as ApiResponse<{ csv: string }>;
    if (!res.ok) throw new Error(res.error.message);
    // As the console's Blob writes it: UTF-8. EF BB BF is U+FEFF in UTF-8 (Unicode 15 §23.8).
    const bytes = Buffer.from(res.result.csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const closingAt = bytes.lastIndexOf(Buffer.from('# sha256,'));
    expect(bytes.subarray(closingAt).toString('utf8')).toBe(`# sha256,${createHash('sha256').update(bytes.subarray(0, closingAt)).digest('hex')},rows,3\r\n`);
    const table = records(res.result.csv);
    expect(table[0]![0]).toBe('seq');
    expect(table.slice(1, -1).map((r) => r.at(-1))).toEqual(Array(3).fill('Уровень аммиака высокий, 85 °C'));
  });

  it('more lines than one export takes: refused, saying how many and the most, in a key a console translates', async () => {
    m.journal.write(lines(EXPORT_MAX_LINES + 1));
    const res = await d.dispatch('alarms.journalExport', {}, op);
    expect(res).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'alarms.refused.exportTooLarge', params: { lines: EXPORT_MAX_LINES + 1, max: EXPORT_MAX_LINES } } } });
    // The same journal filtered to fewer lines exports.
    const few = await d.dispatch('alarms.journalExport', { from: T0, to: T0 + 10_000 }, op);
    expect(few.ok && records((few.result as { csv: string }).csv)).toHaveLength(1 + 10 + 1);
  });
});
