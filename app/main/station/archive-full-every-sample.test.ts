/**
 * A disk-full episode shorter than the hold bound loses nothing: three 500 ms tags (no
 * compression, deadband, swinging door) fed through the station's archive while its commits
 * fail for several paced flushes, then write again. Every sample offered is in the archive
 * exactly once, at its time, with its value (lossless) or within the deviation (compressed).
 * (Reported: "every other notification of a 500 ms tag went missing" during a disk-full episode.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveReader } from '../../../historian/index.js';
import { lockArchiveVolume } from './testing/archive-lock.js';
import type { ArchiveHealth } from '../../shared/api.js';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { parseStationConfig } from './config-file.js';
import { StationArchive } from './archive.js';
import { silentLogger } from '../log.js';
import { lineAt, spikyValue } from '../../../historian/testing/archived-line.js';

/** Deviation of both compressed tags: 1 % of a 0-100 span, in engineering units (the config's percentOfSpan). */
const DEVIATION = 1;
const valueAt = (i: number): number => spikyValue(i, DEVIATION);
const config = parseStationConfig(
  `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 500, publishingIntervalMs: 1000 }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.N, server: s, nodeId: "ns=1;s=N", unit: m, range: [0, 100], kind: analog, area: A, compression: { kind: none } }
  - { name: A.D, server: s, nodeId: "ns=1;s=D", unit: m, range: [0, 100], kind: analog, area: A,
      compression: { kind: deadband, deviation: 1, percentOfSpan: true } }
  - { name: A.S, server: s, nodeId: "ns=1;s=S", unit: m, range: [0, 100], kind: analog, area: A,
      compression: { kind: swinging-door, deviation: 1, percentOfSpan: true } }
`,
  'test.yaml',
);
const TAGS = ['A.N', 'A.D', 'A.S'] as const;
const STEP_MS = 500;

/** The status without InfoType and historian bits (OPC UA Part 4: the low 16 bits). */
const codeOf = (status: number) => (status & 0xffff0000) >>> 0;

let open: StationArchive | null = null;
let dir: string | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function until(what: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(what()).toBe(true);
}

/**
 * Every row Good and at a time of its own, in order; the lossless tag's rows are the samples offered,
 * a compressed tag's line is within DEVIATION of each of them (`upToLast`: those up to its last point).
 */
function expectArchived(tag: string, rows: readonly { t: number; value: unknown; status: number }[], offered: readonly { t: number; value: number }[],
  cover: 'all' | 'upToLast', episodeEnd: number, where: string): void {
  expect(rows.filter((r) => codeOf(r.status) !== 0), `${tag}: rows not Good ${where}`).toEqual([]);
  const times = rows.map((r) => r.t);
  expect(times.every((t, i) => i === 0 || t > times[i - 1]!), `${tag}: each time once, in order ${where}`).toBe(true);
  const line = rows.map((r) => ({ t: r.t, value: r.value as number }));
  if (tag === 'A.N') {
    expect(line, `${tag}: every sample, once ${where}`).toEqual(offered);
    return;
  }
  const last = line.at(-1)?.t ?? -Infinity;
  const covered = cover === 'all' ? offered : offered.filter((s) => s.t <= last);
  // The compressor's last point is past the episode: its samples are all checked.
  expect(covered.length, `${tag}: samples up to its last point ${where}`).toBeGreaterThan(episodeEnd);
  const off = covered
    .map((s) => ({ t: s.t, value: s.value, line: lineAt(line, s.t) }))
    .filter((s) => s.line === null || Math.abs(s.line - s.value) > DEVIATION + 1e-9);
  expect(off, `${tag}: samples off the archived line ${where}`).toEqual([]);
}

describe('station archive through a disk-full episode shorter than its hold bound', () => {
  it('archives every 500 ms sample of a lossless, a deadband and a swinging-door tag exactly once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-arch-every-'));
    // The station's own pacing (a commit a second) and hold bound.
    const archive = (open = await StationArchive.open(config, dir, silentLogger()));
    const health: ArchiveHealth[] = [];
    const events = new EventHub();
    events.subscribe((name, data) => { if (name === 'archive.health') health.push(data as ArchiveHealth); });
    archive.register(new Dispatcher(silentLogger()), events);

    // A publish a second of a 500 ms item: two notifications of each tag per batch, one tag's after the other's.
    const t0 = Date.now() - 300_000;
    let next = 0;
    const publish = () => {
      const batch = [];
      for (const tag of TAGS) for (let k = next; k < next + 2; k++) batch.push({ tag, t: t0 + STEP_MS * k, value: valueAt(k), status: 0 });
      next += 2;
      archive.write(batch);
    };
    const feeder = setInterval(publish, 300); // a second of the plant every 300 ms: the episode's ~40 s in ~12 s
    let episode = { from: 0, to: 0 };
    try {
      await until(() => next >= 20);
      await archive.flush();
      // The volume's write lock taken elsewhere: every paced commit fails (after the 5 s busy wait), as on a full disk.
      const other = lockArchiveVolume(join(dir, 'archive'));
      try {
        episode.from = next;
        // At least two failed commits, and 20 s or more of the plant's samples (3 tags x 2/s: far below the bound).
        await until(() => health.filter((h) => h.state === 'failing').length >= 2 && next >= episode.from + 40);
      } finally {
        other.close();
        episode = { ...episode, to: next };
      }
      await until(() => health.at(-1)?.state === 'writing');
      const after = next;
      await until(() => next >= after + 20);
    } finally {
      clearInterval(feeder);
    }
    expect(health.every((h) => h.dropping === null)).toBe(true);
    const offered = Array.from({ length: next }, (_, i) => ({ t: t0 + STEP_MS * i, value: valueAt(i) }));
    const range = { start: t0, end: t0 + STEP_MS * next };
    const where = `(episode: samples ${episode.from}..${episode.to - 1})`;

    // Committed, the compressors still running: their points so far (what the failed commits held included).
    await archive.flush();
    for (const tag of TAGS) expectArchived(tag, archive.readRaw({ tags: tag, ...range }).rows, offered, tag === 'A.N' ? 'all' : 'upToLast', episode.to, where);

    // Closed: what the compressors held is archived too, every sample covered.
    await archive.close();
    open = null;
    const reader = new ArchiveReader(join(dir, 'archive'));
    try {
      for (const tag of TAGS) expectArchived(tag, reader.readRaw({ tags: tag, ...range }).rows, offered, 'all', episode.to, where);
    } finally {
      reader.close();
    }
  }, 120_000);
});
