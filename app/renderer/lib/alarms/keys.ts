/**
 * Alarm keys: the station's key map ("F10", "Space", "Shift+F10", "F22")
 * turned into a matcher for keydown events. Operator keyboards send F13–F24
 * for their dedicated alarm keys; the map lists them beside the F-keys.
 */
import type { AlarmKeyAction } from '../../../shared/api/alarms.js';
import { defaultAlarmKeys } from '../../../shared/config/alarms.js';
import { letterOf } from '../page-keys.js';

/** The console-wide allocation (NOTES.md, the station config's defaults), used until the station's map arrives. */
export const DEFAULT_ALARM_KEYS: Record<AlarmKeyAction, string[]> = defaultAlarmKeys;

/** Actions that change plant state: an auto-repeating key must not fire them twice. */
const NO_REPEAT: ReadonlySet<AlarmKeyAction> = new Set(['silence', 'ackSelected', 'ackPage', 'summary', 'shelve', 'goToDisplay']);

interface Chord {
  key: string;
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
  meta: boolean;
}

type KeyInfo = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'> & { isComposing?: boolean };

const MODIFIERS: Record<string, keyof Omit<Chord, 'key'>> = { shift: 'shift', ctrl: 'ctrl', control: 'ctrl', alt: 'alt', meta: 'meta' };

/** "Shift+F10" -> chord; throws on a name it cannot read, naming it. */
export function parseChord(text: string): Chord {
  const parts = text.split('+').map((p) => p.trim());
  const chord: Chord = { key: '', shift: false, ctrl: false, alt: false, meta: false };
  for (const part of parts.slice(0, -1)) {
    const mod = MODIFIERS[part.toLowerCase()];
    if (!mod) throw new Error(`key "${text}": "${part}" is not a modifier (Shift, Ctrl, Alt, Meta)`);
    chord[mod] = true;
  }
  const key = parts[parts.length - 1];
  if (!key) throw new Error(`key "${text}": no key after the modifiers`);
  chord.key = key.toLowerCase() === 'space' ? ' ' : key.length === 1 ? key.toLowerCase() : key;
  return chord;
}

function matches(chord: Chord, e: KeyInfo): boolean {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  // A Latin letter by its place on the keyboard, so another layout (Russian: "к" on R) keeps the key.
  const letter = /^[a-z]$/.test(chord.key) && e.code ? letterOf(e) === chord.key : key === chord.key;
  return letter && e.shiftKey === chord.shift && e.ctrlKey === chord.ctrl && e.altKey === chord.alt && e.metaKey === chord.meta;
}

export class AlarmKeyMap {
  private readonly chords: [AlarmKeyAction, Chord][] = [];
  /** Key names that could not be read, for the console's log. */
  readonly problems: string[] = [];

  constructor(map: Partial<Record<AlarmKeyAction, string[]>>) {
    for (const [action, names] of Object.entries(map) as [AlarmKeyAction, string[]][]) {
      for (const name of names) {
        try {
          this.chords.push([action, parseChord(name)]);
        } catch (err) {
          this.problems.push(`${action}: ${(err as Error).message}`);
        }
      }
    }
  }

  /** The action a key press asks for, or null; auto-repeats of acting keys give null. */
  actionFor(e: KeyInfo & { repeat?: boolean }): AlarmKeyAction | null {
    // A key an input method is composing with (Chinese pinyin: Space picks a word) is the input method's; function keys are not.
    if (e.isComposing && !/^F\d+$/.test(e.key)) return null;
    for (const [action, chord] of this.chords) {
      if (!matches(chord, e)) continue;
      return e.repeat && NO_REPEAT.has(action) ? null : action;
    }
    return null;
  }

  /** The first key bound to an action, for labels ("F10"). */
  labelOf(action: AlarmKeyAction): string {
    const c = this.chords.find(([a]) => a === action)?.[1];
    if (!c) return '';
    const mods = [c.ctrl && 'Ctrl', c.alt && 'Alt', c.shift && 'Shift', c.meta && 'Meta'].filter(Boolean);
    return [...mods, c.key === ' ' ? 'Space' : c.key.length === 1 ? c.key.toUpperCase() : c.key].join('+');
  }
}
