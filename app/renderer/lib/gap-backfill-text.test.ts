/**
 * The gap ledger's backfill column (components/acquisition/GapLedger.svelte) words every state the
 * ledger can hold from the catalog, in each language: a gap whose values wait for the archive says
 * so, and one the archive did not take says why in its note (station-causes.ts).
 */
import { describe, expect, it } from 'vitest';
import { ledgerEntry } from '../../shared/api/acquisition.js';
import { Formats, isMessageKey, Translator } from '../../shared/i18n/index.js';
import { ARCHIVE_STOPPED_NOTE, deviceAheadNote, historyNotAnsweredNote, notArchivedNote } from '../../main/acquisition/gap-note.js';
import * as gapNotes from '../../main/acquisition/gap-note.js';
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

  it('words the notes of a gap left pending: the archive did not take it or is stopped, the server did not answer', () => {
    // The station's default retry cap, 10 minutes, in each language's units.
    const tenMinutes = { en: 'every 10\u00a0min at most', ru: 'не реже раза в 10\u00a0мин,', zh: '至少每 10分钟重新补数' };
    const stopped = { en: /archive is stopped.*when the station starts again/, ru: /архив остановлен.*при следующем запуске станции/, zh: /归档已停止.*站点下次启动时/ };
    for (const [lang, tr] of Object.entries(languages) as [keyof typeof languages, Translator][]) {
      const fmt = new Formats(lang);
      for (const [note, words] of [[notArchivedNote(), /archive did not take|архив не принял|归档未接收/], [historyNotAnsweredNote(), /did not answer|не ответил|未响应/]] as const) {
        const text = noteText(note, tr.t.bind(tr), fmt);
        expect(text, lang).toMatch(words);
        expect(text, lang).toContain(tenMinutes[lang]);
        expect(text, lang).not.toMatch(/[{}]/);
      }
      expect(noteText(ARCHIVE_STOPPED_NOTE, tr.t.bind(tr), fmt), lang).toMatch(stopped[lang]);
    }
  });

  it('words every note the station writes, in each language: none is shown as its stored form', () => {
    // Each note gap-note.ts exports (a text, or made from tag names): a new one the console does not word fails here.
    const notes = Object.entries(gapNotes).flatMap(([name, v]) =>
      typeof v === 'string' ? [[name, v]] : typeof v === 'function' ? [[name, (v as (tags: string[]) => string)(['TK101.Level'])]] : []);
    expect(notes.map(([name]) => name)).toEqual(expect.arrayContaining(['CLOCK_OFF_NOTE', 'CLOCK_UNCHECKED_NOTE', 'ARCHIVE_STOPPED_NOTE', 'deviceAheadNote']));
    for (const [lang, tr] of Object.entries(languages) as [keyof typeof languages, Translator][]) {
      const fmt = new Formats(lang);
      for (const [name, note] of notes) {
        const text = noteText(note!, tr.t.bind(tr), fmt);
        expect(text, `${lang} ${name}`).not.toBe(note);
        expect(text, `${lang} ${name}`).not.toMatch(/[{}]|gaps\.note/);
        if (lang !== 'en') expect(text, `${lang} ${name}`).not.toMatch(/\b(the|server|clock|filled)\b/);
      }
    }
  });

  it('words the note of a gap whose tags\' device clock was ahead, naming them in the language\'s list, the rest counted', () => {
    const words = { en: /field device behind .* is ahead.*set the device’s clock right/, ru: /часы полевого устройства тегов .* спешат.*выставьте часы устройства/, zh: /现场设备的时钟超前.*请校准该设备的时钟/ };
    const two = { en: 'Device, Pump', ru: 'Device, Pump', zh: 'Device、Pump' };
    // Seven tags: the first five by name, two more counted (the log names them all).
    const many = { en: 'T1, T2, T3, T4, T5 and 2 more', ru: 'T1, T2, T3, T4, T5 и ещё 2', zh: 'T1、T2、T3、T4、T5及另外2个' };
    for (const [lang, tr] of Object.entries(languages) as [keyof typeof languages, Translator][]) {
      const fmt = new Formats(lang);
      const text = noteText(deviceAheadNote(['Pump', 'Device']), tr.t.bind(tr), fmt);
      expect(text, lang).toMatch(words[lang]);
      expect(text, lang).toContain(two[lang]);
      expect(text, lang).not.toMatch(/[{}]/);
      expect(noteText(deviceAheadNote(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7']), tr.t.bind(tr), fmt), lang).toContain(many[lang]);
    }
  });
});
