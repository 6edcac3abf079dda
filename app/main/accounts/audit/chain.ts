/**
 * The audit trail's hash chain. Each entry's hash is
 *
 *   hash(n) = hex(SHA-256(hash(n-1) + "\n" + canonical(entry n)))
 *
 * with hash(0) = 64 zeros, and canonical(entry) = JSON.stringify of the array
 *
 *   [seq, at, user, role, action, target, oldValue, newValue, comment, result, detail, source]
 *
 * (numbers as JSON numbers, absent fields as null; oldValue and newValue are
 * the stored JSON texts, themselves written with object keys sorted). A
 * changed field, a removed entry or one put in between changes a hash that
 * later entries depend on. The chain proves order and integrity, not
 * authorship: whoever can write the file can rebuild the whole chain, so the
 * head (last seq and hash) is worth keeping elsewhere, and the sync forwards
 * the trail upstream where the station cannot rewrite it.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../../shared/api.js';

export const GENESIS = '0'.repeat(64);

export function canonical(e: AuditEntry): string {
  return JSON.stringify([e.seq, e.at, e.user, e.role, e.action, e.target, e.oldValue, e.newValue, e.comment, e.result, e.detail, e.source]);
}

export function chainHash(prev: string, e: AuditEntry): string {
  return createHash('sha256').update(prev).update('\n').update(canonical(e)).digest('hex');
}

/** JSON with object keys sorted at every level, so a value serialises the same way every time; undefined stays absent (null). */
export function canonicalJson(value: unknown): string | null {
  if (value === undefined) return null;
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
