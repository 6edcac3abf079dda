/**
 * The gap ledger's backfill column (components/acquisition/GapLedger.svelte) words every state the
 * ledger can hold from the catalog, in each language: a gap whose values wait for the archive says
 * so, and one the archive did not take says why in its note (station-causes.ts).
 */
import { describe, expect, it } from 'vitest';
import { ledgerEntry } from '../../shared/api/acquisition.js';
import { isMessageKey, Translator } from '../../shared/i18n/index.js';
import { HISTORY_NOT_ANSWERED_NOTE, NOT_ARCHIVED_NOTE } from '../../main/acquisition/gap-ledger.js';
import { noteText } from './station-causes.js';

const languages = { en: new Translator('en'), ru: new Translator('ru'), zh: new Translator('zh') };

describe('the gap ledger\'s backfill states and notes, in the console\'s language', () => {
  it('has words for every state but the counted ones (done, partial), the wait for the archive among them', () => {
    const states = ledgerEntry.shape.backfill.unwrap().options.filter((s) => s !== 'done' && s !== 'partial');
    expect(states).toContain('archiving');
    for (const s of states) expect(isMessageKey(`gaps.backfill.${s}`), s).toBe(true);
    expect(languages.en.t('gaps.backfill.archiving')).toBe('waiting for the archive');
    expect(languages.ru.t('gaps.backfill.archiving')).toMatch(/архив/);
    expect(languages.zh.t('gaps.backfill.archiving')).toMatch(/归档/);
  });

  it('words the notes of a gap left pending and retried: the archive did not take it, the server did not answer', () => {
    for (const [lang, tr] of Object.entries(languages)) {
      for (const [note, key] of [[NOT_ARCHIVED_NOTE, 'gaps.note.notArchivedRetried'], [HISTORY_NOT_ANSWERED_NOTE, 'gaps.note.historyNotAnswered']] as const) {
        const text = noteText(note, tr.t.bind(tr), (ms) => new Date(ms).toISOString());
        expect(text, lang).toBe(tr.t(key));
        if (lang !== 'en') expect(text, lang).not.toBe(note);
      }
    }
  });
});
