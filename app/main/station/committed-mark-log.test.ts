/**
 * The commit mark written light (committed-mark.ts): a snapshot of every tag, and per commit a
 * line of the tags it moved. Counted in bytes on disk, never in time. The expected marks are the
 * test's own record of what it handed over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStationConfig } from './config-file.js';
import { StationArchive } from './archive.js';
import { CommittedMarkWriter, committedLogPath, committedMarkPath, readCommittedMark } from './committed-mark.js';
import { createLogger, silentLogger } from '../log.js';
import { MARK_TAGS, MARK_TEST_CONFIG } from './testing/mark-config.js';
import { ArchiveReader } from '../../../historian/index.js';
import { spawn } from 'node:child_process';

const TAGS = MARK_TAGS;
const config = parseStationConfig(MARK_TEST_CONFIG, 'test.yaml');

const dirs: string[] = [];
let open: StationArchive | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempData = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-mark-log-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'archive'), { recursive: true });
  return dir;
};
/** A file's bytes; 0 when it is not there (a log not written yet). */
const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 50));
}

describe('the commit mark written light', () => {
  it('a commit of one tag of 200 appends that tag alone: the snapshot of the others is not written again', async () => {
    const dir = tempData();
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200 }));
    const t0 = Date.now() - 60_000;
    archive.write(TAGS.map((tag) => ({ tag, t: t0, value: 1, status: 0 })));
    const mark = () => readCommittedMark(dir, silentLogger());
    await until(() => Object.keys(mark()?.tags ?? {}).length === TAGS.length);
    const snapshot = readFileSync(committedMarkPath(dir));
    const logBefore = size(committedLogPath(dir));
    expect(snapshot.length).toBeGreaterThan(TAGS.length * 20); // every tag's name and time

    archive.write([{ tag: 'Area.Tank7.Level', t: t0 + 1000, value: 2, status: 0 }]);
    await until(() => mark()?.tags['Area.Tank7.Level'] === t0 + 1000);
    const m = mark()!;
    expect(m.tags).toEqual(Object.fromEntries(TAGS.map((t) => [t, t === 'Area.Tank7.Level' ? t0 + 1000 : t0])));
    // The snapshot is as it was, byte for byte; the log grew by one line naming the one tag.
    expect(readFileSync(committedMarkPath(dir)).equals(snapshot)).toBe(true);
    const appended = readFileSync(committedLogPath(dir)).subarray(logBefore).toString('utf8');
    expect(appended.length).toBeLessThan(100);
    expect(appended.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(appended).tags)).toEqual(['Area.Tank7.Level']);
  }, 30_000);

  it('stays bounded: one-tag commits never make a log bigger than 4 snapshots, and the mark read is the newest of each tag', async () => {
    const dir = tempData();
    const writer = new CommittedMarkWriter(dir, silentLogger());
    const expected: Record<string, number> = {};
    let seq = 0;
    let at = 1_000_000;
    const commit = async (samples: { tag: string; t: number }[]) => {
      writer.written(++seq, (at += 200), samples);
      for (const s of samples) expected[s.tag] = Math.max(expected[s.tag] ?? -Infinity, s.t);
      writer.committed(seq);
      await writer.settled();
    };
    await commit(TAGS.map((tag) => ({ tag, t: 5000 })));
    expect(size(committedLogPath(dir))).toBe(0); // the first write is a snapshot
    const snapshotBytes = size(committedMarkPath(dir));
    let snapshots = 0;
    for (let i = 0; i < 1000; i++) {
      const snapshot = readFileSync(committedMarkPath(dir));
      await commit([{ tag: TAGS[i % 7]!, t: 6000 + i }]);
      expect(size(committedLogPath(dir))).toBeLessThan(4 * snapshotBytes + 100);
      if (!readFileSync(committedMarkPath(dir)).equals(snapshot)) snapshots++;
    }
    // A line each; a snapshot only when the log grew as big as 4 (about 50 B a line, 5 KB a snapshot).
    expect(snapshotBytes).toBeGreaterThan(TAGS.length * 20);
    expect(snapshots).toBeGreaterThan(0);
    expect(snapshots).toBeLessThan(5);
    expect(readCommittedMark(dir, silentLogger())).toEqual({ at, tags: expected });
    // A commit that moves every tag is a snapshot (no bigger than its line would be), the log emptied.
    await commit(TAGS.map((tag) => ({ tag, t: 9000 })));
    expect(size(committedLogPath(dir))).toBe(0);
    expect(readCommittedMark(dir, silentLogger())).toEqual({ at, tags: expected });
  }, 60_000);

  it('a last line cut short by a crash is left out (the mark before it holds); a damaged line before it makes the mark none, said', async () => {
    const dir = tempData();
    const writer = new CommittedMarkWriter(dir, silentLogger());
    writer.written(1, 1000, TAGS.map((tag) => ({ tag, t: 500 })));
    writer.committed(1);
    await writer.settled();
    writer.written(2, 2000, [{ tag: TAGS[3]!, t: 1500 }]);
    writer.committed(2);
    await writer.settled();
    const whole = { at: 2000, tags: { ...Object.fromEntries(TAGS.map((t) => [t, 500])), [TAGS[3]!]: 1500 } };
    expect(readCommittedMark(dir, silentLogger())).toEqual(whole);

    appendFileSync(committedLogPath(dir), '{"at":3000,"tags":{"Area.Tank3.Level":25'); // killed mid-write
    expect(readCommittedMark(dir, silentLogger())).toEqual(whole);

    appendFileSync(committedLogPath(dir), '\n{"at":4000,"tags":{}}\n'); // the cut line then ended: damage
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    expect(readCommittedMark(dir, logger)).toBeNull();
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ path: committedLogPath(dir), line: 2, msg: expect.stringMatching(/^archive commit mark damaged/) })]);

    // The next writer starts from none, and its first write (a snapshot) empties the log.
    const next = new CommittedMarkWriter(dir, silentLogger());
    next.written(1, 5000, [{ tag: TAGS[0]!, t: 4500 }]);
    next.committed(1);
    await next.settled();
    expect(size(committedLogPath(dir))).toBe(0);
    expect(readCommittedMark(dir, silentLogger())).toEqual({ at: 5000, tags: { [TAGS[0]!]: 4500 } });
  });

  it('reads a mark written before the log (committed.json alone) and goes on from it', async () => {
    const dir = tempData();
    writeFileSync(committedMarkPath(dir), JSON.stringify({ at: 1000, tags: { A: 900, B: 950 } }));
    expect(readCommittedMark(dir, silentLogger())).toEqual({ at: 1000, tags: { A: 900, B: 950 } });
    const writer = new CommittedMarkWriter(dir, silentLogger());
    writer.written(1, 2000, [{ tag: 'C', t: 1900 }]);
    writer.committed(1);
    await writer.settled();
    writer.written(2, 3000, [{ tag: 'A', t: 2900 }]);
    writer.committed(2);
    await writer.settled();
    expect(readCommittedMark(dir, silentLogger())).toEqual({ at: 3000, tags: { A: 2900, B: 950, C: 1900 } });
    // The snapshot alone (what a reader before the log reads) is a mark too: an earlier one, never a later one.
    const alone = JSON.parse(readFileSync(committedMarkPath(dir), 'utf8')) as { at: number; tags: Record<string, number> };
    expect(alone.at).toBeLessThanOrEqual(3000);
    expect(Object.keys(alone.tags).sort()).toEqual(['A', 'B', 'C']);
    expect([alone.tags.A! <= 2900, alone.tags.B === 950, alone.tags.C === 1900]).toEqual([true, true, true]);
  });

  it('after a kill (SIGKILL) mid-flow, each tag\'s mark is a time its archive holds, never one it does not', async () => {
    const dir = tempData();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'mark-station.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let out = '';
    child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
    try {
      await until(() => out.includes('open\n'));
      // Commits of a few tags each have gone to the log for a while (lines, and a snapshot or more).
      await until(() => size(committedLogPath(dir)) > 2000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const mark = readCommittedMark(dir, silentLogger())!;
    expect(Object.keys(mark.tags).sort()).toEqual([...TAGS].sort());
    const read = new ArchiveReader(join(dir, 'archive'));
    try {
      for (const tag of TAGS) {
        const rows = read.readRaw({ tags: [tag], start: mark.tags[tag]! - 3_600_000, end: mark.tags[tag]! + 3_600_000, pageSize: 100_000 }).rows;
        // The archive holds the sample at the mark's time, and nothing beyond what was committed is claimed.
        expect(rows.some((r) => r.t === mark.tags[tag]), tag).toBe(true);
        expect(rows.at(-1)!.t, tag).toBeGreaterThanOrEqual(mark.tags[tag]!);
      }
    } finally {
      read.close();
    }
  }, 120_000);
});
