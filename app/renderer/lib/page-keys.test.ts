import { describe, expect, it } from 'vitest';
import { isFindKey, isSignInKey, letterOf, pageForKey } from './page-keys.js';

/** The navigation order the console's keys promise (README, e2e): a literal, not the module's PAGES. */
const ORDER = ['overview', 'alarms', 'trends', 'tags'];

const key = (k: string, code = '', mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'isComposing', boolean>> = {}) => ({
  key: k, code, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods,
});

describe('pageForKey', () => {
  it('maps F1..F4 and Alt+1..4 to the pages in nav order', () => {
    expect(['F1', 'F2', 'F3', 'F4'].map((k) => pageForKey(key(k)))).toEqual(ORDER);
    expect([1, 2, 3, 4].map((i) => pageForKey(key(String(i), `Digit${i}`, { altKey: true })))).toEqual(ORDER);
  });

  it('opens Audit with Alt+5, alarm KPIs with Alt+6, Sync with Alt+7 and Accounts with Alt+8', () => {
    expect(pageForKey(key('5', 'Digit5', { altKey: true }))).toBe('audit');
    expect(pageForKey(key('6', 'Digit6', { altKey: true }))).toBe('kpi');
    expect(pageForKey(key('7', 'Digit7', { altKey: true }))).toBe('sync');
    expect(pageForKey(key('8', 'Digit8', { altKey: true }))).toBe('accounts');
  });

  it('follows the physical key for Alt+digit (AZERTY gives "&" on Digit1)', () => {
    expect(pageForKey(key('&', 'Digit1', { altKey: true }))).toBe('overview');
  });

  it('leaves other keys and chords alone', () => {
    expect(pageForKey(key('F5'))).toBeNull();
    expect(pageForKey(key('F12'))).toBeNull();
    expect(pageForKey(key('F8'))).toBeNull(); // the alarm summary key belongs to the alarm key map
    expect(pageForKey(key('1', 'Digit1'))).toBeNull();
    expect(pageForKey(key('F1', 'F1', { ctrlKey: true }))).toBeNull();
    expect(pageForKey(key('1', 'Digit1', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(pageForKey(key('9', 'Digit9', { altKey: true }))).toBeNull();
  });
});

describe('isSignInKey', () => {
  it('is F12 or Alt+0 (by physical key), nothing else', () => {
    expect(isSignInKey(key('F12', 'F12'))).toBe(true);
    expect(isSignInKey(key('0', 'Digit0', { altKey: true }))).toBe(true);
    expect(isSignInKey(key('à', 'Digit0', { altKey: true }))).toBe(true);
    expect(isSignInKey(key('F12', 'F12', { ctrlKey: true }))).toBe(false);
    expect(isSignInKey(key('0', 'Digit0'))).toBe(false);
    expect(isSignInKey(key('F11', 'F11'))).toBe(false);
  });
});

describe('one-key shortcuts under other keyboard layouts', () => {
  it('reads a letter key by its place: Russian ЙЦУКЕН types "к" on R, "щ" on O', () => {
    expect(letterOf(key('к', 'KeyR'))).toBe('r');
    expect(letterOf(key('щ', 'KeyO'))).toBe('o');
    expect(letterOf(key('Г', 'KeyU', { shiftKey: true }))).toBe('u');
    expect(letterOf(key('/', 'Slash'))).toBeNull();
    expect(letterOf(key('1', 'Digit1'))).toBeNull();
  });

  it('finds with the / key: by its place (Russian types "." there) or wherever a layout has "/"', () => {
    expect(isFindKey(key('.', 'Slash'))).toBe(true);
    expect(isFindKey(key('/', 'Slash'))).toBe(true);
    expect(isFindKey(key('/', 'Digit7', { shiftKey: true }))).toBe(true); // German: Shift+7
    expect(isFindKey(key('?', 'Slash', { shiftKey: true }))).toBe(false);
    expect(isFindKey(key('/', 'Slash', { ctrlKey: true }))).toBe(false);
    expect(isFindKey(key('.', 'Period'))).toBe(false);
  });

  it('leaves a key an input method is composing with (Chinese pinyin) to the input method', () => {
    expect(letterOf(key('Process', 'KeyR', { isComposing: true }))).toBeNull();
    expect(isFindKey(key('/', 'Slash', { isComposing: true }))).toBe(false);
  });
});
