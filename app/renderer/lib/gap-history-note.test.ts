/**
 * The note of a gap whose server's history begins after the gap's start (a server restarted
 * during the outage, or an archive that reaches back no further): the console words it in its
 * language with the time the history begins, as the station wrote it (archive-start.ts).
 */
import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { historyFromNote } from '../../main/acquisition/archive-start.js';
import { noteText } from './station-causes.js';

const languages = { en: new Translator('en'), ru: new Translator('ru'), zh: new Translator('zh') };
const from = Date.UTC(2026, 11, 6, 1, 23, 45);
// Minutes and seconds of that moment in this machine's time zone (the console shows local time).
const local = new Date(from);
const minSec = `${String(local.getMinutes()).padStart(2, '0')}:${String(local.getSeconds()).padStart(2, '0')}`;

describe('the note of a gap the server\'s history reaches only partly', () => {
  it('is worded in each language, naming from when the history exists', () => {
    const note = historyFromNote(from);
    const words = { en: /server’s history begins at/, ru: /история сервера начинается/, zh: /服务器历史始于/ };
    for (const [lang, tr] of Object.entries(languages) as [keyof typeof languages, Translator][]) {
      const fmt = new Formats(lang);
      const text = noteText(note, tr.t.bind(tr), fmt);
      expect(text, lang).toMatch(words[lang]);
      expect(text, lang).toContain('2026');
      expect(text, lang).toContain(minSec);
      expect(text, lang).not.toContain('Z;');
      // Written as the ledger's columns write their times (GapLedger.svelte: fmt.dateTime), not in a format of its own.
      expect(text, lang).toContain(fmt.dateTime(from));
    }
  });

  it('a note that only looks like it (no valid time) shows as stored', () => {
    const odd = 'partly filled: the server\'s history begins at notatimeZ; before that the gap stays without communication';
    expect(noteText(odd, languages.ru.t.bind(languages.ru), new Formats('ru'))).toBe(odd);
  });
});
