import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockArchiveVolume } from './testing/archive-lock.js';
import { parseStationConfig } from './config-file.js';
import { StationArchive } from './archive.js';
import { committedMarkPath, readCommittedMark } from './committed-mark.js';
import { createLogger, silentLogger } from '../log.js';

const config = parseStationConfig(
  `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 250 }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.N, server: s, nodeId: "ns=1;s=N", unit: m, range: [0, 100], kind: analog, area: A, compression: { kind: none } }
  - { name: A.Q, server: s, nodeId: "ns=1;s=Q", unit: m, range: [0, 100], kind: analog, area: A, compression: { kind: none } }
`,
  'test.yaml',
);

let open: StationArchive | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls until `ok` holds; the test's timeout bounds it. */
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await sleep(50);
}

describe('the archive commit mark (what a crash gap starts from)', () => {
  it('follows the commits while samples flow without pause, stays at the last commit while commits fail, and names each tag\'s newest committed time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-mark-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200 }));
    const t0 = Date.now() - 60_000;
    let i = 0;
    // A.N a sample every 10 ms; A.Q one only, at the start.
    archive.write([{ tag: 'A.Q', t: t0, value: 1, status: 0 }]);
    const feed = setInterval(() => archive.write([{ tag: 'A.N', t: t0 + 10 * ++i, value: i % 100, status: 0 }]), 10);
    try {
      await sleep(3000);
      // Commits every 200 ms: while writes never pause, the mark keeps moving (ordering, not a time bound).
      const mark = () => readCommittedMark(dir, silentLogger())!;
      const flowing = mark();
      expect(flowing.tags['A.Q']).toBe(t0);
      await until(() => mark().at > flowing.at);

      // The lock taken once a commit made after `beforeLock` is in the mark: the mark then follows commits up to it.
      const beforeLock = Date.now();
      await until(() => mark().at > beforeLock);
      const other = lockArchiveVolume(join(dir, 'archive'));
      const lockedAt = Date.now();
      try {
        await sleep(1000);
        const early = mark();
        await sleep(2000);
        // No commit succeeded since the lock: the mark stands at the last one before it (a crash now loses all from there).
        const held = mark();
        expect(held.at).toBeGreaterThan(beforeLock);
        expect(held.at).toBeLessThanOrEqual(lockedAt);
        expect(held).toEqual(early);
      } finally {
        other.close();
      }
      await until(() => mark().at > lockedAt);
    } finally {
      clearInterval(feed);
    }
    // Every sample handed over before the last paced commit is in the archive up to the mark's time for it.
    await sleep(500);
    const last = readCommittedMark(dir, silentLogger())!;
    const rows = archive.readRaw({ tags: 'A.N', start: t0, end: t0 + 10 * (i + 1) }).rows;
    expect(rows.at(-1)!.t).toBeGreaterThanOrEqual(last.tags['A.N']!);
    expect(rows.some((r) => r.t === last.tags['A.N'])).toBe(true);
  }, 60_000);

  it('a damaged mark (a power cut mid-write, a hand edit) is reported and read as none: the station still opens its archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-mark-'));
    mkdirSync(join(dir, 'archive'), { recursive: true });
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    for (const text of ['{"at": 17965', '[]', '{"at": "yesterday", "tags": {}}']) {
      writeFileSync(committedMarkPath(dir), text);
      expect(readCommittedMark(dir, logger), text).toBeNull();
    }
    expect(lines.map((l) => JSON.parse(l).msg as string)).toEqual(Array(3).fill(expect.stringMatching(/^archive commit mark damaged/)));
    expect(lines.every((l) => JSON.parse(l).path === committedMarkPath(dir))).toBe(true);
    const archive = (open = await StationArchive.open(config, dir, logger, { flushIntervalMs: 200 }));
    archive.write([{ tag: 'A.N', t: Date.now() - 1000, value: 1, status: 0 }]);
    // Written at the archive's next commit (flushIntervalMs): waited for, not timed (a loaded machine commits later).
    await until(() => readCommittedMark(dir, silentLogger()) !== null);
    expect(readCommittedMark(dir, logger)).toMatchObject({ tags: { 'A.N': expect.any(Number) } });
  }, 30_000);
});
