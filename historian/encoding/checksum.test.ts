/**
 * The block checksum on its own: damage that the structural checks cannot see (a changed value
 * that still parses) is caught by the CRC alone, and the CRC is the standard CRC-32 (IEEE 802.3,
 * as zlib computes it) of everything before it. Reference: node's zlib.crc32.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { ArchivedSample } from '../types.js';
import { decodeBlock, encodeBlock } from './index.js';

const T0 = Date.UTC(2026, 0, 1);
const points: ArchivedSample[] = Array.from({ length: 100 }, (_, i) => ({ t: T0 + i * 1000, value: (i * 37) % 101 / 10, status: Good, flags: 0 }));
const good = encodeBlock(points);
const body = good.subarray(0, good.length - 4);

/** The body with a CRC-32 computed by zlib, big-endian, after it. */
function sealWithZlib(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + 4);
  out.set(b);
  new DataView(out.buffer).setUint32(b.length, zlibCrc32(b), false);
  return out;
}

describe('block checksum', () => {
  it('is the CRC-32 of the bytes before it, big-endian (zlib agrees)', () => {
    expect(sealWithZlib(body)).toEqual(good);
    expect(zlibCrc32('123456789')).toBe(0xcbf43926); // the CRC-32 check value: zlib is the reference
  });

  it('rejects a block whose data is intact and whose checksum alone is damaged', () => {
    for (let i = good.length - 4; i < good.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = good.slice();
        bad[i] ^= 1 << bit;
        expect(() => decodeBlock(bad)).toThrow(/corrupt block: checksum mismatch/);
      }
    }
  });

  it('catches changed values that still parse: only the checksum can tell', () => {
    // Flip single bits in the middle of the data; keep those that decode (to other values) once
    // re-sealed with a correct CRC. Each of them must be refused with the original checksum.
    let silent = 0;
    for (let i = 8; i < body.length - 8; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = body.slice();
        changed[i] ^= 1 << bit;
        let parsed;
        try {
          parsed = decodeBlock(sealWithZlib(changed));
        } catch {
          continue; // the structure itself is broken: not what this test is about
        }
        if (points.every((p, k) => parsed.t[k] === p.t && parsed.value[k] === p.value)) continue;
        silent++;
        const bad = good.slice();
        bad[i] ^= 1 << bit;
        expect(() => decodeBlock(bad)).toThrow(/corrupt block: checksum mismatch/);
      }
    }
    expect(silent).toBeGreaterThan(10); // there are such changes, so the checksum is what stops them
  });
});
