/** An enumeration's state names as a server's EnumStrings and EnumValues properties hold them (Part 3 §5.8.3, Part 5 §12.2.4). */
import { describe, expect, it } from 'vitest';
import { statesOf } from './type-reader.js';

describe('an enumeration\'s states', () => {
  it('EnumStrings: each text names the value of its index; an empty one names nothing', () => {
    expect(statesOf('EnumStrings', [{ text: 'Off', locale: 'en' }, { text: '' }, { text: 'Manual' }])).toEqual([{ value: 0, name: 'Off' }, { value: 2, name: 'Manual' }]);
  });

  it('EnumValues: each its own Int64 value (as node-opcua gives it, [high, low] words) and display name', () => {
    const values = [
      { value: [0, 0], displayName: { text: 'Closed' } },
      { value: [0xffffffff, 0xfffffffe], displayName: { text: 'Unknown' } }, // -2
      { value: 9, displayName: { text: 'Fault' } },
      { value: [0x7fffffff, 0xffffffff], displayName: { text: 'Beyond a double' } },
    ];
    expect(statesOf('EnumValues', values)).toEqual([{ value: 0, name: 'Closed' }, { value: -2, name: 'Unknown' }, { value: 9, name: 'Fault' }]);
  });

  it('names none when the property holds no array or no usable entry', () => {
    expect(statesOf('EnumStrings', null)).toBeNull();
    expect(statesOf('EnumValues', [{ displayName: { text: 'No value' } }])).toBeNull();
    expect(statesOf('EnumStrings', [])).toBeNull();
  });
});
