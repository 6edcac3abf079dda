/**
 * A StatusCode is a UInt32 (OPC UA Part 4 §7.39). An append given one as a signed 32-bit integer
 * (what `| 0` or a C client's int32 makes of 0x80000000) stores and reads back the UInt32 on every
 * path a sample takes: the open block, a discrete tag's events, a late point. A number that is no
 * StatusCode (fractional, past 32 bits) is refused with the field named, never truncated.
 * Before, an analog sample skipped that check: a late one then made every flush of its volume
 * fail ("status must be a uint32"), and the archive stopped writing there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { T0, messageOf, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const BAD_INT32 = -2147483648; // 0x80000000 (Bad) as a signed 32-bit integer
const BAD = 0x80000000;

function open(): Historian {
  const t = tempDir();
  const h = Historian.open(t.dir, { flushIntervalMs: 0 });
  cleanups.push(t.remove, () => h.close());
  return h;
}

/** The code part of each status read back (a read may add the historian's info bits, 0x3ff and below). */
const codes = (h: Historian, tag: string) =>
  h.readRaw({ tags: tag, start: T0, end: T0 + 60_000 }).rows.map((r) => (r.status & 0xffff0000) >>> 0);

describe('append: a status given as a signed 32-bit integer', () => {
  it('an analog sample reads back as the UInt32', () => {
    const h = open();
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 1, status: 0 }, { t: T0 + 1000, value: 2, status: BAD_INT32 }]);
    h.flush();
    expect(codes(h, 'A')).toEqual([0, BAD]);
  });

  it('a discrete tag given a number reads back the UInt32', () => {
    const h = open();
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    h.append('D', [{ t: T0, value: 1, status: 0 }, { t: T0 + 1000, value: 0, status: BAD_INT32 }]);
    h.flush();
    expect(codes(h, 'D')).toEqual([0, BAD]);
  });

  it('a late analog sample is archived, and the flush does not fail', () => {
    const h = open();
    h.defineTag(tagConfig('L'), T0);
    h.append('L', [{ t: T0, value: 1, status: 0 }, { t: T0 + 2000, value: 3, status: 0 }]);
    h.flush();
    h.append('L', [{ t: T0 + 1000, value: 2, status: BAD_INT32 }]);
    h.flush();
    expect(codes(h, 'L')).toEqual([0, BAD, 0]);
  });
});

describe('append: a number that is no StatusCode', () => {
  it.each([
    ['fractional', 1.5],
    ['past 32 bits', 2 ** 32],
    ['below the int32 range', -2147483649],
  ])('%s is refused with the sample and field named, and the tag keeps what it had', (_, status) => {
    const h = open();
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 1, status: 0 }]);
    expect(messageOf(() => h.append('A', [{ t: T0 + 1000, value: 2, status }])))
      .toBe(`tag 'A': sample 0: status: expected a StatusCode (uint32), got ${status}`);
    h.append('A', [{ t: T0 + 2000, value: 3, status: 0 }]);
    h.flush();
    expect(h.readRaw({ tags: 'A', start: T0, end: T0 + 60_000 }).rows.map((r) => r.value)).toEqual([1, 3]);
  });

  // guards writer.ts:611 the message names a non-number's type, not its value
  it('a status that is no number is refused naming its type', () => {
    const h = open();
    h.defineTag(tagConfig('A'), T0);
    expect(messageOf(() => h.append('A', [{ t: T0, value: 1, status: '0' as unknown as number }])))
      .toBe("tag 'A': sample 0: status: expected a StatusCode (uint32), got string");
  });
});

describe('append: the ends of the StatusCode range', () => {
  // guards writer.ts:610 `st > 0xffffffff` (a discrete sample always goes through the full check)
  it('0xFFFFFFFF and 0x80000000 as -2^31 are taken, as their UInt32', () => {
    const h = open();
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    h.append('D', [{ t: T0, value: true, status: 0xffffffff }, { t: T0 + 1000, value: false, status: -0x80000000 }]);
    h.flush();
    expect(codes(h, 'D')).toEqual([0xffff0000, BAD]);
  });
});
