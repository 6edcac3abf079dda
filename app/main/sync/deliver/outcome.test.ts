import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, verdict } from './outcome.js';
import { RateLimiter } from './rate.js';

const response = (status: number, retryAfter: string | null = null) => ({ kind: 'response' as const, status, retryAfter, body: '', contentType: null });

describe('what an answer means', () => {
  it('follows the issue: retry, halve, bisect, pause', () => {
    const kinds = [200, 204, 408, 429, 500, 502, 503, 413, 400, 422, 401, 403, 404, 301, 405].map((s) => [s, verdict(response(s)).kind]);
    expect(kinds).toEqual([[200, 'ok'], [204, 'ok'], [408, 'retry'], [429, 'retry'], [500, 'retry'], [502, 'retry'], [503, 'retry'],
      [413, 'halve'], [400, 'bisect'], [422, 'bisect'], [401, 'pause'], [403, 'pause'], [404, 'pause'], [301, 'pause'], [405, 'pause']]);
    expect(verdict({ kind: 'network', error: 'ECONNRESET: socket hang up', maybeReceived: true, timedOut: false }))
      .toEqual({ kind: 'retry', error: 'ECONNRESET: socket hang up', retryAfterMs: null });
  });

  it('a write is acknowledged by 204 (or a 2xx without a body), never by a page a proxy or portal answers', () => {
    const page = { kind: 'response' as const, status: 200, retryAfter: null, body: '<html><body>Please sign in</body></html>', contentType: 'text/html; charset=utf-8' };
    expect(verdict(page)).toEqual({
      kind: 'retry', retryAfterMs: null,
      error: "HTTP 200 (text/html; charset=utf-8) is not the upstream's answer to a write: a proxy or portal in the way? <html><body>Please sign in</body></html>",
      said: { key: 'sync.fault.notUpstream', params: { status: '200', contentType: 'text/html; charset=utf-8', body: '<html><body>Please sign in</body></html>' } },
    });
    // InfluxDB 1.6.7 answers 204 with Content-Type application/json and no body.
    expect(verdict({ ...page, status: 204, body: '', contentType: 'application/json' })).toEqual({ kind: 'ok' });
    expect(verdict({ ...page, status: 200, body: '\n', contentType: null })).toEqual({ kind: 'ok' });
    expect(verdict({ ...page, status: 202, body: '{"accepted":true}', contentType: 'application/json' }).kind).toBe('retry');
  });

  it('a 400 for points beyond the retention policy says how many InfluxDB dropped', () => {
    const body = '{"error":"partial write: points beyond retention policy dropped=3"}\n';
    expect(verdict({ kind: 'response', status: 400, retryAfter: null, body, contentType: 'application/json' })).toEqual({
      kind: 'bisect', beyondRetention: 3, error: 'HTTP 400: {"error":"partial write: points beyond retention policy dropped=3"}',
      // Said in the console's language with the count, InfluxDB's own words after (beyond-retention-said.servers.test.ts).
      said: { key: 'sync.fault.beyondRetention', params: { status: '400', dropped: 3, answer: 'partial write: points beyond retention policy dropped=3' } },
    });
  });

  it('Retry-After as seconds or an HTTP date (RFC 9110)', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(verdict(response(429, '3'), now)).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
  });

  it('a Retry-After date is read against the answer\'s own Date header: an upstream whose clock is an hour off still means 30 s', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    // Its clock an hour ahead: "come back at 13:00:30" said at 13:00:00 is 30 s, not the longest wait honoured.
    const ahead = { ...response(503, 'Thu, 01 Jan 2026 13:00:30 GMT'), date: Date.UTC(2026, 0, 1, 13, 0, 0) };
    expect(verdict(ahead, now)).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    // An hour behind: not "at once" (a past date) while it asks for 30 s.
    const behind = { ...response(429, 'Thu, 01 Jan 2026 11:00:30 GMT'), date: Date.UTC(2026, 0, 1, 11, 0, 0) };
    expect(verdict(behind, now)).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    // Without a Date header (a proxy that sends none): the station's clock.
    expect(verdict({ ...response(503, 'Thu, 01 Jan 2026 12:00:30 GMT'), date: null }, now)).toMatchObject({ retryAfterMs: 30_000 });
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
