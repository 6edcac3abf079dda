/**
 * An upstream's common errors in the console's words, what happened and what to check, with none of
 * the upstream's or Node's English in the Russian and Chinese sentences: the HTTP statuses RFC 9110
 * §15 names (401 Unauthorized, 403 Forbidden, 404 Not Found, 413 Content Too Large, 429 Too Many
 * Requests (RFC 6585), 500, 502, 503, 504) and Node's TLS verify codes (OpenSSL's names:
 * CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, …). A 400's body says which line and why: kept.
 */
import { describe, expect, it } from 'vitest';
import { english, renderText, type SyncText } from '../../../shared/sync-text.js';
import { Translator, type Locale } from '../../../shared/i18n/index.js';
import { cutOff, httpFault, networkFault } from './faults.js';

function said(text: SyncText, locale: Locale): string {
  const tr = new Translator(locale);
  return renderText(text, (key, params) => tr.t(key, params), { dateTime: String, list: (items) => items.join(', ') });
}

/** Latin words but for HTTP, TLS, URL, CA and the config's key (tls.caFile). */
const latin = (text: string) => (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['HTTP', 'TLS', 'URL', 'CA', 'tls', 'caFile'].includes(w));

describe('common upstream errors in the console\'s words', () => {
  const http: [number, string, string][] = [
    [401, '{"error":"authorization failed"}', 'sync.fault.httpDenied'],
    [403, 'Forbidden', 'sync.fault.httpDenied'],
    [404, '{"error":"database not found: \\"t\\""}', 'sync.fault.httpNotFound'],
    [413, 'Request Entity Too Large', 'sync.fault.httpTooLarge'],
    [429, 'Too Many Requests', 'sync.fault.httpTooMany'],
    [500, 'internal server error', 'sync.fault.httpServerError'],
    [502, 'Bad Gateway', 'sync.fault.httpUnavailable'],
    [503, 'overloaded', 'sync.fault.httpUnavailable'],
    [504, 'Gateway Timeout', 'sync.fault.httpUnavailable'],
  ];
  it.each(http)('HTTP %i: its meaning, not its English body', (status, body, key) => {
    const fault = httpFault(status, body);
    expect(fault).toEqual({ key, params: { status: String(status) } });
    for (const locale of ['ru', 'zh'] as const) {
      const text = said(fault, locale);
      expect(text.startsWith(`HTTP ${status}`), text).toBe(true);
      expect(latin(text), text).toEqual([]);
    }
  });

  it('a 400 keeps the upstream\'s reason for the line', () => {
    expect(said(httpFault(400, 'unable to parse \'m v=\''), 'zh')).toBe('HTTP 400：unable to parse \'m v=\'');
  });

  const tls: [string, string][] = [
    ['CERT_HAS_EXPIRED', 'sync.fault.tlsExpired'],
    ['CERT_NOT_YET_VALID', 'sync.fault.tlsNotYetValid'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'sync.fault.tlsUntrusted'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'sync.fault.tlsUntrusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'sync.fault.tlsUntrusted'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'sync.fault.tlsUntrusted'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'sync.fault.tlsWrongHost'],
  ];
  it.each(tls)('TLS %s: said, not Node\'s English', (code, key) => {
    const err = Object.assign(new Error('certificate has expired'), { code });
    const fault = networkFault(err, `${code}: ${err.message}`);
    expect(fault.key).toBe(key);
    for (const locale of ['ru', 'zh'] as const) expect(latin(said(fault, locale))).toEqual([]);
  });

  it('a connection refused, reset, timed out or unreachable, and an answer cut off: no Node word in them', () => {
    const faults = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'].map((code) => networkFault(Object.assign(new Error('socket hang up'), { code }), 'x'));
    for (const fault of [...faults, cutOff()]) {
      for (const locale of ['ru', 'zh'] as const) expect(latin(said(fault, locale)), fault.key).toEqual([]);
    }
    // The log's English is the message's, as before.
    expect(english(cutOff())).toBe('the answer was cut off before its end (the connection broke)');
  });
});
