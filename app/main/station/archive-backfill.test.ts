/**
 * A backfill the archive does not store is never reported stored: StationArchive.backfill()
 * resolves only once a commit holds the values, and rejects (the station passes it on to the
 * acquisition, which keeps the gap pending) when the archive's thread refuses them or is gone. Before,
 * a refused insert ("archive backfill failed" in the log) resolved at the next commit and a dead
 * thread resolved at once: the gap was marked done with nothing stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../historian/index.js';
import type { AcquiredSample } from '../acquisition/sample.js';
import { silentLogger } from '../log.js';
import { historianTagConfig, StationArchive } from './archive.js';
import { parseStationConfig } from './config-file.js';
import { lockArchiveVolume } from './testing/archive-lock.js';

const config = parseStationConfig(
  `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x" }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.N, server: s, nodeId: "ns=1;s=N", unit: m, range: [0, 100], kind: analog, area: A, compression: { kind: none } }
`,
  'test.yaml',
);

const DAY = 86_400_000;
const dirs: string[] = [];
let open: StationArchive | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const samplesAt = (t0: number, n: number): AcquiredSample[] =>
  Array.from({ length: n }, (_, i) => ({ tag: 'A.N', t: t0 + 1000 * i, value: i, status: 0 }));

/** How a promise ended, without waiting past a generous bound (a backfill that never ends is a failure too). */
async function outcome(p: Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const never = new Promise<string>((r) => { timer = setTimeout(() => r('still waiting after 30 s'), 30_000); });
  try {
    return await Promise.race([p.then(() => 'stored', (err: Error) => `refused: ${err.message}`), never]);
  } finally {
    clearTimeout(timer);
  }
}

describe('station archive: a backfill it does not store', () => {
  it('rejects values the thread refuses (a time in a detached volume), and stores the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-bf-'));
    dirs.push(dir);
    // A volume of three days ago, detached by an engineer (historian volume-admin.ts): the historian
    // refuses to archive a value in it.
    const old = Date.now() - 3 * DAY;
    const h = Historian.open(join(dir, 'archive'), { volumePeriod: 'day' });
    h.defineTag(historianTagConfig(config.tags[0]!, config));
    h.insert('A.N', [{ t: old, value: 1, status: 0 }]);
    h.flush();
    const volume = h.volumes().find((v) => v.start <= old && old < v.end)!;
    h.detachVolume(volume.id);
    await h.close();

    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200, volumePeriod: 'day' }));
    const refused = samplesAt(old + 60_000, 5);
    expect(await outcome(archive.backfill(refused))).toMatch(/^refused: backfill not archived: .*detached/);

    // Values of today are stored, and said stored only once committed (readable).
    const fine = samplesAt(Date.now() - 60_000, 5);
    expect(await outcome(archive.backfill(fine))).toBe('stored');
    expect(archive.readRaw({ tags: 'A.N', start: fine[0]!.t - 1, end: fine[4]!.t }).rows.map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects values handed over after its thread ended, and those waiting for a commit when it ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-bf-'));
    dirs.push(dir);
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200 }));
    archive.write(samplesAt(Date.now() - 120_000, 3));
    await archive.flush();
    // Commits fail (the volume's write lock held, as on a full disk): the backfill waits for one.
    const lock = lockArchiveVolume(join(dir, 'archive'));
    try {
      const waiting = outcome(archive.backfill(samplesAt(Date.now() - 60_000, 5)));
      // The thread ends as a crash would end it.
      await (archive as unknown as { thread: { worker: Worker } }).thread.worker.terminate();
      expect(await waiting).toMatch(/^refused: backfill not archived: archive thread exited/);
    } finally {
      lock.close();
    }
    const after = samplesAt(Date.now() - 30_000, 2);
    expect(await outcome(archive.backfill(after))).toMatch(/^refused: backfill not archived: archive thread exited/);
    // Nothing to store is no refusal.
    expect(await outcome(archive.backfill([]))).toBe('stored');
  });
});
