import { describe, expect, it } from 'vitest';
import { rowAfterAction } from './focus-return.js';

describe('the row that takes the focus after an action on an alarm (unshelve)', () => {
  it('its own row while the list still holds it', () => {
    expect(rowAfterAction(['a', 'b', 'c'], 'b', 1)).toBe('b');
    // Moved within the list (an order by time left): still its own.
    expect(rowAfterAction(['b', 'a', 'c'], 'b', 1)).toBe('b');
  });

  it('the row now in its place when it left the list, the last one when it was the last', () => {
    expect(rowAfterAction(['a', 'c'], 'b', 1)).toBe('c');
    expect(rowAfterAction(['a', 'b'], 'c', 2)).toBe('b');
    expect(rowAfterAction(['b', 'c'], 'a', 0)).toBe('b');
    // Not found in the list when the action began (index -1): the first row.
    expect(rowAfterAction(['b', 'c'], 'x', -1)).toBe('b');
  });

  it('none when the list is empty (the page region takes the focus then)', () => {
    expect(rowAfterAction([], 'a', 0)).toBeNull();
  });
});
