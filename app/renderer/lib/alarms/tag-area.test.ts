import { describe, expect, it } from 'vitest';
import { areaShort, splitTag } from './tag-area.js';

describe('a tag\'s area shortened for the banner', () => {
  it('splits the area off at the first dot', () => {
    expect(splitTag('Area2.GD201.Concentration')).toEqual({ area: 'Area2', rest: 'GD201.Concentration' });
    expect(splitTag('sim')).toEqual({ area: '', rest: 'sim' });
    expect(splitTag('.GD201')).toEqual({ area: '', rest: '.GD201' });
    expect(splitTag('Area2.')).toEqual({ area: '', rest: 'Area2.' });
  });

  it('keeps the initials and the number, so two areas read apart (A1, A2, never "A…" for both)', () => {
    expect(areaShort('Area1')).toBe('A1');
    expect(areaShort('Area2')).toBe('A2');
    expect(areaShort('Area 12')).toBe('A12');
    expect(areaShort('NorthYard')).toBe('NY');
    expect(areaShort('North_Yard-3')).toBe('NY3');
    expect(areaShort('TankFarm3')).toBe('TF3');
    expect(areaShort('AREA2')).toBe('A2');
    expect(areaShort('HTTPServer')).toBe('HS');
    expect(areaShort('Зона2')).toBe('З2');
  });

  it('leaves a name already short', () => {
    expect(areaShort('A2')).toBe('A2');
    expect(areaShort('TF3')).toBe('TF3');
    expect(areaShort('罐区2')).toBe('罐区2');
    expect(areaShort('')).toBe('');
  });
});
