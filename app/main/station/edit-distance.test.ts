import { describe, expect, it } from 'vitest';
import { osaDistance } from './edit-distance.js';

describe('optimal string alignment distance', () => {
  it('counts two adjacent letters swapped as one edit', () => {
    expect(osaDistance('nmae', 'name')).toBe(1);
    expect(osaDistance('lcoale', 'locale')).toBe(1);
    expect(osaDistance('ab', 'ba')).toBe(1);
  });

  it('counts insertions, deletions and substitutions as Levenshtein does', () => {
    expect(osaDistance('kitten', 'sitting')).toBe(3);
    expect(osaDistance('locle', 'locale')).toBe(1);
    expect(osaDistance('', 'abc')).toBe(3);
    expect(osaDistance('abc', '')).toBe(3);
    expect(osaDistance('unit', 'unit')).toBe(0);
  });

  it('edits no substring twice (the restricted distance: "ca" to "abc" is 3, not 2)', () => {
    expect(osaDistance('ca', 'abc')).toBe(3);
  });

  it('counts a character outside the BMP as one', () => {
    expect(osaDistance('a\u{1F600}b', 'ab')).toBe(1);
    expect(osaDistance('\u{1F600}\u{1F601}', '\u{1F601}\u{1F600}')).toBe(1);
  });
});
