/**
 * The PNG snapshot's legend (snapshot.ts, what composeSnapshot writes under the chart): a pen whose
 * tag only the archive knows carries the pen list's "archived only" mark in the image too, in every
 * language, and a long label never pushes the mark out of its column.
 */
import { describe, expect, it } from 'vitest';
import { Translator, type Locale } from '../../../shared/i18n/index.js';
import { legendColumns, legendLayout, legendLines, marksLayout, snapshotPen } from './snapshot.js';

/** A fixed-pitch font: 7 px a character (what the layout is checked with; the page measures its own). */
const measure = (text: string) => 7 * [...text].length;
const grid = { left: 10, top: 500, width: 360, columns: 3, line: 20, r: 1 };
const live = { name: 'Area1.TK101.Level', unit: 'm', description: 'Level, tank 101', archived: false, color: '#1f77b4', between: ' — ' };
const gone = { name: 'Area1.TK102.OldLevel', unit: 'm', description: 'Level, tank 102 (before the 2025 rework)', archived: true, color: '#ff7f0e', between: ' — ' };

describe('the PNG legend marks archived-only pens', () => {
  for (const locale of ['en', 'ru', 'zh'] as const satisfies readonly Locale[]) {
    it(`${locale}: the archived-only pen has the mark after its label, the configured one none`, () => {
      const mark = new Translator(locale).t('trends.snapshot.archivedOnly');
      const expected = { en: '(archived only)', ru: '(только в архиве)', zh: '（仅在归档中）' }[locale];
      expect(mark).toBe(expected);
      const [a, b] = legendLayout([snapshotPen(live, mark), snapshotPen(gone, mark)], grid, measure);
      expect(a).toEqual({ x: 10, y: 510, label: 'Area1.TK101.Level [m] — Level, tank 101', note: null, noteX: 0, noteY: 0 });
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

describe('the PNG legend marks a frozen pen', () => {
  const en = new Translator('en');
  const legend: [string, string, string] = [en.t('trends.legend.bad'), en.t('trends.legend.noData'), en.t('trends.legend.uncertain')];

  for (const locale of ['en', 'ru', 'zh'] as const satisfies readonly Locale[]) {
    it(`${locale}: the frozen pen's entry carries FROZEN and since when, as the pen panel reads it`, () => {
      const tr = new Translator(locale);
      const mark = tr.t('trends.snapshot.frozenSince', { time: '2026-12-06 01:33:51' });
      expect(mark).toBe({ en: '(FROZEN since 2026-12-06 01:33:51)', ru: '(ЗАВИСЛО с 2026-12-06 01:33:51)', zh: '（自 2026-12-06 01:33:51 起死值）' }[locale]);
      const [a, b] = legendLayout([snapshotPen(live, tr.t('trends.snapshot.archivedOnly'), mark), snapshotPen(live, tr.t('trends.snapshot.archivedOnly'))], grid, measure);
      expect(a!.note).toBe(mark);
      expect(b!.note).toBeNull();
    });
  }

  it('an archived-only pen has no live value to be frozen: its own mark', () => {
    expect(snapshotPen(gone, '(archived only)', '(FROZEN since 01:33:51)').note).toBe('(archived only)');
  });

  it('the frozen mark follows bad, no data and uncertain while a pen is drawn frozen, on the next row where the first is full', () => {
    const o = { left: 10, right: 400, top: 0, line: 20, r: 1 };
    const frozen = en.t('trends.legend.frozen');
    expect(frozen).toBe('frozen, alarm active (line dotted)');
    // 7 px a character, each entry 28 px of swatch before its text and 24 px after it:
    // bad (32 characters) 10–262; no data (7) 286–363; uncertain (9) would end at 387 + 91 = 478 > 400: next row,
    // 10–101; frozen (34) from 125, to 125 + 28 + 238 = 391.
    expect(marksLayout({ legend, frozen }, o, measure)).toEqual([
      { kind: 'bad', text: 'bad, stale or archive unreadable', x: 10, y: 0 },
      { kind: 'noData', text: 'no data', x: 286, y: 0 },
      { kind: 'uncertain', text: 'uncertain', x: 10, y: 20 },
      { kind: 'frozen', text: frozen, x: 125, y: 20 },
    ]);
    // No pen frozen: no frozen mark.
    expect(marksLayout({ legend, frozen: null }, o, measure).map((m) => m.kind)).toEqual(['bad', 'noData', 'uncertain']);
  });
});

describe('the PNG legend never cuts a tag\'s name', () => {
  const en = new Translator('en');
  const frozen = en.t('trends.snapshot.frozenSince', { time: '2026-12-06 01:33:51' });
  const archivedMark = en.t('trends.snapshot.archivedOnly');

  it('a frozen pen whose name and note do not fit side by side: the label whole on its line, the note on the line under it', () => {
    // 320 px of room (7 px a character): the note (34 characters, 238 px) and 6 px leave 76 px, 10 characters
    // ("Area1.TK1…"): the name (17 characters) would be cut. So the note goes under the label, which fits whole (39, 273 px).
    expect(frozen).toHaveLength(34);
    const pens = [snapshotPen(live, archivedMark, frozen), snapshotPen(live, archivedMark), snapshotPen(gone, archivedMark), snapshotPen(live, archivedMark)];
    const [a, b, c, d] = legendLayout(pens, grid, measure);
    expect(a).toEqual({ x: 10, y: 510, label: 'Area1.TK101.Level [m] — Level, tank 101', note: frozen, noteX: 10 + 28, noteY: 530 });
    // The rest of the row stays on its line; the next row starts under the note's line (500 + 2 × 20).
    expect([b!.y, c!.y, c!.noteY]).toEqual([510, 510, 510]);
    expect([d!.x, d!.y]).toEqual([10, 550]);
    expect(legendLines([a!, b!, c!, d!], grid)).toBe(3);
  });

  it('where the name and the note fit side by side, only the description is cut', () => {
    // 460 px of room: the note and 6 px leave 216 px, 30 characters with the ellipsis: the name (17) and the unit are whole.
    const [e] = legendLayout([snapshotPen(live, archivedMark, frozen)], { ...grid, width: 500 }, measure);
    expect(e).toEqual({ x: 10, y: 510, label: 'Area1.TK101.Level [m] — Level…', note: frozen, noteX: 10 + 28 + 7 * 30 + 6, noteY: 510 });
    expect(legendLines([e!], grid)).toBe(1);
  });

  it('a label cut to its column keeps its name whole however narrow the column, the ellipsis after the name', () => {
    // 100 px of room: 13 characters with the ellipsis would cut "Area1.TK101.Level" to "Area1.TK101.…".
    const [e, f] = legendLayout([snapshotPen(live, archivedMark), snapshotPen(live, archivedMark, frozen)], { ...grid, width: 140 }, measure);
    expect(e!.label).toBe('Area1.TK101.Level…');
    expect(f!.label).toBe('Area1.TK101.Level…');
    expect([f!.y, f!.noteY]).toEqual([e!.y, e!.y + 20]); // same row; its note under its label
  });

  it('fewer columns where a name would not fit its column whole', () => {
    const long = { ...live, name: 'Area1.TK101.LevelTransmitter.RadarGauge.Channel2' }; // 48 characters, 336 px
    // 1080 px: 3 columns of 360 (320 px of room each): too narrow for it; 2 columns of 540 hold it.
    expect(legendColumns([snapshotPen(live, archivedMark), snapshotPen(gone, archivedMark), snapshotPen(live, archivedMark)], 1080, 1, measure)).toBe(3);
    // One pen: one column, the whole width (its mark beside it, not under it beside empty room).
    expect(legendColumns([snapshotPen(live, archivedMark)], 1080, 1, measure)).toBe(1);
    expect(legendColumns([snapshotPen(live, archivedMark), snapshotPen(long, archivedMark)], 1080, 1, measure)).toBe(2);
  });
});
