import { describe, expect, it } from 'vitest';
import { parseMinutes, shelvePresets } from './duration.js';

describe('shelve durations', () => {
  it('reads minutes, hours, h:mm and seconds', () => {
    expect(parseMinutes('30')).toBe(30);
    expect(parseMinutes('45 min')).toBe(45);
    expect(parseMinutes('2h')).toBe(120);
    expect(parseMinutes('1h30')).toBe(90);
    expect(parseMinutes('1 h 30 min')).toBe(90);
    expect(parseMinutes('1:30')).toBe(90);
    expect(parseMinutes('90s')).toBe(1.5);
    expect(parseMinutes('0,5 h')).toBe(30);
  });

  it('refuses what is not a positive duration', () => {
    for (const bad of ['', 'soon', '0', '-5', '1:75', '3 days', '2 weeks']) expect(parseMinutes(bad), bad).toBeNull();
  });

  it('offers presets up to the maximum (spec: 8 h)', () => {
    expect(shelvePresets(480)).toEqual([15, 30, 60, 120, 240, 480]);
    expect(shelvePresets(20)).toEqual([15]);
  });
});
