import { describe, expect, it } from 'vitest';
import { AlarmKeyMap, parseChord } from './keys.js';

const press = (key: string, mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'repeat' | 'isComposing', boolean>> & { code?: string } = {}) => ({
  key, code: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, repeat: false, ...mods,
});

const map = new AlarmKeyMap({
  silence: ['F9', 'F21'],
  ackSelected: ['F10', 'Space', 'F22'],
  ackPage: ['Shift+F10', 'F23'],
  shelve: ['F7'],
  selectDown: ['ArrowDown'],
});

describe('alarm key map', () => {
  it('maps the allocated keys and their F13–F24 aliases', () => {
    expect(map.actionFor(press('F9'))).toBe('silence');
    expect(map.actionFor(press('F21'))).toBe('silence');
    expect(map.actionFor(press('F10'))).toBe('ackSelected');
    expect(map.actionFor(press(' '))).toBe('ackSelected');
    expect(map.actionFor(press('F22'))).toBe('ackSelected');
    expect(map.actionFor(press('F23'))).toBe('ackPage');
  });

  it('tells F10 from Shift+F10 and ignores other chords', () => {
    expect(map.actionFor(press('F10', { shiftKey: true }))).toBe('ackPage');
    expect(map.actionFor(press('F10', { ctrlKey: true }))).toBeNull();
    expect(map.actionFor(press('F8'))).toBeNull();
  });

  it('ignores auto-repeat for acks and shelve, not for moving the selection', () => {
    expect(map.actionFor(press('F10', { repeat: true }))).toBeNull();
    expect(map.actionFor(press('F10', { shiftKey: true, repeat: true }))).toBeNull();
    expect(map.actionFor(press('F7', { repeat: true }))).toBeNull();
    expect(map.actionFor(press('ArrowDown', { repeat: true }))).toBe('selectDown');
  });

  it('reads names loosely and reports what it cannot read', () => {
    expect(parseChord('ctrl+Shift+a')).toEqual({ key: 'a', shift: true, ctrl: true, alt: false, meta: false });
    expect(parseChord('space').key).toBe(' ');
    const bad = new AlarmKeyMap({ silence: ['Hyper+F9', 'F9'] });
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toContain('Hyper');
    expect(bad.actionFor(press('F9'))).toBe('silence');
  });

  it('matches a letter key by its place, whatever the layout types there (Russian ЙЦУКЕН)', () => {
    const letters = new AlarmKeyMap({ shelve: ['S'], ackPage: ['Shift+A'] });
    expect(letters.actionFor(press('ы', { code: 'KeyS' }))).toBe('shelve');
    expect(letters.actionFor(press('Ф', { code: 'KeyA', shiftKey: true }))).toBe('ackPage');
    expect(letters.actionFor(press('s', { code: 'KeyS' }))).toBe('shelve');
    // The letter "s" typed by another key is not the S key.
    expect(letters.actionFor(press('s', { code: 'KeyO' }))).toBeNull();
  });

  it('leaves keys an input method is composing with alone, but not the function keys', () => {
    const letters = new AlarmKeyMap({ shelve: ['S'], ackSelected: ['Space'], silence: ['F9'] });
    expect(letters.actionFor(press('s', { code: 'KeyS', isComposing: true }))).toBeNull();
    expect(letters.actionFor(press(' ', { code: 'Space', isComposing: true }))).toBeNull();
    expect(letters.actionFor(press('F9', { code: 'F9', isComposing: true }))).toBe('silence');
  });

  it('labels an action by its first key', () => {
    expect(map.labelOf('ackPage')).toBe('Shift+F10');
    expect(map.labelOf('summary')).toBe('');
  });
});
