/**
 * A station killed (SIGKILL: no stop) while the server refuses some of its tags for its capacity
 * (BadTooManyMonitoredItems, capacity-gap.test.ts). Their gap is written when they are acquired;
 * found by an exploratory run: killed before, the next start knew nothing of their time without
 * values, from their refusal to the crash (not in the gap ledger the engineer and the backfill read).
 * Now the next start writes that gap and fills it from the server's history. The expectation is
 * the test's own record of what the plant produced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { Flag } from '../../../historian/types.js';
import { isGood } from '../../../historian/status.js';
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

describe('a station killed while tags are refused for the server\'s capacity', () => {
  it('puts their time without values from the refusal to the crash in the gap ledger at the next start, and fills it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-capacity-crash-'));
    cap = await startCapacityPlant(dir);
    const { plant, session } = cap;

    const home = join(dir, 'station');
    mkdirSync(home);
    const yaml = cap.yaml('CapacityCrash');
    writeFileSync(join(home, 'crash.yaml'), yaml);
    const startedAt = Date.now();
    child = spawnCrashStation(home);
    // Live: the one tag with room has had values for over a second; the others were refused before.
    await child.live();
    const liveAt = Date.now();
    const since = plant.length;
    await until('a second more of plant data', () => plant.length - since >= 5, 30_000);
    await child.kill();
    child = undefined;
    const killedAt = Date.now();
    // Room for all three after the restart (the killed station's session holds its item until it times out).
    await session.close(true);
    cap.server.server.engine.serverCapabilities.maxMonitoredItems = 10;

    t = await startTestStation({ dir: home, yaml, archive: true });
    const st = t;
    const firstLive = new Map<string, number>();
    for (const tag of NAMES) firstLive.set(tag, (await until(`${tag} good`, () => st.samples.find((x) => x.tag === tag && x.status === 0), 60_000)).t);
    const gaps = await untilAsync('the gaps backfilled', async () => {
      const all = ((await st.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.filter((g) => g.kind === 'gap');
      return all.length > 0 && all.every((g) => g.backfill === 'done') ? all : null;
    }, 60_000);
    await st.archive!.flush();

    const refused = NAMES.filter((tag) => st.archive!.readRaw({ tags: tag, start: startedAt, end: killedAt }).rows.some((r) => (r.status & 0xffff0000) >>> 0 === TOO_MANY));
    expect(refused).toHaveLength(2);
    const gap = gaps.find((g) => g.cause === 'tags refused for the server\'s capacity');
    expect(gap).toBeDefined();
    // From the refusal (before the child went live) to the crash.
    expect(gap!.from).toBeGreaterThanOrEqual(startedAt);
    expect(gap!.from).toBeLessThan(liveAt);
    expect(gap!.to).toBeGreaterThan(gap!.from);
    expect(gap!.to).toBeLessThanOrEqual(killedAt);

    for (const tag of refused) {
      // Every value the plant made from the refusal to the tag's first value after the restart, once.
      const made = plant.filter((p) => p.t > gap!.from && p.t < firstLive.get(tag)!);
      const rows = st.archive!.readRaw({ tags: tag, start: gap!.from + 1, end: firstLive.get(tag)! - 1 }).rows
        .filter((r) => (r.flags & Flag.Cyclic) === 0 && isGood(r.status));
      expect(made.length).toBeGreaterThanOrEqual(10);
      expect(rows.map((r) => [r.t, r.value])).toEqual(made.map((p) => [p.t, p.v]));
    }
  }, 180_000);
});
