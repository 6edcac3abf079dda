/**
 * The station's CSV inbox with no time zone set (station.inbox.timeZone): a plant export whose
 * times carry no offset is refused into rejected/ with a report saying to set the zone, not
 * archived as UTC; a file with offsets is imported. Real archive thread and inbox, real files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StationArchive } from './archive.js';
import { parseStationConfig } from './config-file.js';
import { createLogger } from '../log.js';
import { INBOX_TEST_CONFIG } from './testing/inbox-config.js';

/** Polls until `ok` holds or `ms` pass (then fails saying what was awaited). */
async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dir = '';
let archive: StationArchive | null = null;
afterEach(async () => {
  await archive?.close();
  archive = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('the station\'s inbox without a time zone', () => {
  it('refuses a file of local times without offset into rejected/, and imports one with offsets', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-zone-'));
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    archive = await StationArchive.open(parseStationConfig(INBOX_TEST_CONFIG, 'inbox-test.yaml'), dir, logger, {
      flushIntervalMs: 200,
      // The inbox's stable period and poll shortened (2 s and 1 s by default): each file is written whole at once.
      inboxTiming: { stableMs: 200, pollMs: 50 },
    });

    writeFileSync(join(dir, 'inbox', 'plant.csv'), 'Zeit;Druck\n15.07.2026 10:00:00;1,5\n');
    const report = join(dir, 'inbox', 'rejected', 'plant.csv.report.txt');
    await until('the file refused', () => existsSync(report));
    expect(readFileSync(report, 'utf8')).toMatch(/file rejected: plant\.csv:2: Zeit "15\.07\.2026 10:00:00": a time without an offset .*station\.inbox\.timeZone/);

    writeFileSync(join(dir, 'inbox', 'utc.csv'), 'time,tag,value\n2026-07-15T10:00:00+02:00,Inbox.O,3\n');
    await until('the file with offsets imported', () => existsSync(join(dir, 'inbox', 'done', 'utc.csv')));
    const open = archive;
    await until('its row readable', () => open.readRaw({ tags: ['Inbox.O'], start: 0, end: 4e12 }).rows.length > 0);
    expect(open.readRaw({ tags: ['Inbox.O'], start: 0, end: 4e12 }).rows.map((r) => [r.t, r.value])).toEqual([[Date.UTC(2026, 6, 15, 8), 3]]);
    expect(() => open.readRaw({ tags: ['Druck'], start: 0, end: 4e12 })).toThrow(/not defined/); // nothing of plant.csv archived
  });
});
