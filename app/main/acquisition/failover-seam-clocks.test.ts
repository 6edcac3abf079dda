/**
 * The seam of a switch between two endpoints that stamp the plant's values by their own clocks (each
 * server samples the plant itself), the backup's clock 3 s behind the primary's (its CurrentTime says
 * so). Compared as they are, the backup's first 3 s of values looked older than the primary's last
 * one and were dropped at the switch (lost); back on the primary, its values of the last 3 s looked
 * newer than the backup's last and were handed on again. Each plant value must be handed on once,
 * in the plant's order, across both switches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedundantPair, type RedundantPair } from './testing/redundant-pair.js';
import { until } from './testing/harness.js';

const BEHIND_MS = 3000;

describe('redundant server: the seam of a switch between endpoints whose clocks differ', () => {
  let pair: RedundantPair;

  beforeAll(async () => {
    pair = await startRedundantPair({
      name: 'failover-seam-clocks', tickMs: 100, publishingIntervalMs: 500, probeIntervalMs: 300, failbackAfterMs: 1000, staleAfterMs: 4000,
      clockOffsetMs: { backup: -BEHIND_MS },
    });
    const { last, servers } = pair;
    await until('connected to the primary', () => last()?.state === 'connected' && last().endpoint === servers.primary.endpoint, 60_000);
  }, 120_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('hands each plant value on once, in order, across a switch to the clock behind and back', async () => {
    const { station: t, servers, last } = pair;
    const before = t.samples.length;
    servers.primary.setServiceLevel(150);
    await until('on the backup', () => last().endpoint === servers.backup.endpoint && last().state === 'connected');
    const onBackup = t.samples.length;
    // Past the backup's clock difference: its values would have been lost for that long.
    await until('values on the backup', () => t.samples.slice(onBackup).filter((s) => s.tag === 'Level').length > 2 * BEHIND_MS / 100);
    servers.primary.setServiceLevel(255);
    await until('back on the primary', () => last().endpoint === servers.primary.endpoint && last().state === 'connected');
    const back = t.samples.length;
    await until('values after both switches', () => t.samples.slice(back).filter((s) => s.tag === 'Level' && s.status === 0).length > 5);
    const seq = t.samples.slice(before).filter((s) => s.tag === 'Level' && s.status === 0).map((s) => s.value as number);
    // Never a value again or out of the plant's order (repeated), never one missing (lost).
    expect(seq.filter((v, i) => i > 0 && v <= seq[i - 1]!), `values repeated: ${seq.join(' ')}`).toEqual([]);
    const missing = seq.flatMap((v, i) => (i > 0 && v !== seq[i - 1]! + 1 ? [`${seq[i - 1]}..${v}`] : []));
    expect(missing, `values lost: ${seq.join(' ')}`).toEqual([]);
    expect(t.logs.some((l) => typeof l.msg === 'string' && l.msg.includes('clocks differ') && typeof l.skewMs === 'number' && Math.abs((l.skewMs as number) + BEHIND_MS) < 500)).toBe(true);
  }, 120_000);
});
