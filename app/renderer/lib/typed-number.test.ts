import { describe, expect, it } from 'vitest';
import { parseTypedNumber } from './typed-number.js';

describe('a number typed in the console language', () => {
  it('Russian: a decimal comma or point, spaces between thousands, a minus sign', () => {
    expect(parseTypedNumber('-10,5', true)).toBe(-10.5);
    expect(parseTypedNumber('\u221210,5', true)).toBe(-10.5);
    expect(parseTypedNumber('1\u00a0234,5', true)).toBe(1234.5);
    expect(parseTypedNumber('60.5', true)).toBe(60.5);
    expect(parseTypedNumber('1,2,3', true)).toBeNaN();
  });

  it('English: a comma only as a thousands separator; "10,5" is no number rather than 105', () => {
    expect(parseTypedNumber('1,000', false)).toBe(1000);
    expect(parseTypedNumber('-1,234.5', false)).toBe(-1234.5);
    expect(parseTypedNumber('10,5', false)).toBeNaN();
    expect(parseTypedNumber('-10,5', false)).toBeNaN();
    expect(parseTypedNumber('abc', false)).toBeNaN();
    expect(parseTypedNumber('', false)).toBeNaN();
    expect(parseTypedNumber('2e3', false)).toBe(2000);
  });
});
