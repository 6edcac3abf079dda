/**
 * The PNG snapshot's legend (snapshot.ts, what composeSnapshot writes under the chart): a pen whose
 * tag only the archive knows carries the pen list's "archived only" mark in the image too, in every
 * language, and a long label never pushes the mark out of its column.
 */
import { describe, expect, it } from 'vitest';
import { Translator, type Locale } from '../../../shared/i18n/index.js';
import { legendLayout, snapshotPen } from './snapshot.js';

/** A fixed-pitch font: 7 px a character (what the layout is checked with; the page measures its own). */
const measure = (text: string) => 7 * [...text].length;
const grid = { left: 10, top: 500, width: 360, columns: 3, line: 20, r: 1 };
const live = { name: 'Area1.TK101.Level', unit: 'm', description: 'Level, tank 101', archived: false, color: '#1f77b4' };
const gone = { name: 'Area1.TK102.OldLevel', unit: 'm', description: 'Level, tank 102 (before the 2025 rework)', archived: true, color: '#ff7f0e' };

describe('the PNG legend marks archived-only pens', () => {
  for (const locale of ['en', 'ru', 'zh'] as const satisfies readonly Locale[]) {
    it(`${locale}: the archived-only pen has the mark after its label, the configured one none`, () => {
      const mark = new Translator(locale).t('trends.snapshot.archivedOnly');
      const expected = { en: '(archived only)', ru: '(только в архиве)', zh: '（仅在归档中）' }[locale];
      expect(mark).toBe(expected);
      const [a, b] = legendLayout([snapshotPen(live, mark), snapshotPen(gone, mark)], grid, measure);
      expect(a).toEqual({ x: 10, y: 510, label: 'Area1.TK101.Level [m] — Level, tank 101', note: null, noteX: 0 });
      expect(b!.note).toBe(expected);
      // Second column, same row; the note starts 6 px after the label's text (which starts 28 px after the swatch).
      expect([b!.x, b!.y]).toEqual([370, 510]);
      expect(b!.noteX).toBe(370 + 28 + measure(b!.label) + 6);
      // The whole entry stays in its column (360 px less the swatch's 40).
      expect(measure(b!.label) + 6 + measure(b!.note!)).toBeLessThanOrEqual(320);
    });
  }

  it('a label too long for its column is cut, the mark is kept whole', () => {
    const mark = new Translator('en').t('trends.snapshot.archivedOnly');
    const [e] = legendLayout([snapshotPen({ ...gone, description: 'x'.repeat(80) }, mark)], grid, measure);
    // 320 px of room: 15 characters of mark (105 px) and 6 px leave 209 px: 28 characters and the ellipsis (203 px).
    expect(e!.note).toBe('(archived only)');
    expect(e!.label).toBe('Area1.TK102.OldLevel [m] — x…');
    expect(e!.label).toHaveLength(29);
  });
});
