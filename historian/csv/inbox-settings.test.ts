/**
 * The inbox's time settings (station.inbox in the station config): a German plant export with
 * local times and no offset is refused whole without a time zone (not archived as UTC, 2 h off),
 * and archived at the right instants with one; a file whose times carry offsets needs none.
 * Real Inbox on a real archive; the expected instants are written out by hand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianTarget } from './import.js';
import { Inbox } from './watch.js';
import { inboxImportOptions } from './inbox-settings.js';

let dir: string;
let h: Historian;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-zone-'));
  h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const GERMAN = 'Zeit;Druck\n15.07.2026 10:00:00;1,5\n15.07.2026 10:00:01;1,6\n';
const archived = (tag: string) => h.readRaw({ tags: [tag], start: 0, end: 4e12 }).rows.map((r) => [new Date(r.t).toISOString(), r.value]);

describe('inbox time settings', () => {
  it('without a time zone: a file of times without offset is refused whole into rejected/, its report saying to set the zone', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0, ...inboxImportOptions(undefined) });
    writeFileSync(join(inbox.inbox, 'plant.csv'), GERMAN);
    const [report] = await inbox.poll(0);
    expect(report!.imported).toBe(0);
    expect(report!.fileError).toMatch(/^plant\.csv:2: Zeit "15\.07\.2026 10:00:00": a time without an offset .*station\.inbox\.timeZone/);
    expect(readdirSync(inbox.rejected).sort()).toEqual(['plant.csv', 'plant.csv.report.txt']);
    expect(readFileSync(join(inbox.rejected, 'plant.csv.report.txt'), 'utf8')).toContain('the inbox has no time zone set');
    expect(h.kindOf('Druck')).toBeUndefined();
  });

  it('with timeZone Europe/Berlin: the local times are archived at their instants (CEST, UTC+2)', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0, ...inboxImportOptions({ timeZone: 'Europe/Berlin' }) });
    writeFileSync(join(inbox.inbox, 'plant.csv'), GERMAN);
    const [report] = await inbox.poll(0);
    expect(report!.rejections.count).toBe(0);
    expect(existsSync(join(inbox.done, 'plant.csv'))).toBe(true);
    expect(archived('Druck')).toEqual([['2026-07-15T08:00:00.000Z', 1.5], ['2026-07-15T08:00:01.000Z', 1.6]]);
  });

  it('dateOrder and epoch are taken as --date-order and --epoch are', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0, ...inboxImportOptions({ timeZone: '+01:00', dateOrder: 'mdy', epoch: 's' }) });
    writeFileSync(join(inbox.inbox, 'us.csv'), 'time,tag,value\n07/04/2026 10:00:00,U,1\n');
    writeFileSync(join(inbox.inbox, 'ep.csv'), 'time,tag,value\n1784100000,E,2\n');
    const reports = await inbox.poll(0);
    expect(reports.map((r) => r.rejections.count)).toEqual([0, 0]);
    expect(archived('U')).toEqual([['2026-07-04T09:00:00.000Z', 1]]);
    expect(archived('E')).toEqual([[new Date(1_784_100_000_000).toISOString(), 2]]);
  });

  it('without a time zone: times with an offset are archived as written', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0, ...inboxImportOptions({}) });
    writeFileSync(join(inbox.inbox, 'utc.csv'), 'time,tag,value\n2026-07-15T10:00:00+02:00,O,3\n');
    const [report] = await inbox.poll(0);
    expect(report!.rejections.count).toBe(0);
    expect(archived('O')).toEqual([['2026-07-15T08:00:00.000Z', 3]]);
  });
});
