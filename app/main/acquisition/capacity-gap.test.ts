/**
 * Tags the server refused for its capacity (BadTooManyMonitoredItems: its monitored items all
 * taken, here by another session) have no values until the retry takes them (capacity-retry.test.ts).
 * Found by an exploratory run: that time was in no gap ledger entry, so neither an engineer nor the
 * backfill learned of the hole, though the server kept the tags' history all along. Now it is a gap
 * of those tags (its cause, from their refusal to their acquisition), filled from that history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import type { LedgerEntry } from '../../shared/api.js';
import { Flag } from '../../../historian/types.js';
import { capacityRetry } from './server-link.js';
import { CAPACITY_TAGS, startCapacityPlant, type CapacityPlant } from './testing/capacity-plant.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

capacityRetry.firstMs = 400;
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

describe('tags refused for the server\'s capacity, then acquired', () => {
  it('puts their time without values in the gap ledger and fills it from the server\'s history', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-capacity-gap-'));
    cap = await startCapacityPlant(dir);
    const { plant, session } = cap;

    t = await startTestStation({
      dir, archive: true,
      yaml: cap.yaml('CapacityGap'),
    });
    const st = t;
    const refusals = await until('two tags refused', () => {
      const r = st.samples.filter((x) => x.status === TOO_MANY);
      return r.length === 2 ? r : null;
    }, 30_000);
    const refused = refusals.map((r) => r.tag).sort();
    // Refused a while, several values of the plant missed.
    const missedFrom = plant.length;
    await until('two seconds of plant data', () => plant.length - missedFrom >= 10, 30_000);
    await session.close(true);
    const firstLive = new Map<string, number>();
    for (const tag of refused) {
      firstLive.set(tag, (await until(`${tag} good`, () => st.samples.find((x) => x.tag === tag && x.status === 0), 60_000)).t);
    }
    const gap = await untilAsync('the gap filled', async () =>
      ((await st.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.backfill === 'done'), 60_000);
    await t.archive!.flush();

    const refusedAt = Math.min(...refusals.map((r) => r.t));
    expect(gap).toMatchObject({ server: 'plc', cause: 'tags refused for the server\'s capacity', from: refusedAt });
    expect(gap.to).toBeGreaterThan(refusedAt);
    // The only gap: the server was never lost.
    expect(st.station.acquisition.ledger.read(0, 100).filter((e) => e.kind === 'gap')).toHaveLength(1);

    let filled = 0;
    for (const tag of refused) {
      // Every value the plant made between the refusal and the tag's first live value, from the server's history.
      const from = refusals.find((r) => r.tag === tag)!.t;
      const made = plant.filter((p) => p.t > from && p.t < firstLive.get(tag)!);
      const rows = t.archive!.readRaw({ tags: tag, start: from + 1, end: firstLive.get(tag)! - 1 }).rows.filter((r) => (r.flags & Flag.Cyclic) === 0);
      expect(made.length).toBeGreaterThanOrEqual(10);
      expect(rows.map((r) => [r.t, r.value])).toEqual(made.map((p) => [p.t, p.v]));
      expect(rows.every((r) => (r.flags & Flag.Backfilled) !== 0)).toBe(true);
      filled += rows.length;
    }
    expect(gap.backfilledSamples).toBe(filled);
    // The tag never refused is not read back: its values came live.
    expect(t.archive!.readRaw({ tags: NAMES.find((x) => !refused.includes(x))!, start: refusedAt, end: gap.to! }).rows.filter((r) => (r.flags & Flag.Backfilled) !== 0)).toEqual([]);
  }, 120_000);
});
