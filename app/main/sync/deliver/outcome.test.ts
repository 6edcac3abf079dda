import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, verdict } from './outcome.js';
import { RateLimiter } from './rate.js';

const response = (status: number, retryAfter: string | null = null) => ({ kind: 'response' as const, status, retryAfter, body: '' });

describe('what an answer means', () => {
  it('follows the issue: retry, halve, bisect, pause', () => {
    const kinds = [200, 204, 408, 429, 500, 502, 503, 413, 400, 422, 401, 403, 404, 301, 405].map((s) => [s, verdict(response(s)).kind]);
    expect(kinds).toEqual([[200, 'ok'], [204, 'ok'], [408, 'retry'], [429, 'retry'], [500, 'retry'], [502, 'retry'], [503, 'retry'],
      [413, 'halve'], [400, 'bisect'], [422, 'bisect'], [401, 'pause'], [403, 'pause'], [404, 'pause'], [301, 'pause'], [405, 'pause']]);
    expect(verdict({ kind: 'network', error: 'ECONNRESET: socket hang up' })).toEqual({ kind: 'retry', error: 'ECONNRESET: socket hang up', retryAfterMs: null });
  });

  it('Retry-After as seconds or an HTTP date (RFC 9110)', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(verdict(response(429, '3'), now)).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
  });

  it('full jitter: uniform below min(cap, base * 2^attempt), at least Retry-After (capped)', () => {
    const o = { baseMs: 500, capMs: 60_000, maxRetryAfterMs: 900_000 };
    expect([0, 1, 4, 20].map((a) => backoffDelay(a, null, o, () => 0.999999))).toEqual([499, 999, 7999, 59_999]);
    expect(backoffDelay(3, null, o, () => 0)).toBe(0);
    expect(backoffDelay(0, 5000, o, () => 0.5)).toBe(5000);
    expect(backoffDelay(0, 86_400_000, o, () => 0.5)).toBe(900_000);
  });
});

describe('drain rate', () => {
  it('lets a batch go when paid for, then waits until the overdraft is paid back', () => {
    const r = new RateLimiter(1000, 500, 0);
    expect(r.waitMs(0)).toBe(0);
    r.take(1500, 0); // 500 in the bucket, 1000 overdrawn
    expect(r.waitMs(0)).toBe(1001);
    expect(r.waitMs(1001)).toBe(0);
    const unlimited = new RateLimiter(0, 500, 0);
    unlimited.take(1e9, 0);
    expect(unlimited.waitMs(0)).toBe(0);
  });
});
