import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockArchiveVolume } from './testing/archive-lock.js';
import type { ArchiveHealth } from '../../shared/api.js';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { parseStationConfig } from './config-file.js';
import { StationArchive } from './archive.js';
import { silentLogger } from '../log.js';

// Two analog tags fed the same samples: A.N keeps every one (counted against what was offered),
// A.L compresses with HIST cyclic records (a 250 ms cycle), the record that must not span a gap.
const config = parseStationConfig(
  `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 250 }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.N, server: s, nodeId: "ns=1;s=N", unit: m, range: [0, 100], kind: analog, area: A, compression: { kind: none } }
  - { name: A.L, server: s, nodeId: "ns=1;s=L", unit: m, range: [0, 100], kind: analog, area: A,
      compression: { kind: deadband, deviation: 1, percentOfSpan: true } }
`,
  'test.yaml',
);

/** OPC UA Part 4 (StatusCodes): Bad_NoData; the archive adds historian bits in the low word. */
const BAD_NO_DATA = 0x809b0000;
const codeOf = (status: number) => (status & 0xffff0000) >>> 0;
const isGood = (status: number) => status >>> 30 === 0;

let open: StationArchive | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

async function until(what: () => boolean): Promise<void> {
  const deadline = Date.now() + 25_000;
  while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(what()).toBe(true);
}

describe('station archive while its commits fail (a full disk)', () => {
  it('archives what it held once it writes again; past its bound, the rest is a BadNoData gap, never a held Good value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-full-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200, heldSamplesMax: 20 }));
    const health: ArchiveHealth[] = [];
    const events = new EventHub();
    events.subscribe((name, data) => { if (name === 'archive.health') health.push(data as ArchiveHealth); });
    archive.register(new Dispatcher(silentLogger()), events);

    const t0 = Date.now() - 120_000;
    const tOf = (i: number) => t0 + 250 * i;
    // A rising value: each sample 2 % of span above the last, so the deadband keeps every one it sees.
    const offer = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        archive.write([{ tag: 'A.N', t: tOf(i), value: 2 * i, status: 0 }, { tag: 'A.L', t: tOf(i), value: 2 * i, status: 0 }]);
      }
    };
    offer(0, 10);
    await archive.flush();

    // The volume's write lock taken by another connection: the writer's commits fail as on a full disk.
    const other = lockArchiveVolume(join(dir, 'archive'));
    try {
      const lockedAt = Date.now();
      offer(10, 15); // 10 samples held
      await until(() => health.some((h) => h.state === 'failing'));
      offer(15, 40); // 10 more fit the bound of 20; i = 20..39 do not
      await archive.stats(); // a call answered after the samples before it were handled, still failing
      // The console is told: both tags past the bound (by hand: i = 20 is the 21st and 22nd sample held).
      const droppedFrom = Date.now();
      await until(() => health.some((h) => h.dropping !== null));
      const dropping = health.find((h) => h.dropping !== null)!;
      expect(dropping.state).toBe('failing');
      expect(dropping.dropping!.tags).toBe(2);
      expect(dropping.dropping!.since).toBeGreaterThanOrEqual(lockedAt);
      expect(dropping.dropping!.since).toBeLessThanOrEqual(droppedFrom);
    } finally {
      other.close(); // its transaction rolled back: commits succeed again
    }
    await until(() => health.at(-1)?.state === 'writing');
    expect(health.at(-1)!.dropping).toBeNull(); // writing again: nothing dropped now
    offer(40, 50);
    await archive.flush();

    const rows = (tag: string) => archive.readRaw({ tags: tag, start: tOf(0), end: tOf(49) + 1 }).rows;
    // By hand: i = 0..19 within the bound, 20..39 dropped (one BadNoData at 20), 40..49 after.
    const expected = [
      ...Array.from({ length: 20 }, (_, i) => [tOf(i), 2 * i, 'good']),
      [tOf(20), null, 'nodata'],
      ...Array.from({ length: 10 }, (_, k) => [tOf(40 + k), 2 * (40 + k), 'good']),
    ];
    const seen = rows('A.N').map((r) => [
      r.t, isGood(r.status) ? r.value : null, isGood(r.status) ? 'good' : codeOf(r.status) === BAD_NO_DATA ? 'nodata' : `0x${r.status.toString(16)}`,
    ]);
    expect(seen).toEqual(expected);

    // The compressed tag: no Good record, cyclic or not, inside the samples it did not see.
    const inGap = rows('A.L').filter((r) => r.t > tOf(20) && r.t < tOf(40));
    expect(inGap).toEqual([]);
    const atGap = rows('A.L').find((r) => r.t === tOf(20));
    expect(atGap && codeOf(atGap.status)).toBe(BAD_NO_DATA);
  }, 60_000);
});
