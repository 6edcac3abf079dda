/**
 * The seam of a switch between the two endpoints of a redundant pair that read the same plant (one
 * counter, the same source timestamps on both, as a Warm pair over one PLC stamps them): the new
 * endpoint's first values repeat what the old one delivered already. Each plant value is handed on
 * once, in order, at its own time: never again after the switch, re-dated past the last one (a
 * trend that steps back, an archive with values twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until } from './testing/harness.js';

describe('redundant server: the values at a switch of endpoint', () => {
  /** Each plant value and its source time, as the plant produced them. */
  const produced = new Map<number, number>();
  let pair: RedundantPair;

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'failover-seam', tickMs: 100, publishingIntervalMs: 1000, probeIntervalMs: 300, failbackAfterMs: 1000, staleAfterMs: 4000,
      onTick: (n, at) => produced.set(n, at),
    });
    const { last, servers } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('hands each value on once, at its own time, across a switch and a failback', async () => {
    const { station: t, servers, last } = pair;
    const before = t.samples.length;
    servers.primary.setServiceLevel(150);
    await until('on the backup', () => last().endpoint === servers.backup.endpoint && last().state === 'connected');
    servers.primary.setServiceLevel(255);
    await until('back on the primary', () => last().endpoint === servers.primary.endpoint && last().state === 'connected');
    const switched = t.samples.length;
    await until('values after both switches', () => t.samples.slice(switched).filter((s) => s.tag === 'Level' && s.status === 0).length > 5);
    const values = t.samples.slice(before).filter((s) => s.tag === 'Level' && s.status === 0);
    // Each value once, in the plant's order, at the time the plant stamped it.
    const seq = values.map((s) => s.value as number);
    expect(seq.filter((v, i) => i > 0 && v <= seq[i - 1]!)).toEqual([]);
    expect(values.filter((s) => s.t !== produced.get(s.value as number))).toEqual([]);
    expect(seq.at(-1)! - seq[0]! + 1).toBe(seq.length);
  }, 120_000);
});
