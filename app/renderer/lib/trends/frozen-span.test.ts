/**
 * A frozen transmitter on the live trend (frozen-span.ts): its span from the value's last change to
 * now is a lane span of its own ("TK101.Level: frozen"), beside its gaps, only in a live window and
 * only while its frozen-value alarm is active and its value current; the lane's words are the
 * catalog's words for FROZEN.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmRow, LiveValue } from '../../../shared/api.js';
import { Translator, type Locale } from '../../../shared/i18n/index.js';
import { frozenBy, viewOf } from '../value-view.js';
import { chartFrozenSince, laneSpans, laneTexts, type LaneWord } from './frozen-span.js';
import { laneLabels, type Gap } from './gaps.js';
import { level, server, up } from '../testing/tk101-level.js';

/** The value's last change: 01:33:51 UTC; twelve minutes later it still reads the same. */
const T = Date.UTC(2026, 11, 6, 1, 33, 51);
const NOW = T + 12 * 60_000;
const row = (active: boolean) => ({ kind: 'frozen', flags: { active } }) as AlarmRow;
const lv = (status = 0): LiveValue => ({ tag: level.name, t: T, value: 13.979, status });
/** The tag's live view as every screen makes it (viewOf with frozenBy), then the chart's question. */
const since = (alarm: AlarmRow | undefined, viewIsLive: boolean, value = lv(), ctx = up) =>
  chartFrozenSince(viewOf(level, value, { ...ctx, frozen: frozenBy(alarm) }, undefined, NOW), viewIsLive);

describe('which pen the live trend draws frozen', () => {
  it('a live window, the alarm active, the value good and current: from its last change (the source time it carries)', () => {
    expect(since(row(true), true)).toBe(T);
  });

  it('a past view reads the archive: not marked, whatever the alarm says now', () => {
    expect(since(row(true), false)).toBeNull();
  });

  it('without the alarm, or once it returned: a steady value is a good one', () => {
    expect(since(undefined, true)).toBeNull();
    expect(since(row(false), true)).toBeNull();
  });

  it('a link down, a lost server or a bad value: their own marks, not frozen', () => {
    expect(since(row(true), true, lv(), { link: 'down', server })).toBeNull();
    expect(since(row(true), true, lv(), { link: 'connected', server: { ...server, state: 'lost' } })).toBeNull();
    expect(since(row(true), true, lv(0x808c0000))).toBeNull(); // BadSensorFailure
  });
});

describe('a frozen pen\'s lane', () => {
  it('without gaps: one span from the value\'s last change to now', () => {
    expect(laneSpans([], 40, 0, 100, 100)).toEqual([{ t0: 40, t1: 100, word: 'frozen' }]);
  });

  it('not frozen: the gaps as they are', () => {
    const gaps: Gap[] = [{ t0: 0, t1: 10, word: 'noData' }];
    expect(laneSpans(gaps, null, 0, 100, 100)).toEqual(gaps);
  });

  it('a gap inside the frozen span says more: the frozen span runs around it, in time order', () => {
    const gaps: Gap[] = [{ t0: 0, t1: 10, word: 'noData' }, { t0: 50, t1: 60, word: 'bad' }];
    // Frozen from 30: 30–50 frozen, 50–60 bad, 60–100 frozen; the no-data span before it stays.
    expect(laneSpans(gaps, 30, 0, 100, 100)).toEqual([
      { t0: 0, t1: 10, word: 'noData' },
      { t0: 30, t1: 50, word: 'frozen' },
      { t0: 50, t1: 60, word: 'bad' },
      { t0: 60, t1: 100, word: 'frozen' },
    ]);
    // A gap running to now: frozen up to it only.
    expect(laneSpans([{ t0: 70, t1: 100, word: 'stale' }], 40, 0, 100, 100)).toEqual([
      { t0: 40, t1: 70, word: 'frozen' },
      { t0: 70, t1: 100, word: 'stale' },
    ]);
  });

  it('frozen since before the view: whole, as a gap begun before it is; a part wholly before the view is left out', () => {
    expect(laneSpans([], -50, 0, 100, 100)).toEqual([{ t0: -50, t1: 100, word: 'frozen' }]);
    // Frozen from 0, bad 20–30: the 0–20 part ends before the view (50–100).
    expect(laneSpans([{ t0: 20, t1: 30, word: 'bad' }], 0, 50, 100, 100)).toEqual([{ t0: 30, t1: 100, word: 'frozen' }]);
  });

  it('nothing frozen to show when the change is now or later', () => {
    expect(laneSpans([], 100, 0, 100, 100)).toEqual([]);
  });

  for (const locale of ['en', 'ru', 'zh'] as const satisfies readonly Locale[]) {
    it(`${locale}: the lane reads "<pen>: frozen" in the catalog's word for FROZEN`, () => {
      const tr = new Translator(locale);
      const text = tr.t('trends.gap.lane', { tag: 'TK101.Level', what: tr.t('trends.gap.frozen') });
      expect(text).toBe({ en: 'TK101.Level: frozen', ru: 'TK101.Level: зависло', zh: 'TK101.Level：死值' }[locale]);
      // The same word as the FROZEN badge the overview and the pen panel show.
      expect(tr.t('trends.gap.frozen')).toBe(tr.t('badge.FROZEN').toLowerCase());
    });
  }
});

