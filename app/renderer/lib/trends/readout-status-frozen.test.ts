/**
 * The trends pen panel states a live value's quality ("Good", "held since …"): with the tag's
 * frozen-value alarm active it says FROZEN instead, dated from the value's last change, as the
 * overview, tag table and focus line do. A cursor or a past view reads the archive: not marked.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmRow, LiveValue } from '../../../shared/api.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import { frozenBy, viewOf, type Lang } from '../value-view.js';
import type { PenReading } from './readout.js';
import { frozenSince, readingDetailText, readingStatusText } from './readout-status.js';
import { level, server, up } from '../testing/tk101-level.js';

const T = Date.UTC(2026, 11, 6, 1, 33, 51);
const NOW = T + 12 * 60_000;
const langOf = (locale: Locale): Lang => {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale, 'UTC') };
};
const en = langOf('en');
const row = (active: boolean) => ({ kind: 'frozen', flags: { active } }) as AlarmRow;
const lv = (status = 0): LiveValue => ({ tag: level.name, t: T, value: 13.979, status });
/** The pen's latest reading in a live window: its last archived value, held to now. */
const held = (status = 0, notCurrent = false): PenReading =>
  ({ kind: 'value', value: 13.979, status, t: NOW, sampleT: T, interpolated: false, held: true, notCurrent });
/** What the pen panel shows for the reading, the live view made as every other screen makes it. */
function shown(r: PenReading, alarm: AlarmRow | undefined, readsLive: boolean, lang = en, value = lv(), ctx = up) {
  const live = viewOf(level, value, { ...ctx, frozen: frozenBy(alarm) }, lang, NOW);
  const since = frozenSince(r, live, readsLive);
  return { status: readingStatusText(r, lang, since), detail: readingDetailText(r, lang, since, NOW) };
}

describe('the trends pen panel on a frozen value', () => {
  it('says FROZEN, not Good, and dates the value from its last change with its age', () => {
    const s = shown(held(), row(true), true);
    expect(s.status).toBe('FROZEN');
    expect(s.detail).toMatch(/^FROZEN: unchanged since 2026-12-06 01:33:51 \(12.min.00.s\), the frozen-value alarm is active$/);
  });

  it('in Russian and Chinese with the catalogs\' words (not "Достоверно")', () => {
    const ru = shown(held(), row(true), true, langOf('ru'));
    expect(ru.status).toBe('ЗАВИСЛО');
    expect(ru.detail).toContain('ЗАВИСЛО: не меняется с');
    const zh = shown(held(), row(true), true, langOf('zh'));
    expect(zh.status).toBe('死值');
    expect(zh.detail).toContain('死值：自');
  });

  it('an uncertain frozen value keeps its word before the mark', () => {
    const uncertain = 0x40940000;
    expect(shown(held(uncertain), row(true), true, en, lv(uncertain)).status).toMatch(/^Uncertain.* FROZEN$/);
  });

  it('is Good again once the alarm returned, and plain without it', () => {
    expect(shown(held(), row(false), true)).toEqual({ status: 'Good', detail: 'held since 2026-12-06 01:33:51' });
    expect(shown(held(), undefined, true)).toEqual({ status: 'Good', detail: 'held since 2026-12-06 01:33:51' });
  });

  it('at a cursor or in a view of the past, reads the archive unmarked', () => {
    expect(shown(held(), row(true), false).status).toBe('Good');
  });

  it('a value not current (link down), a bad one or a lost server says that, not FROZEN', () => {
    expect(shown(held(0, true), row(true), true, en, lv(), { link: 'down', server }).status).toBe('NOT CURRENT');
    expect(shown(held(0x808c0000), row(true), true, en, lv(0x808c0000)).status).toMatch(/^Bad/);
    expect(shown(held(), row(true), true, en, lv(), { link: 'connected', server: { ...server, state: 'lost' } }).status).toBe('Good');
  });
});
