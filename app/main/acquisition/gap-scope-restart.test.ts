/**
 * A gap of some tags (here: tags refused for the server's capacity, capacity-gap.test.ts) still
 * pending when the station stops: the stop writes it, but no backfill runs before the end. Found by
 * review: which tags it covered (and each one's last value before) was kept only in memory, so the
 * next start read the gap for EVERY tag from its start, and archived again, as backfilled, the
 * values the tag with room had received live. Now the ledger keeps them with the gap. The
 * expectation is the test's own record of what the plant produced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { Flag } from '../../../historian/types.js';
import { isGood } from '../../../historian/status.js';
import { CAPACITY_REFUSED } from './lost-values.js';
import { CAPACITY_TAGS, startCapacityPlant, type CapacityPlant } from './testing/capacity-plant.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const TOO_MANY = StatusCodes.BadTooManyMonitoredItems.value >>> 0;
const NAMES = CAPACITY_TAGS;

let dir: string;
let cap: CapacityPlant | undefined;
let t: TestStation | undefined;

afterEach(async () => {
  await t?.stop();
  await cap?.stop();
  cap = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('a gap of some tags left pending by a stop', () => {
  it('is read at the next start for its own tags only, and the archive holds every plant value once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-gap-scope-'));
    cap = await startCapacityPlant(dir);
    const { plant, session } = cap;

    const yaml = cap.yaml('GapScope');
    t = await startTestStation({ dir, archive: true, yaml });
    let st = t;
    const refusals = await until('two tags refused', () => {
      const r = st.samples.filter((x) => x.status === TOO_MANY);
      return r.length === 2 ? r : null;
    }, 30_000);
    const refused = refusals.map((r) => r.tag).sort();
    const roomy = NAMES.find((x) => !refused.includes(x))!;
    const firstRoomy = (await until(`${roomy} good`, () => st.samples.find((x) => x.tag === roomy && x.status === 0), 30_000)).t;
    // The tag with room has values coming live while the others miss several.
    const missedFrom = plant.length;
    await until('two seconds of plant data', () => plant.length - missedFrom >= 10, 30_000);
    // Stopped while they are still refused: their gap is written, its backfill left for the next start.
    await t.stop();
    t = undefined;
    // Its last value received live: one the plant made after it, before the stop, is the stop's gap to read back.
    const lastLive = st.samples.filter((x) => x.tag === roomy && x.status === 0).at(-1)!.t;
    await session.close(true);

    t = await startTestStation({ dir, archive: true, yaml });
    st = t;
    const firstLive = new Map<string, number>();
    for (const tag of NAMES) firstLive.set(tag, (await until(`${tag} good`, () => st.samples.find((x) => x.tag === tag && x.status === 0), 60_000)).t);
    const gaps = await untilAsync('the gaps backfilled', async () => {
      const all = ((await st.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.filter((g) => g.kind === 'gap');
      return all.length >= 2 && all.every((g) => g.backfill === 'done') ? all : null;
    }, 60_000);
    await st.archive!.flush();

    const capacity = gaps.find((g) => g.cause === CAPACITY_REFUSED)!;
    expect(capacity).toBeDefined();
    // The tag with room is not read back for the refusal's time where its values came live (the
    // refused tags' gap runs to the last evidence before the stop; a value made after the last one
    // received, not published by then, is the stop's gap's, read from that last value on).
    expect(lastLive).toBeLessThanOrEqual(capacity.to!);
    expect(st.backfills.filter((x) => x.tag === roomy && x.t > capacity.from && x.t <= lastLive)).toEqual([]);
    expect(st.archive!.readRaw({ tags: roomy, start: capacity.from, end: lastLive }).rows.filter((r) => (r.flags & Flag.Backfilled) !== 0)).toEqual([]);

    // Every value the plant made, once, from each tag's start (its refusal, or its first value) to its first value of the second run.
    for (const tag of NAMES) {
      const from = refused.includes(tag) ? refusals.find((r) => r.tag === tag)!.t : firstRoomy;
      const made = plant.filter((p) => p.t > from && p.t < firstLive.get(tag)!);
      const rows = st.archive!.readRaw({ tags: tag, start: from + 1, end: firstLive.get(tag)! - 1 }).rows
        .filter((r) => (r.flags & Flag.Cyclic) === 0 && isGood(r.status));
      expect(made.length).toBeGreaterThanOrEqual(10);
      expect(rows.map((r) => [r.t, r.value])).toEqual(made.map((p) => [p.t, p.v]));
    }
  }, 120_000);
});