describe('a narrow frozen span\'s label keeps what the lane means', () => {
  const tr = new Translator('en');
  const say = (pen: string, word: LaneWord) => tr.t('trends.gap.lane', { tag: pen, what: tr.t(`trends.gap.${word}`) });
  const word = (w: LaneWord) => tr.t(`trends.gap.${w}`);
  const measure = (s: string) => s.length * 6; // 6 px a character
  // A bad gap at the lane's left end, a frozen span over its last 30 px (frozen up to now), a 200 px plot.
  const spans = [{ a: 10, b: 30 }, { a: 170, b: 200 }];
  const lane = (texts: string[][]) => laneLabels(spans, texts, measure, { left: 0, right: 200, pad: 3, space: 8 });

  it('too narrow for "TK101.Level: frozen" beside the other gap\'s label: "frozen", never the tag alone', () => {
    const texts = [laneTexts('bad', 'TK101.Level', say, word), laneTexts('frozen', 'TK101.Level', say, word)];
    expect(texts).toEqual([['TK101.Level: bad quality', 'TK101.Level'], ['TK101.Level: frozen', 'frozen']]);
    // Whole labels (144 and 114 px) overlap: 13–157 and 83–197. Both gaps named: the bad one by the pen's name
    // after its start (13–79), the frozen one by its word ending at its end (36 px: 161–197), 82 px apart.
    expect(lane(texts)).toEqual([
      { gap: 0, text: 'TK101.Level', x0: 13, x1: 79, side: 'after' },
      { gap: 1, text: 'frozen', x0: 161, x1: 197, side: 'before' },
    ]);
  });

  it('without the word alone: whole or not named (its tooltip names it), not cut to the tag', () => {
    expect(laneTexts('frozen', 'TK101.Level', say)).toEqual(['TK101.Level: frozen']);
    const placed = lane([laneTexts('bad', 'TK101.Level', say), laneTexts('frozen', 'TK101.Level', say)]);
    expect(placed).toEqual([{ gap: 0, text: 'TK101.Level: bad quality', x0: 13, x1: 157, side: 'after' }]);
    // Alone in its lane, the whole label fits before its end (83–197).
    expect(laneLabels([spans[1]!], [laneTexts('frozen', 'TK101.Level', say, word)], measure, { left: 0, right: 200, pad: 3, space: 8 })).toEqual([
      { gap: 0, text: 'TK101.Level: frozen', x0: 83, x1: 197, side: 'before' },
    ]);
  });

  for (const locale of ['en', 'ru', 'zh'] as const satisfies readonly Locale[]) {
    it(`${locale}: the short label is the catalog's word for frozen, a gap's the pen's name as before`, () => {
      const t = new Translator(locale);
      const sayIn = (pen: string, w: LaneWord) => t.t('trends.gap.lane', { tag: pen, what: t.t(`trends.gap.${w}`) });
      expect(laneTexts('frozen', 'TK101.Level', sayIn, (w) => t.t(`trends.gap.${w}`))[1]).toBe({ en: 'frozen', ru: 'зависло', zh: '死值' }[locale]);
      expect(laneTexts('stale', 'TK101.Level', sayIn, (w) => t.t(`trends.gap.${w}`))[1]).toBe('TK101.Level');
    });
  }
});
