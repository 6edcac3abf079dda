/** Which endpoint of a redundant server to use: Part 4 §6.6.2 ServiceLevel bands, preference order, failback delay. */
import { describe, expect, it } from 'vitest';
import { connectOrder, switchTarget, type EndpointHealth, type FailoverPolicy } from './failover.js';

const policy: FailoverPolicy = { minServiceLevel: 200, probeIntervalMs: 1000, failback: true, failbackAfterMs: 5000 };
const h = (reachable: boolean | null, serviceLevel: number | null, healthySince: number | null = null): EndpointHealth => ({ url: 'x', reachable, serviceLevel, healthySince });

describe('failover decisions', () => {
  it('connects to healthy endpoints first, in order of preference', () => {
    expect(connectOrder([h(false, null), h(true, 255, 0), h(null, null)], policy)).toEqual([1, 2, 0]);
    expect(connectOrder([h(true, 150), h(true, 220, 0)], policy)).toEqual([1, 0]);
    expect(connectOrder([h(null, null), h(null, null)], policy)).toEqual([0, 1]);
  });

  it('leaves a degraded endpoint for a healthy one, or else for a better one', () => {
    expect(switchTarget([h(true, 100), h(true, 255, 0)], 0, policy, 10)).toEqual({ index: 1, reason: 'serviceLevel' });
    expect(switchTarget([h(true, 100), h(true, 150)], 0, policy, 10)).toEqual({ index: 1, reason: 'serviceLevel' });
    expect(switchTarget([h(true, 100), h(true, 50)], 0, policy, 10)).toBeNull();
    expect(switchTarget([h(true, 100), h(false, null)], 0, policy, 10)).toBeNull();
  });

  it('ranks an endpoint whose ServiceLevel is unknown below a healthy one and above a Degraded or Failed one', () => {
    // Reachable without a usable level (absent, Bad, not a Byte): not healthy, so a healthy one is better.
    expect(switchTarget([h(true, null, 0), h(true, 255, 0)], 0, policy, 10)).toEqual({ index: 1, reason: 'serviceLevel' });
    // Nothing healthy: it stays, neither leaving for a Degraded nor a Failed one.
    expect(switchTarget([h(true, null), h(true, 150)], 0, policy, 10)).toBeNull();
    expect(switchTarget([h(true, null), h(true, 1)], 0, policy, 10)).toBeNull();
    // From a Failed or Degraded one it is taken (a Degraded one not sooner than failbackAfterMs after the last switch).
    expect(switchTarget([h(true, 0), h(true, null)], 0, policy, 10)).toEqual({ index: 1, reason: 'serviceLevel' });
    expect(switchTarget([h(true, 150), h(true, null)], 0, policy, 10)).toEqual({ index: 1, reason: 'serviceLevel' });
    expect(switchTarget([h(true, 150), h(true, null)], 0, policy, 10_000, 7_000)).toBeNull();
    // Never failed back to: only a healthy primary is.
    expect(switchTarget([h(true, null), h(true, 255, 0)], 1, policy, 60_000)).toBeNull();
    // Connecting: healthy, unknown, Degraded by level, not probed yet, Failed, unreachable.
    expect(connectOrder([h(false, null), h(true, 1), h(null, null), h(true, 120), h(true, null), h(true, 230, 0)], policy)).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it('never goes to an endpoint whose ServiceLevel says Failed (0 maintenance, 1 no data)', () => {
    // Part 4 §6.6.2.4.2: a Failed server has no information to exchange; a higher number is no better.
    expect(switchTarget([h(true, 0), h(true, 1)], 0, policy, 10)).toBeNull();
    expect(switchTarget([h(true, 1), h(true, 0), h(true, 2)], 0, policy, 10)).toEqual({ index: 2, reason: 'serviceLevel' });
    // Connecting: a Failed endpoint after the ones not probed yet.
    expect(connectOrder([h(true, 1), h(null, null), h(true, 0), h(false, null)], policy)).toEqual([1, 0, 2, 3]);
    expect(connectOrder([h(true, 0), h(true, 120)], policy)).toEqual([1, 0]);
  });

  it('goes from one Degraded endpoint to a better Degraded one at most once per failbackAfterMs', () => {
    // Levels wandering within 2..199 on both (a Kepware or UA .NET pair whose level is the share of devices reachable).
    expect(switchTarget([h(true, 170), h(true, 160)], 1, policy, 10_000, 7_000)).toBeNull();
    expect(switchTarget([h(true, 170), h(true, 160)], 1, policy, 12_000, 7_000)).toEqual({ index: 0, reason: 'serviceLevel' });
    // A healthy one, or leaving a Failed one, is not held back.
    expect(switchTarget([h(true, 220, 9_000), h(true, 160)], 1, policy, 10_000, 7_000)).toEqual({ index: 0, reason: 'serviceLevel' });
    expect(switchTarget([h(true, 150), h(true, 1)], 1, policy, 10_000, 7_000)).toEqual({ index: 0, reason: 'serviceLevel' });
  });

  it('fails back to the primary once it has been healthy long enough', () => {
    expect(switchTarget([h(true, 255, 1000), h(true, 255, 0)], 1, policy, 5999)).toBeNull();
    expect(switchTarget([h(true, 255, 1000), h(true, 255, 0)], 1, policy, 6000)).toEqual({ index: 0, reason: 'failback' });
    expect(switchTarget([h(true, 255, 1000), h(true, 255, 0)], 1, { ...policy, failback: false }, 60_000)).toBeNull();
  });
});
