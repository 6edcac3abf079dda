import { describe, expect, it } from 'vitest';
import { pageForKey } from './page-keys.js';

/** The navigation order the console's keys promise (README, e2e): a literal, not the module's PAGES. */
const ORDER = ['overview', 'alarms', 'trends', 'tags'];

const key = (k: string, code = '', mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {}) => ({
  key: k, code, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods,
});

describe('pageForKey', () => {
  it('maps F1..F4 and Alt+1..4 to the pages in nav order, Alt+7 to Sync', () => {
    expect(['F1', 'F2', 'F3', 'F4'].map((k) => pageForKey(key(k)))).toEqual(ORDER);
    expect([1, 2, 3, 4].map((i) => pageForKey(key(String(i), `Digit${i}`, { altKey: true })))).toEqual(ORDER);
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
