import { describe, expect, it } from 'vitest';
import { Translator } from '../../../shared/i18n/index.js';
import { AnnunciationWatch, announcementOf, priorityName } from './announce.js';
import { row } from './testing.js';

const ru = new Translator('ru');
const zh = new Translator('zh');
const tr = (t: Translator) => t.t.bind(t);

describe('the alarms a screen reader is told of', () => {
  it('tells nothing of the alarms standing when the console opens, then each new annunciation once', () => {
    const watch = new AnnunciationWatch();
    const a = row({ id: 'A/limit', annunciatedAt: 1000 });
    const b = row({ id: 'B/limit', annunciatedAt: 2000 });
    expect(watch.update([a])).toEqual([]);
    expect(watch.update([a, b]).map((r) => r.id)).toEqual(['B/limit']);
    expect(watch.update([b, a])).toEqual([]);
  });

  it('tells a re-annunciation (the same alarm again, later), not an acknowledgement or a change of value', () => {
    const watch = new AnnunciationWatch();
    watch.update([row({ id: 'A/limit', annunciatedAt: 1000 })]);
    expect(watch.update([row({ id: 'A/limit', annunciatedAt: 1000, state: 'C', value: 90, revision: 2 })])).toEqual([]);
    expect(watch.update([])).toEqual([]);
    expect(watch.update([row({ id: 'A/limit', annunciatedAt: 5000, revision: 3 })]).map((r) => r.id)).toEqual(['A/limit']);
  });

  it('does not tell of one that arrives already acknowledged, nor of one with no annunciation', () => {
    const watch = new AnnunciationWatch();
    watch.update([]);
    expect(watch.update([row({ id: 'C/limit', annunciatedAt: 3000, state: 'C' }), row({ id: 'D/limit', annunciatedAt: null })])).toEqual([]);
  });

  it('tells the most important first', () => {
    const watch = new AnnunciationWatch();
    watch.update([]);
    const got = watch.update([row({ id: 'L/limit', priority: 4, annunciatedAt: 9 }), row({ id: 'C/limit', priority: 1, annunciatedAt: 1 })]);
    expect(got.map((r) => r.id)).toEqual(['C/limit', 'L/limit']);
  });

  it('says priority, tag and condition in the console\'s language', () => {
    const r = row({ id: 'Area2.GD201.Concentration/limit', tag: 'Area2.GD201.Concentration', priority: 1, condition: 'HH', message: 'Ammonia gas high high' });
    const text = announcementOf(r, 'Ammonia gas high high', tr(ru));
    expect(text).toContain('P1');
    expect(text).toContain(ru.t('alarmsUi.priority.name', { level: '1' }));
    expect(text).toContain('Area2.GD201.Concentration');
    expect(text).toContain('ВЕРХНИЙ АВАРИЙНЫЙ');
    expect(text).toMatch(/^Новая сигнализация/);
    expect(announcementOf(r, 'Ammonia gas high high', tr(zh))).toContain('高高');
  });

  it('names priorities from the catalog, not the station config', () => {
    expect(priorityName(1, tr(ru))).toBe('Критический');
    expect(priorityName(4, tr(zh))).toBe('低');
    expect(priorityName(7, tr(ru))).toBe('');
  });
});
