/**
 * The station's CSV inbox across a kill: a file imported and moved to done/ whose writer still has
 * it open is followed for FOLLOW_MS (historian/csv/watch.ts). A station killed (SIGKILL) inside that
 * window and started again on the same data goes on following it: rows appended while it was down,
 * and rows appended after the start, are archived. Real archive thread and inbox (a child process
 * for the station that is killed), real files; the expectation is the rows the test wrote.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StationArchive } from './archive.js';
import { parseStationConfig } from './config-file.js';
import { createLogger } from '../log.js';
import { INBOX_TEST_CONFIG } from './testing/inbox-config.js';

const T0 = Date.UTC(2024, 4, 1, 12);
const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${new Date(T0 + (from + i) * 1000).toISOString()},Inbox.L,${from + i}\n`).join('');
const ints = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Polls until `ok` holds or `ms` pass (then fails saying what was awaited). */
async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dir = '';
let child: ChildProcess | null = null;
let archive: StationArchive | null = null;
afterEach(async () => {
  child?.kill('SIGKILL');
  await archive?.close();
  archive = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('the station\'s inbox across a kill', () => {
  it('goes on following a file moved to done/: rows appended while it was down and after its start are archived', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-kill-'));
    const proc = (child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'inbox-station.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] }));
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => void (out += c.toString()));
    await until('the first station open', () => out.includes('open\n'), 120_000);

    const file = join(dir, 'inbox', 'logger.csv');
    const done = join(dir, 'inbox', 'done', 'logger.csv');
    writeFileSync(file, `time,tag,value\n${rows(0, 10)}`);
    await until('the file imported and moved', () => existsSync(done)); // its rows committed before the move (import.ts flushAtEnd)
    proc.kill('SIGKILL');
    await exited;

    appendFileSync(done, rows(10, 20)); // its writer goes on while no station runs
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    archive = await StationArchive.open(parseStationConfig(INBOX_TEST_CONFIG, 'inbox-test.yaml'), dir, logger, { flushIntervalMs: 200 });
    const open = archive;
    const values = () => {
      try {
        return open.readRaw({ tags: 'Inbox.L', start: T0, end: T0 + 3_600_000 }).rows.map((r) => r.value);
      } catch {
        return []; // not archived yet
      }
    };
    await until('the rows appended while down', () => values().length >= 20);
    expect(values()).toEqual(ints(20));
    appendFileSync(done, rows(20, 25)); // and after the start, inside the file's window
    await until('the rows appended after the start', () => values().length >= 25);
    expect(values()).toEqual(ints(25));
    // Nothing failed on the way (the thread's log: no error; what the record says is in watch-restart.test.ts).
    expect(lines.filter((l) => JSON.parse(l).level >= 50).map((l) => JSON.parse(l).msg)).toEqual([]);
  }, 240_000);
});
