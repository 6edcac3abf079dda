import { describe, expect, it } from 'vitest';
import { changeText, emptyFields, filterOf } from './audit-view.js';

describe('audit page filters', () => {
  it('leave out empty fields and a time that does not parse', () => {
    expect(filterOf(emptyFields())).toEqual({});
    expect(filterOf({ ...emptyFields(), from: 'not a time', user: ' Ivanova ', action: 'session.', result: 'refused' })).toEqual({ user: 'ivanova', action: 'session.', result: 'refused' });
  });

  it('read datetime-local values in the console\'s own time zone', () => {
    const f = filterOf({ ...emptyFields(), from: '2026-11-30T06:00', to: '2026-11-30T14:00' });
    expect(f.from).toBe(new Date(2026, 10, 30, 6, 0).getTime());
    expect(f.to! - f.from!).toBe(8 * 3_600_000);
  });
});

describe('audit change cell', () => {
  it('shows old → new, a new value alone, or nothing', () => {
    expect(changeText({ oldValue: '85', newValue: '90' })).toBe('85 → 90');
    expect(changeText({ oldValue: null, newValue: '{"roles":["operator"]}' })).toBe('roles: operator');
    expect(changeText({ oldValue: null, newValue: null })).toBe('');
    expect(changeText({ oldValue: 'x'.repeat(100), newValue: 'y' }, 20)).toHaveLength(20);
  });

  it('reads stored JSON as a person would: texts without quotes, lists with commas, fields named; the rest as stored', () => {
    expect(changeText({ oldValue: null, newValue: '{"displayName":"Инженер Петров","roles":["supervisor","engineer"]}' }))
      .toBe('displayName: Инженер Петров; roles: supervisor, engineer');
    expect(changeText({ oldValue: '"B"', newValue: '"acknowledged"' })).toBe('B → acknowledged');
    expect(changeText({ oldValue: '["B","C"]', newValue: '"acknowledged"' })).toBe('B, C → acknowledged');
    expect(changeText({ oldValue: '85.5', newValue: 'null' })).toBe('85.5 → null');
    expect(changeText({ oldValue: null, newValue: '{"filter":{"from":1,"to":2},"n":3}' })).toBe('filter: {"from":1,"to":2}; n: 3');
    expect(changeText({ oldValue: null, newValue: 'not json {' })).toBe('not json {');
  });
});
