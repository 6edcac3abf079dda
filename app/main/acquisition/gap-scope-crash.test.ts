/**
 * A station killed (SIGKILL) at the moment the ledger tells of a gap of some tags (here: tags the
 * server had refused for its capacity, acquired at last), before anything else is written. Found
 * by review: the gap's scope (which tags, each one's start) was written after the gap, in a
 * transaction of its own, so a crash there left at the next start a gap without scope (here even
 * an open one, taken for the whole server's), read for EVERY tag from its start: the values the
 * tag with room had received live were archived again, flagged Backfilled. Now the gap, its scope
 * and the end of the refusal are one transaction. The expectation is the test's own record of what
 * the plant produced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { Flag } from '../../../historian/types.js';
import { isGood } from '../../../historian/status.js';
import { CAPACITY_REFUSED } from './lost-values.js';
import { CAPACITY_TAGS, startCapacityPlant, type CapacityPlant } from './testing/capacity-plant.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { spawnCrashStation, type CrashChild } from './testing/crash-child.js';

const TOO_MANY = StatusCodes.BadTooManyMonitoredItems.value >>> 0;
const NAMES = CAPACITY_TAGS;

let dir: string;
let cap: CapacityPlant | undefined;
let child: CrashChild | undefined;
let t: TestStation | undefined;

afterEach(async () => {
  await child?.kill();
  await t?.stop();
  await cap?.stop();
  cap = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('a station killed as the gap of some tags is written', () => {
  it('reads that gap at the next start for its own tags only: the live values of the others are not archived again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-gap-scope-crash-'));
    cap = await startCapacityPlant(dir);
    const { plant, session } = cap;
    const home = join(dir, 'station');
    mkdirSync(home);
    const yaml = cap.yaml('GapScopeCrash');
    writeFileSync(join(home, 'crash.yaml'), yaml);
    const startedAt = Date.now();
    child = spawnCrashStation(home, { crashOnGap: CAPACITY_REFUSED, capacityRetryMs: 500 });
    await child.live();
    // The tag with room has values coming live while the others miss them.
    const since = plant.length;
    await until('three seconds more of plant data', () => plant.length - since >= 15, 30_000);
    // Room for the refused tags (and, after the restart, for three more items beside the dead
    // session's): the retry takes them, their gap is written, and the station dies at that moment.
    const freedAt = Date.now();
    cap.server.server.engine.serverCapabilities.maxMonitoredItems = 10;
    await session.close(true);
    let gone = false;
    void child.exited.then(() => void (gone = true));
    await until('the child killed at its capacity gap', () => gone, 30_000);
    child = undefined;

    t = await startTestStation({ dir: home, yaml, archive: true });
    const st = t;
    const firstLive = new Map<string, number>();
    for (const tag of NAMES) firstLive.set(tag, (await until(`${tag} good`, () => st.samples.find((x) => x.tag === tag && x.status === 0), 60_000)).t);
    const gaps = await untilAsync('the gaps backfilled', async () => {
      const all = ((await st.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.filter((g) => g.kind === 'gap');
      return all.length > 0 && all.every((g) => g.backfill === 'done') ? all : null;
    }, 60_000);
    await st.archive!.flush();

    const refusals = new Map(NAMES.map((tag) => [tag, st.archive!.readRaw({ tags: tag, start: startedAt, end: freedAt }).rows.find((r) => (r.status & 0xffff0000) >>> 0 === TOO_MANY)?.t]));
    const refused = NAMES.filter((tag) => refusals.get(tag) !== undefined);
    expect(refused).toHaveLength(2);
    const roomy = NAMES.find((tag) => !refused.includes(tag))!;
    const capacity = gaps.find((g) => g.cause === CAPACITY_REFUSED);
    expect(capacity).toBeDefined();

    // The crash is a gap of its own, from what the archive had committed (each second): the tag with
    // room was live from before the refusal to there, and nothing of that is read back. (Taken for
    // the whole server's, the gap without scope had stood for the crash too.)
    const crash = gaps.find((g) => g.cause === 'station stopped without closing');
    expect(crash).toBeDefined();
    // Its history is read from its newest committed value on, which a publish may hold back a little.
    const liveUntil = crash!.from - 1000;
    expect(plant.filter((p) => p.t > capacity!.from && p.t < liveUntil).length).toBeGreaterThanOrEqual(5);
    expect(st.backfills.filter((x) => x.tag === roomy && x.t < liveUntil)).toEqual([]);
    expect(st.archive!.readRaw({ tags: roomy, start: startedAt, end: liveUntil }).rows.filter((r) => (r.flags & Flag.Backfilled) !== 0)).toEqual([]);

    // Every value the plant made, once, from each tag's refusal (or the gap's start) to its first value after the restart.
    for (const tag of NAMES) {
      const from = refusals.get(tag) ?? capacity!.from;
      const made = plant.filter((p) => p.t > from && p.t < firstLive.get(tag)!);
      const rows = st.archive!.readRaw({ tags: tag, start: from + 1, end: firstLive.get(tag)! - 1 }).rows
        .filter((r) => (r.flags & Flag.Cyclic) === 0 && isGood(r.status));
      expect(made.length).toBeGreaterThanOrEqual(15);
      expect(rows.map((r) => [r.t, r.value])).toEqual(made.map((p) => [p.t, p.v]));
    }
  }, 120_000);
});
