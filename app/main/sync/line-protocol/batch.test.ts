import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lines } from './batch.js';

/** The value's text in a line written by pushNumber. */
function numberText(v: number): string {
  const lines = new Lines();
  lines.pushNumber(Buffer.from('m value='), v, Buffer.from(' '), 0, 'm');
  return /^m value=(\S+) 0$/.exec(lines.line(0))![1]!;
}

describe('Lines', () => {
  it('keeps each line as its UTF-8 bytes with a newline, whichever way it was written', () => {
    const lines = new Lines();
    lines.push('tf,tag=Résumé\\ 温度 value=1 5', 5, 'Résumé 温度');
    lines.pushNumber(Buffer.from('tf,tag=T1 value='), 2.5, Buffer.from(',status=0i '), 1700000000000, 'T1');
    lines.push('tf,tag=Ж value=3 7', 7, 'Ж');
    const expected = ['tf,tag=Résumé\\ 温度 value=1 5', 'tf,tag=T1 value=2.5,status=0i 1700000000000', 'tf,tag=Ж value=3 7'];
    expect(lines.count).toBe(3);
    expect(lines.text).toEqual(expected);
    expect(lines.line(1)).toBe(expected[1]);
    expect(lines.times).toEqual([5, 1700000000000, 7]);
    expect(lines.keys).toEqual(['Résumé 温度', 'T1', 'Ж']);
    expect(expected.map((_, i) => lines.size(i))).toEqual(expected.map((l) => Buffer.byteLength(l, 'utf8') + 1));
    expect(lines.bytes(0, 3).toString('utf8')).toBe(`${expected.join('\n')}\n`);
    expect(lines.bytes(1, 2).toString('utf8')).toBe(`${expected[1]}\n`);
    expect(lines.bytes(2, 2).length).toBe(0);
  });

  it('writes a time as its decimal digits', () => {
    const times = [0, 7, 10, 99, 100, 1_700_000_000_000, 9_223_372_036_854, -1, -10, -9_223_372_036_854, Number.MAX_SAFE_INTEGER];
    const lines = new Lines();
    for (const t of times) lines.pushNumber(Buffer.from('m value='), 1, Buffer.from(' '), t, 'm');
    expect(lines.text).toEqual(times.map((t) => `m value=1 ${String(t)}`));
    expect(() => lines.pushNumber(Buffer.from('m value='), 1, Buffer.from(' '), 1.5, 'm')).toThrow(/not an integer/);
  });

  it('writes a number as String() does, so it parses back to the same double', () => {
    const edges = [0, -0, 1, -1, 0.1, 0.2, 0.1 + 0.2, -0.005, 12.34, 238.852, 0.202394, 4502.7, 1e-9, 1.5e-9, 123456789.12345679,
      Number.MAX_SAFE_INTEGER, 2 ** 53, -(2 ** 53) - 2, 1e21, 1.7976931348623157e308, 5e-324, Math.PI, -2.16975];
    for (const v of edges) expect(numberText(v), String(v)).toBe(String(v));
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => numberText(v) === String(v) && Object.is(Number(numberText(v)), Object.is(v, -0) ? 0 : v)));
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 9 }), (m, k) => numberText(m / 10 ** k) === String(m / 10 ** k)));
  });

  it('grows past its first buffer and line table without changing what earlier lines read', () => {
    const lines = new Lines();
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const line = `m,tag=T${i % 7} value=${i / 3} ${1700000000000 + i}${i % 500 === 0 ? ` ${'x'.repeat(70_000)}` : ''}`;
      expected.push(line);
      lines.push(line, i, `T${i % 7}`);
    }
    const early = lines.bytes(0, 10);
    expect(lines.text).toEqual(expected);
    expect(early.toString('utf8')).toBe(`${expected.slice(0, 10).join('\n')}\n`);
    expect(lines.bytes(0, 5000).length).toBe(expected.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
  });
});
