import { describe, expect, it } from 'vitest';
import { unitsRow } from './units-row.js';

const tags = [false, true, true, true];

describe('a row of units under a wide header', () => {
  it('is units when the time cell is empty or says units and the tag cells are short words', () => {
    expect(unitsRow(['', 'm', ' bar g ', '°C'], 0, -1, tags)).toEqual(['', 'm', 'bar g', '°C']);
    expect(unitsRow(['Units', 'm3/h', '', '%'], 0, -1, tags)).toEqual(['', 'm3/h', '', '%']);
    expect(unitsRow(['Ед. изм.', 'м', 'кПа', '°C'], 0, -1, tags)).toEqual(['', 'м', 'кПа', '°C']);
    expect(unitsRow(['单位', '米', 'MPa', '℃'], 0, -1, tags)).toEqual(['', '米', 'MPa', '℃']);
  });

  it('is no units row when a cell is a number, a long text, no word, or the time cell holds a time', () => {
    expect(unitsRow(['', 'm', '1.5', 'bar'], 0, -1, tags)).toBeUndefined();
    expect(unitsRow(['', 'Level of tank 101 (radar)', 'bar', 'm'], 0, -1, tags)).toBeUndefined();
    expect(unitsRow(['', '--', '', ''], 0, -1, tags)).toBeUndefined();
    expect(unitsRow(['2024-01-01 00:00', 'RUNNING', 'OPEN', 'm'], 0, -1, tags)).toBeUndefined();
    expect(unitsRow(['', '', '', ''], 0, -1, tags)).toBeUndefined();
  });

  it('reads only tag columns, and needs the time-of-day column empty too', () => {
    expect(unitsRow(['', '', 'm', 'bar'], 0, 1, [false, false, true, true])).toEqual(['', '', 'm', 'bar']);
    expect(unitsRow(['', '12:00', 'm', 'bar'], 0, 1, [false, false, true, true])).toBeUndefined();
    expect(unitsRow(['', 'm', 'idx', 'bar'], 0, -1, [false, true, false, true])).toEqual(['', 'm', '', 'bar']);
  });
});
