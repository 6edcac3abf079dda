import { describe, expect, it } from 'vitest';
import { actionFor } from './keys.js';

const press = (key: string, code: string, mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'isComposing', boolean>> = {}) => ({
  key, code, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, isComposing: false, ...mods,
});

describe('trend keys', () => {
  it('moves the cursor with , and . (Shift: 10 px) on a US keyboard', () => {
    expect(actionFor(press(',', 'Comma'))).toEqual({ kind: 'cursor', px: -1 });
    expect(actionFor(press('.', 'Period'))).toEqual({ kind: 'cursor', px: 1 });
    expect(actionFor(press('<', 'Comma', { shiftKey: true }))).toEqual({ kind: 'cursor', px: -10 });
    expect(actionFor(press('>', 'Period', { shiftKey: true }))).toEqual({ kind: 'cursor', px: 10 });
  });

  it('moves the cursor by the physical , . keys under a Russian layout (they type б and ю)', () => {
    expect(actionFor(press('б', 'Comma'))).toEqual({ kind: 'cursor', px: -1 });
    expect(actionFor(press('ю', 'Period'))).toEqual({ kind: 'cursor', px: 1 });
    expect(actionFor(press('Б', 'Comma', { shiftKey: true }))).toEqual({ kind: 'cursor', px: -10 });
    expect(actionFor(press('Ю', 'Period', { shiftKey: true }))).toEqual({ kind: 'cursor', px: 10 });
  });

  it('reads letters by their place under a Russian layout', () => {
    expect(actionFor(press('д', 'KeyL'))).toEqual({ kind: 'live' });
    expect(actionFor(press('у', 'KeyE'))).toEqual({ kind: 'export' });
  });

  it('leaves keys an input method is composing with alone', () => {
    expect(actionFor(press('l', 'KeyL', { isComposing: true }))).toBeNull();
    expect(actionFor(press('Process', 'KeyE', { isComposing: true }))).toBeNull();
    expect(actionFor(press(',', 'Comma', { isComposing: true }))).toBeNull();
    expect(actionFor(press('1', 'Digit1', { isComposing: true }))).toBeNull();
  });

  it('leaves Ctrl/Alt/Meta chords alone', () => {
    expect(actionFor(press(',', 'Comma', { ctrlKey: true }))).toBeNull();
    expect(actionFor(press('l', 'KeyL', { altKey: true }))).toBeNull();
  });
});
