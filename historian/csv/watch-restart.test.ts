/**
 * The inbox's followed files across a restart (follow-record.ts): a file moved to done/ whose
 * writer goes on is still followed by the next inbox on the same folder, within its window.
 * The first inbox is never stopped (as a kill leaves it). Real archive, real files; the expected
 * values are the rows the test wrote.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianTarget } from './import.js';
import { Inbox } from './watch.js';
import { followRecordPath } from './follow-record.js';

let dir: string;
let h: Historian;
const T0 = Date.UTC(2024, 4, 1, 12);
const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${new Date(T0 + (from + i) * 1000).toISOString()},L,${from + i}\n`).join('');
const values = () => h.readRaw({ tags: ['L'], start: T0 - 60_000, end: T0 + 3_600_000, pageSize: 10_000 }).rows.map((r) => r.value);
const ints = (n: number) => Array.from({ length: n }, (_, i) => i);
const FOLLOW = 600_000;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-restart-'));
  h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 0 });
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An inbox that imported logger.csv (rows 0..9) at t=1000 and moved it to done/; never stopped. */
async function firstRun(notes: unknown[] = []): Promise<string> {
  const first = new Inbox(historianTarget(h), dir, { stableMs: 1000, followMs: FOLLOW, onNote: (...n) => notes.push(n) });
  writeFileSync(join(first.inbox, 'logger.csv'), `time,tag,value\n${rows(0, 10)}`);
  expect(await first.poll(0)).toEqual([]);
  const [report] = await first.poll(1000);
  expect(report).toMatchObject({ file: 'logger.csv', imported: 10 });
  return join(first.done, 'logger.csv');
}

describe('the inbox follows its moved files across a restart', () => {
  it('imports rows appended after the restart, within the file\'s window', async () => {
    const done = await firstRun();
    const record = JSON.parse(readFileSync(followRecordPath(dir), 'utf8'));
    const bytes = Buffer.byteLength(`time,tag,value\n${rows(0, 10)}`);
    // since: when the import ended, on the poll's clock (1000 plus the import's time).
    expect(record.followed).toEqual([{ file: 'done/logger.csv', name: 'logger.csv', importedBytes: bytes, size: bytes, mtimeMs: statSync(done).mtimeMs, since: expect.any(Number), until: expect.any(Number), grew: false }]);
    expect(record.followed[0].since).toBeGreaterThanOrEqual(1000);
    expect(record.followed[0].until).toBe(record.followed[0].since + FOLLOW);

    const notes: unknown[] = [];
    const next = new Inbox(historianTarget(h), dir, { stableMs: 1000, followMs: FOLLOW, onNote: (...n) => notes.push(n) });
    expect(await next.poll(60_000)).toEqual([]); // unchanged: followed as it was
    appendFileSync(done, rows(10, 15)); // its writer goes on
    expect(await next.poll(61_000)).toEqual([]); // the change seen
    const [again] = await next.poll(62_000);
    expect(again).toMatchObject({ file: 'logger.csv', grewAfterImport: true, imported: 5, unchanged: 10 });
    expect(values()).toEqual(ints(15));
    expect(notes).toEqual([]);
  });

  it('imports rows appended while no inbox ran (a kill, then a start)', async () => {
    const done = await firstRun();
    appendFileSync(done, rows(10, 20));
    const notes: unknown[][] = [];
    const next = new Inbox(historianTarget(h), dir, { stableMs: 1000, followMs: FOLLOW, onNote: (...n) => notes.push(n) });
    expect(await next.poll(300_000)).toEqual([]); // changed since the record: grown, imported once stable
    const [again] = await next.poll(301_000);
    expect(again).toMatchObject({ grewAfterImport: true, imported: 10, unchanged: 10 });
    expect(values()).toEqual(ints(20));
    expect(notes.map((n) => n[1])).toEqual(['inbox file changed while it was not followed: imported again once stable']);
    // Recorded again as imported up to its new end.
    const [entry] = JSON.parse(readFileSync(followRecordPath(dir), 'utf8')).followed;
    expect(entry).toMatchObject({ file: 'done/logger.csv', importedBytes: statSync(done).size, size: statSync(done).size, grew: false });
    expect(entry.since).toBeGreaterThanOrEqual(301_000);
  });

  it('forgets a file whose window ended unchanged, as a running inbox does', async () => {
    const done = await firstRun();
    const { until } = JSON.parse(readFileSync(followRecordPath(dir), 'utf8')).followed[0];
    const next = new Inbox(historianTarget(h), dir, { stableMs: 1000, followMs: FOLLOW });
    expect(await next.poll(until)).toEqual([]);
    expect(JSON.parse(readFileSync(followRecordPath(dir), 'utf8')).followed).toEqual([]);
    appendFileSync(done, rows(10, 12));
    await next.poll(until + 1000);
    await next.poll(until + 3000);
    expect(values()).toEqual(ints(10));
  });

  it('reports a damaged record and starts all the same; a damaged entry costs only its file', async () => {
    const done = await firstRun();
    const good = JSON.parse(readFileSync(followRecordPath(dir), 'utf8')).followed[0];
    for (const text of ['{"version": 1, "followed": [', '[]', '{"version": 1, "followed": [{"file": "../../etc/passwd"}]}']) {
      writeFileSync(followRecordPath(dir), text);
      const notes: unknown[][] = [];
      const next = new Inbox(historianTarget(h), dir, { stableMs: 0, followMs: FOLLOW, onNote: (...n) => notes.push(n) });
      expect(notes, text).toEqual([['warn', 'inbox follow record damaged: ignored (files it named are not followed)', { path: followRecordPath(dir), problem: expect.any(String) }]]);
      writeFileSync(join(next.inbox, 'new.csv'), `time,tag,value\n${new Date(T0 + 100_000).toISOString()},N,1\n`);
      expect((await next.poll(5000)).map((r) => r.file)).toEqual(['new.csv']); // still imports
      rmSync(join(next.done, 'new.csv'));
    }
    // One bad entry beside a good one: the good one is followed.
    writeFileSync(followRecordPath(dir), JSON.stringify({ version: 1, followed: [{ ...good, size: 'big' }, good] }));
    const notes: unknown[][] = [];
    const next = new Inbox(historianTarget(h), dir, { stableMs: 1000, followMs: FOLLOW, onNote: (...n) => notes.push(n) });
    expect(notes).toEqual([['warn', expect.any(String), { path: followRecordPath(dir), problem: 'entry 1 skipped: field "size": expected a number' }]]);
    appendFileSync(done, rows(10, 12));
    await next.poll(10_000);
    await next.poll(11_000);
    expect(values()).toEqual(ints(12));
  });
});
