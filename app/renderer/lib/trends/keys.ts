/**
 * The Trends page's keys (they act only on this page, and not while typing).
 * One table: actionFor() reads it, the page lists it.
 */
import type { MessageKey } from '../../../shared/i18n/index.js';
import { quickRanges, type QuickRange } from '../../../shared/api/trends.js';

export type TrendAction =
  | { kind: 'pan'; fraction: number }
  | { kind: 'zoom'; factor: number }
  | { kind: 'back' }
  | { kind: 'forward' }
  | { kind: 'quick'; range: QuickRange }
  | { kind: 'live' }
  | { kind: 'reset' }
  | { kind: 'cursor'; px: number }
  | { kind: 'export' }
  | { kind: 'snapshot' }
  | { kind: 'groups' }
  | { kind: 'limits' }
  | { kind: 'euScale' };

type KeyInfo = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'> & { isComposing?: boolean };

/** What the page lists: the keys as printed, and what they do. */
export const KEY_LIST: { keys: string; what: MessageKey }[] = [
  { keys: '← →', what: 'trends.keys.pan' },
  { keys: '+ −', what: 'trends.keys.zoom' },
  { keys: 'Backspace', what: 'trends.keys.back' },
  { keys: '1 … 7', what: 'trends.keys.quick' },
  { keys: 'L', what: 'trends.keys.live' },
  { keys: 'Esc', what: 'trends.keys.reset' },
  { keys: ', .', what: 'trends.keys.cursor' },
  { keys: 'E', what: 'trends.keys.export' },
  { keys: 'P', what: 'trends.keys.snapshot' },
  { keys: 'G', what: 'trends.keys.groups' },
  { keys: 'M', what: 'trends.keys.limits' },
  { keys: 'Y', what: 'trends.keys.euScale' },
  { keys: '/', what: 'trends.keys.addPen' },
];

/**
 * The action a key press asks for, or null (Ctrl/Alt/Meta combinations belong to the browser and the console;
 * a key an input method is composing with — Chinese pinyin — belongs to the input method).
 */
export function actionFor(e: KeyInfo): TrendAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return null;
  // The cursor keys by their place too: a Russian layout types "б" and "ю" on , and .
  if (e.code === 'Comma') return { kind: 'cursor', px: e.shiftKey ? -10 : -1 };
  if (e.code === 'Period') return { kind: 'cursor', px: e.shiftKey ? 10 : 1 };
  const k = e.key;
  switch (k) {
    case 'ArrowLeft':
      return { kind: 'pan', fraction: e.shiftKey ? -1 : -0.25 };
    case 'ArrowRight':
      return { kind: 'pan', fraction: e.shiftKey ? 1 : 0.25 };
    case '+':
    case '=':
      return { kind: 'zoom', factor: 0.5 };
    case '-':
    case '_':
      return { kind: 'zoom', factor: 2 };
    case 'Backspace':
      return e.shiftKey ? { kind: 'forward' } : { kind: 'back' };
    case 'Escape':
      return { kind: 'reset' };
    case ',':
    case '<':
      return { kind: 'cursor', px: e.shiftKey ? -10 : -1 };
    case '.':
    case '>':
      return { kind: 'cursor', px: e.shiftKey ? 10 : 1 };
  }
  // Digits by physical key, so Shift or a keyboard layout does not change them.
  const digit = /^(?:Digit|Numpad)([1-7])$/.exec(e.code)?.[1];
  if (digit) return { kind: 'quick', range: quickRanges[Number(digit) - 1]! };
  if (e.code === 'NumpadAdd') return { kind: 'zoom', factor: 0.5 };
  if (e.code === 'NumpadSubtract') return { kind: 'zoom', factor: 2 };
  const letter = /^Key([A-Z])$/.exec(e.code)?.[1];
  switch (letter) {
    case 'L':
      return { kind: 'live' };
    case 'E':
      return { kind: 'export' };
    case 'P':
      return { kind: 'snapshot' };
    case 'G':
      return { kind: 'groups' };
    case 'M':
      return { kind: 'limits' };
    case 'Y':
      return { kind: 'euScale' };
  }
  return null;
}
