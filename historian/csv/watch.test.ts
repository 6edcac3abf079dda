import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync, appendFileSync } from 'node:fs';
import type { Sample } from '../types.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianTarget } from './import.js';
import { Inbox } from './watch.js';

let dir: string;
let h: Historian;
const T0 = Date.UTC(2024, 4, 1, 12);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-'));
  h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const values = (tag: string) => h.readRaw({ tags: [tag], start: T0 - 60_000, end: T0 + 60_000 }).rows.map((r) => r.value);

describe('Inbox (watched folder)', () => {
  it('imports a file only once it is stable, then moves it to done/', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 2000 });
    const file = join(inbox.inbox, 'fill.csv');
    writeFileSync(file, `time,tag,value\r\n${iso(0)},A,1\r\n`);
    expect(await inbox.poll(10_000)).toEqual([]); // first sight
    appendFileSync(file, `${iso(1)},A,2\r\n`); // still being written
    expect(await inbox.poll(11_000)).toEqual([]);
    expect(await inbox.poll(12_500)).toEqual([]); // changed at 11 000: not yet stable
    const reports = await inbox.poll(13_100);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ file: 'fill.csv', imported: 2, rejections: { count: 0 } });
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(inbox.done)).toEqual(['fill.csv']);
    expect(readdirSync(inbox.rejected)).toEqual([]);
    expect(values('A')).toEqual([1, 2]);
  });

  it('moves a file with rejected lines to rejected/ with a report naming each line, good lines imported', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0 });
    writeFileSync(join(inbox.inbox, 'mixed.csv'), Buffer.concat([
      Buffer.from(`time,tag,value,status\n${iso(0)},B,1,Good\n${iso(1)},B,x,Good\n${iso(2)},B,3\n2024-02-30T00:00:00Z,B,4,Good\n${iso(3)},B`),
      Buffer.from([0xe9]), // Latin-1 e-acute inside a UTF-8 file
      Buffer.from(`,5,Good\n${iso(4)},B,6,Meh\n${iso(5)},B,7,Good\n`),
    ]));
    const [report] = await inbox.poll();
    expect(report.imported).toBe(2);
    expect(readdirSync(inbox.rejected).sort()).toEqual(['mixed.csv', 'mixed.csv.report.txt']);
    const text = readFileSync(join(inbox.rejected, 'mixed.csv.report.txt'), 'utf8');
    expect(text).toContain('imported: 2 samples');
    expect(text).toContain('rejected lines: 5');
    expect(text).toMatch(/mixed\.csv:3: field "value": expected a number/);
    expect(text).toMatch(/mixed\.csv:4: field "record": expected 4 fields/);
    expect(text).toMatch(/mixed\.csv:5: field "time": expected a valid calendar date/);
    expect(text).toMatch(/mixed\.csv:6: field "tag": expected UTF-8 text \(byte 0xE9 at byte 27 of the line is not UTF-8/);
    expect(text).toMatch(/mixed\.csv:7: field "status": expected a status/);
    expect(values('B')).toEqual([1, 7]);
  });

  it('rejects unreadable and non-CSV files with a report, and never overwrites an earlier file of the same name', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0 });
    writeFileSync(join(inbox.inbox, 'u16.csv'), Buffer.from('time,tag,value\n', 'utf16le'));
    writeFileSync(join(inbox.inbox, 'notes.xlsx'), 'PK');
    writeFileSync(join(inbox.inbox, 'copying.csv.part'), 'time,tag'); // a copy in progress: left alone
    writeFileSync(join(inbox.done, 'again.csv'), 'earlier');
    writeFileSync(join(inbox.inbox, 'again.csv'), `time,tag,value\n${iso(0)},C,1\n`);
    const reports = await inbox.poll();
    expect(reports.map((r) => [r.file, r.fileError !== undefined])).toEqual(
      expect.arrayContaining([['u16.csv', true], ['notes.xlsx', true], ['again.csv', false]]),
    );
    expect(readFileSync(join(inbox.rejected, 'u16.csv.report.txt'), 'utf8')).toMatch(/NUL bytes in its first line \(UTF-16 without byte-order mark\?\); expected UTF-8/);
    expect(readFileSync(join(inbox.rejected, 'notes.xlsx.report.txt'), 'utf8')).toMatch(/expected a \.csv file/);
    expect(readdirSync(inbox.done).sort()).toEqual(['again-1.csv', 'again.csv']);
    expect(readFileSync(join(inbox.done, 'again.csv'), 'utf8')).toBe('earlier');
    expect(readdirSync(inbox.inbox).sort()).toEqual(['copying.csv.part', 'done', 'rejected']);
  });

  it('sees tags defined after it started and never redefines them', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0 });
    writeFileSync(join(inbox.inbox, 'first.csv'), `time,tag,value\n${iso(0)},E,1\n`);
    await inbox.poll();
    const config = { name: 'TK9.Mode', kind: 'text', description: 'station', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 } as const;
    h.defineTag(config, 0); // the station defines a tag while the inbox runs
    writeFileSync(join(inbox.inbox, 'second.csv'), `time,tag,value\n${iso(1)},TK9.Mode,Filling\n`);
    const [report] = await inbox.poll();
    expect(report).toMatchObject({ imported: 1, createdTags: [], rejections: { count: 0 } });
    expect(h.versions('TK9.Mode')).toHaveLength(1);
    expect(h.versions('TK9.Mode')[0].config.description).toBe('station');
    expect(values('TK9.Mode')).toEqual(['Filling']);
  });

  it('parks a file the archive refuses (a detached volume) in rejected/ instead of retrying it forever', async () => {
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0 });
    writeFileSync(join(inbox.inbox, 'day1.csv'), `time,tag,value\n${iso(0)},F,1\n`);
    await inbox.poll();
    const [vol] = h.volumes();
    h.detachVolume(vol.id);
    // G is new: its rows are appended, and the writer refuses times in the detached volume
    writeFileSync(join(inbox.inbox, 'refused.csv'), `time,tag,value\n${iso(5)},G,1\n`);
    const [report] = await inbox.poll();
    expect(report.fileError).toMatch(/refused\.csv: import failed/);
    expect(readdirSync(inbox.rejected).sort()).toEqual(['refused.csv', 'refused.csv.report.txt']);
    // rows older than F's archive go through insert: refused row by row, each reported with its line
    h.attachVolume(vol.id);
    h.append('F', [{ t: T0 + 86_400_000 * 2, value: 9, status: 0 }]);
    h.flush();
    h.detachVolume(vol.id);
    writeFileSync(join(inbox.inbox, 'late.csv'), `time,tag,value\n${iso(1)},F,2\n${iso(2)},F,3\n`);
    const [late] = await inbox.poll();
    expect(late.fileError).toBeUndefined();
    expect(late.rejections.listed.map((r) => [r.line, r.field])).toEqual([[2, 'time'], [3, 'time']]);
    expect(readFileSync(join(inbox.rejected, 'late.csv.report.txt'), 'utf8')).toMatch(/late\.csv:2: field "time": expected .*detached/);
    expect(readFileSync(join(inbox.rejected, 'refused.csv.report.txt'), 'utf8')).toMatch(/detached/);
  });

  it('leaves a file that changed while it was read in the inbox and imports it again once stable: no row lost', async () => {
    const file = () => join(inbox.inbox, 'logger.csv');
    const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${iso(from + i)},L,${from + i}\n`).join('');
    // A logger writes on while the import reads the file: its next rows land when the import archives the first.
    const archive = historianTarget(h);
    let wrote = false;
    const target = { ...archive, append: (name: string, samples: Sample[]) => {
      archive.append(name, samples);
      if (!wrote) appendFileSync(file(), rows(10, 20));
      wrote = true;
    } };
    const inbox = new Inbox(target, dir, { stableMs: 1000 });
    writeFileSync(file(), `time,tag,value\n${rows(0, 10)}`);
    expect(await inbox.poll(0)).toEqual([]);
    const [first] = await inbox.poll(1000);
    expect(first).toMatchObject({ imported: 10, changedWhileRead: true });
    expect(readdirSync(inbox.inbox).sort()).toEqual(['done', 'logger.csv', 'rejected']);
    expect(await inbox.poll(1500)).toEqual([]); // not stable for 1 s since the change was seen
    const [second] = await inbox.poll(2500); // stable 1 s after the import that saw the change ended
    // The 10 rows archived already are so again (not rewritten); the 10 written meanwhile are added.
    expect(second).toMatchObject({ imported: 10, unchanged: 10, rejections: { count: 0 } });
    expect(second.changedWhileRead).toBeUndefined();
    expect(readdirSync(inbox.done)).toEqual(['logger.csv']);
    expect(values('L')).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('imports again a file its writer still had open and wrote on after it was moved to done/ (a real watcher)', async () => {
    const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${iso(from + i)},G,${from + i}\n`).join('');
    const moved: string[] = [];
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 150, pollMs: 25, followMs: 10_000, onFile: (_r, to) => moved.push(to) });
    inbox.start();
    const fd = openSync(join(inbox.inbox, 'logger.csv'), 'w');
    try {
      writeSync(fd, `time,tag,value\n${rows(0, 1000)}`); // a logger flushes 1000 rows and pauses
      for (let i = 0; i < 400 && moved.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(moved).toEqual([join(inbox.done, 'logger.csv')]);
      writeSync(fd, rows(1000, 2000)); // and writes on, to the file it still has open (now in done/)
    } finally {
      closeSync(fd);
    }
    for (let i = 0; i < 400 && moved.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await inbox.stop();
    expect(moved).toEqual([join(inbox.done, 'logger.csv'), join(inbox.done, 'logger.csv')]);
    expect(readFileSync(join(inbox.done, 'logger.csv'), 'utf8').split('\n')).toHaveLength(2002); // header, 2000 rows, ''
    expect(h.readRaw({ tags: ['G'], start: T0, end: T0 + 3_000_000, pageSize: 10_000 }).rows.map((r) => r.value)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('runs on its own timer until stopped', async () => {
    const seen: string[] = [];
    const inbox = new Inbox(historianTarget(h), dir, { stableMs: 0, pollMs: 20, onFile: (r) => seen.push(r.file) });
    inbox.start();
    writeFileSync(join(inbox.inbox, 'timer.csv'), `time,tag,value\n${iso(0)},D,1\n`);
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await inbox.stop();
    expect(seen).toEqual(['timer.csv']);
    expect(values('D')).toEqual([1]);
  });
});
