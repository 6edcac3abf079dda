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
    // A server that publishes no ServiceLevel but answers counts as healthy.
    expect(switchTarget([h(true, null, 0), h(true, 255, 0)], 0, policy, 10)).toBeNull();
  });

  it('fails back to the primary once it has been healthy long enough', () => {
    expect(switchTarget([h(true, 255, 1000), h(true, 255, 0)], 1, policy, 5999)).toBeNull();
    expect(switchTarget([h(true, 255, 1000), h(true, 255, 0)], 1, policy, 6000)).toEqual({ index: 0, reason: 'failback' });
    expect(switchTarget([h(true, 255, 1000), h(true, 255, 0)], 1, { ...policy, failback: false }, 60_000)).toBeNull();
  });
});
