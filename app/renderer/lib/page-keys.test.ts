import { describe, expect, it } from 'vitest';
import { PAGES, pageForKey } from './page-keys.js';

const key = (k: string, code = '', mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {}) => ({
  key: k, code, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods,
});

describe('pageForKey', () => {
  it('maps F1..F4 and Alt+1..4 to the first pages in nav order, Alt+7 to Sync', () => {
    const first = PAGES.slice(0, 4);
    expect(first.map((p, i) => pageForKey(key(`F${i + 1}`)))).toEqual(['overview', 'alarms', 'trends', 'tags']);
    expect(first.map((p, i) => pageForKey(key(String(i + 1), `Digit${i + 1}`, { altKey: true })))).toEqual(['overview', 'alarms', 'trends', 'tags']);
    expect(pageForKey(key('7', 'Digit7', { altKey: true }))).toBe('sync');
  });

  it('follows the physical key for Alt+digit (AZERTY gives "&" on Digit1)', () => {
    expect(pageForKey(key('&', 'Digit1', { altKey: true }))).toBe('overview');
  });

  it('leaves other keys and chords alone', () => {
    expect(pageForKey(key('F5'))).toBeNull();
    expect(pageForKey(key('1', 'Digit1'))).toBeNull();
    expect(pageForKey(key('F1', 'F1', { ctrlKey: true }))).toBeNull();
    expect(pageForKey(key('1', 'Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(pageForKey(key('5', 'Digit5', { altKey: true }))).toBeNull();
  });
});
