import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './period.js';

describe('datetime-local periods', () => {
  it('round-trips to the second in local time', () => {
    const ms = new Date(2025, 10, 21, 6, 1, 2).getTime();
    expect(toLocalInput(ms)).toBe('2025-11-21T06:01:02');
    expect(fromLocalInput('2025-11-21T06:01:02')).toBe(ms);
    expect(fromLocalInput('2025-11-21T06:01')).toBe(new Date(2025, 10, 21, 6, 1).getTime());
  });

  it('gives null for empty or malformed input', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
  });
});
