import { describe, expect, it } from 'vitest';
import { PAGES, pageForKey } from './page-keys.js';

const key = (k: string, code = '', mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {}) => ({
  key: k, code, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods,
});

describe('pageForKey', () => {
  it('maps F1..F4 and Alt+1..4 to the first four pages', () => {
    const first = ['overview', 'alarms', 'trends', 'tags'];
    expect(first.map((_, i) => pageForKey(key(`F${i + 1}`)))).toEqual(first);
    expect(first.map((_, i) => pageForKey(key(String(i + 1), `Digit${i + 1}`, { altKey: true })))).toEqual(first);
  });

  it('gives the alarm KPI page Alt+6 (NOTES.md: Audit 5, KPI 6)', () => {
    expect(pageForKey(key('6', 'Digit6', { altKey: true }))).toBe('kpi');
  });

  it('gives every page its own digit', () => {
    expect(new Set(PAGES.map((p) => p.digit)).size).toBe(PAGES.length);
  });

  it('follows the physical key for Alt+digit (AZERTY gives "&" on Digit1)', () => {
    expect(pageForKey(key('&', 'Digit1', { altKey: true }))).toBe('overview');
  });

  it('leaves other keys and chords alone', () => {
    expect(pageForKey(key('F5'))).toBeNull();
    expect(pageForKey(key('F8'))).toBeNull();
    expect(pageForKey(key('1', 'Digit1'))).toBeNull();
    expect(pageForKey(key('F1', 'F1', { ctrlKey: true }))).toBeNull();
    expect(pageForKey(key('1', 'Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(pageForKey(key('9', 'Digit9', { altKey: true }))).toBeNull();
  });
});
