import { describe, expect, it } from 'vitest';
import { BitReader, BitWriter, bitLength } from './bits.js';
import { fromBits, toBits } from './testing.js';

describe('BitWriter / BitReader edges', () => {
  // byte() after exactly 8 written bits must work: a flush that waits for more than 8 bits leaves the writer off the boundary
  it('is at a byte boundary after exactly 8 bits, and refuses a byte off it', () => {
    const w = new BitWriter();
    w.write(0xab, 8);
    w.byte(0xcd);
    expect(Array.from(w.finish())).toEqual([0xab, 0xcd]);
    const w2 = new BitWriter();
    w2.write(1, 3);
    expect(() => w2.byte(1)).toThrow('BitWriter.byte: not at a byte boundary');
  });

  // bitLength of 2^32 taken as a 32-bit value (0 bits) would drop the value's top bit
  it('bitLength at the 32-bit boundary', () => {
    expect(bitLength(2 ** 32 - 1)).toBe(32);
    expect(bitLength(2 ** 32)).toBe(33);
    expect(bitLength(2 ** 53 - 1)).toBe(53);
  });

  // bit() past the end must throw, and the last bit must still be readable
  it('bit() reads the last bit and throws after it', () => {
    const r = new BitReader(fromBits('00000001'), 0);
    r.pos = 7;
    expect(r.bit()).toBe(1);
    expect(() => r.bit()).toThrow('corrupt block: truncated while reading header');
  });

  // prefix4 must not run past the end, but may end exactly on it
  it('prefix4 bounds', () => {
    const r = new BitReader(fromBits('11111110'), 0);
    r.pos = 7;
    expect(r.prefix4()).toBe(0); // '0' is the last bit
    expect(r.pos).toBe(8);
    const r2 = new BitReader(fromBits('11111111'), 0);
    r2.pos = 6; // '11' then past the end
    expect(() => r2.prefix4()).toThrow('corrupt block: truncated while reading header');
    const r3 = new BitReader(fromBits('11111111 11111111'), 0, 1); // end before the second byte
    r3.pos = 6;
    expect(() => r3.prefix4()).toThrow(/truncated/);
  });

  // read() past the end must throw (never return bytes outside the section)
  it('read() past the end throws', () => {
    const r = new BitReader(fromBits('10101010 11110000'), 0, 1);
    expect(r.read(8)).toBe(0xaa);
    expect(() => r.read(1)).toThrow('corrupt block: truncated while reading header');
  });

  // the constructor's start is in bytes: startByte 2 is bit 16 (bits.ts:105)
  it('a reader constructed at a start byte begins at that byte', () => {
    const r = new BitReader(Uint8Array.from([0xff, 0xff, 0xa5, 0x3c]), 2);
    expect(r.pos).toBe(16);
    expect(r.remaining).toBe(16);
    expect(r.read(8)).toBe(0xa5);
  });

  // the tail window (last bytes of the buffer) must read bytes i, i+1, ... not before i
  it('reads near the end of the buffer', () => {
    const r = new BitReader(Uint8Array.from([0x12, 0x34]), 0);
    expect(r.read(16)).toBe(0x1234);
    const r2 = new BitReader(Uint8Array.from([0x00, 0x12, 0x34]), 0);
    r2.pos = 12;
    expect(r2.read(12)).toBe(0x234);
  });

  // peek must return the next n bits without moving; skip must move and check the end
  it('peek and skip', () => {
    const bytes = Uint8Array.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab]);
    const r = new BitReader(bytes, 0);
    r.pos = 4;
    expect(r.peek(24)).toBe(0x123456);
    expect(r.peek(3)).toBe(0);
    expect(r.pos).toBe(4);
    r.skip(4);
    expect(r.pos).toBe(8);
    expect(r.peek(8)).toBe(0x23);
    r.pos = 36; // tail window
    expect(r.peek(12)).toBe(0x9ab);
    r.skip(12);
    expect(r.pos).toBe(48);
    expect(() => r.skip(1)).toThrow('corrupt block: truncated while reading header');
    r.pos = 40;
    r.skip(8); // up to the end exactly
    expect(r.pos).toBe(48);
  });

  // readUint accepts 53 bits and rejects a 54-bit length
  it('readUint length limits', () => {
    const v = 2 ** 53 - 1;
    const r = new BitReader(fromBits('110101' + '1'.repeat(53) + '0'.repeat(5)), 0);
    r.what = 'values';
    expect(r.readUint()).toBe(v);
    const bad = new BitReader(fromBits('110110' + '0'.repeat(58)), 0);
    bad.what = 'values';
    expect(() => bad.readUint()).toThrow('corrupt block: values: integer of 54 bits (at most 53)');
  });

  // reset must name the header again, not the section of the previous block
  it('reset restores the header name', () => {
    const r = new BitReader(Uint8Array.from([1]), 0);
    r.what = 'values';
    r.reset(Uint8Array.from([]), 0);
    expect(() => r.bit()).toThrow('corrupt block: truncated while reading header');
  });

  // 33..53-bit values written and read across the 32-bit split
  it('writeBig / readBig exact bits', () => {
    const w = new BitWriter(0);
    w.writeBig(2 ** 40 + 5, 41);
    w.writeBig(0xffffffff, 32);
    const bytes = w.finish();
    expect(toBits(bytes, 73)).toBe('1' + '0'.repeat(37) + '101' + '1'.repeat(32));
    const r = new BitReader(bytes, 0);
    expect(r.readBig(41)).toBe(2 ** 40 + 5);
    expect(r.readBig(32)).toBe(0xffffffff);
  });
});
