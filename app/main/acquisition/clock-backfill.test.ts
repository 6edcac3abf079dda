/**
 * A server whose clock runs a minute ahead of the station's, killed and restarted: its history is
 * dated by that clock, the gap by the station's. Read as if the clocks agreed, the backfill archived
 * values made a minute before the gap as good inside it (an exploratory run against a vendor-like
 * server). The gap is left unfilled and the ledger says why; nothing of the server's history is
 * archived. The live values meanwhile are dated at their receipt, as the clock check does.
 * One a little behind (its stamps kept, as the live path keeps them): the values it stamped before
 * the gap's start but never published were lost; history is read from each tag's last value on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historizedPlant } from './testing/historized-plant.js';
import { until } from './testing/harness.js';

describe('a server whose clock is a minute ahead, killed and restarted', () => {
  const p = historizedPlant('clock-ahead', { offsetMs: 60_000 });
  beforeAll(p.setup, 240_000);
  afterAll(p.teardown);

  it('leaves the gap unfilled, saying the server clock is off, and archives none of its history', async () => {
    const t = p.station();
    // Live values are dated at their receipt, not a minute ahead.
    const live = t.samples.filter((s) => s.status === 0);
    expect(live.every((s) => s.t <= s.at)).toBe(true);
    const marker = await p.outage();
    const gap = await p.settledGap();
    // The gap opened at the last evidence; the marker stands there, or 1 ms after the tag's last value
    // when that came later (dated at its receipt, a flush after the publish that was the evidence).
    const last = t.samples.filter((s) => s.tag === marker.tag && s.t < marker.t && s.status === 0).at(-1)!;
    expect(marker.t).toBe(Math.max(gap.from, last.t + 1));
    expect(gap.backfill).toBe('failed');
    expect(gap.note).toBe('not filled: the server clock is off, its history would be dated wrong');
    expect(gap.backfilledSamples).toBe(0);
    expect(t.backfills).toEqual([]);
    expect(t.logs.some((l) => /gap not backfilled: the server clock is off/.test(String(l.msg)) && l.clock === 'ahead')).toBe(true);
  }, 300_000);
});

describe('a server whose clock is a second and a half behind (within what a publish may hold), killed and restarted', () => {
  const p = historizedPlant('clock-behind', { offsetMs: -1500 });
  beforeAll(p.setup, 240_000);
  afterAll(p.teardown);

  it('fills the gap from the tag\'s last value received on, values stamped before the gap\'s start too', async () => {
    const t = p.station();
    const marker = await p.outage();
    const lastBefore = t.samples.filter((s) => s.status === 0 && s.at < marker.at).at(-1)!;
    const gap = await p.settledGap();
    expect(gap.backfill).toBe('done');
    const resumed = t.samples.find((s) => s.at > marker.at && s.status === 0)!.t;
    // Every value the plant made after the last one received and before the first live one after the outage.
    const expected = p.record.filter((r) => r.t > lastBefore.t && r.t < resumed);
    // Some of them stamped before the gap's start (the server's clock behind): the read from the gap's start missed them.
    expect(expected.some((r) => r.t < gap.from)).toBe(true);
    await until('backfill archived', () => t.backfills.length >= expected.length);
    expect(t.backfills.map((s) => [s.t, s.value])).toEqual(expected.map((r) => [r.t, r.v]));
  }, 300_000);
});
