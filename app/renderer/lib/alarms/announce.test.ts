import { describe, expect, it } from 'vitest';
import { Translator } from '../../../shared/i18n/index.js';
import { AnnunciationWatch, announcementOf, priorityName, spokenRow } from './announce.js';
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
    expect(text).toContain('верхний аварийный');
    expect(text).toMatch(/^Новая сигнализация/);
    expect(announcementOf(r, 'Ammonia gas high high', tr(zh))).toContain('高高');
  });

  it('says the condition in words, not the columns\' abbreviation ("НЕДОСТОВ.." read out before)', () => {
    const bad = row({ id: 'Area2.TK203.Level/bad', tag: 'Area2.TK203.Level', priority: 2, condition: 'BAD' });
    expect(announcementOf(bad, 'Уровень TK203 недостоверен', tr(ru))).toBe('Новая сигнализация, P2 Высокий: Area2.TK203.Level, недостоверное значение. Уровень TK203 недостоверен');
    expect(announcementOf(bad, 'TK203 level bad', tr(new Translator('en')))).toBe('New alarm, P2 High: Area2.TK203.Level, bad value. TK203 level bad');
  });

  it('names priorities from the catalog, not the station config', () => {
    expect(priorityName(1, tr(ru))).toBe('Критический');
    expect(priorityName(4, tr(zh))).toBe('低');
    expect(priorityName(7, tr(ru))).toBe('');
  });
});

describe('a row as a screen reader names it', () => {
  const en = new Translator('en');
  const shown = { message: 'TK201 level high', value: '10.3 m', time: '10:05' };

  it('one sentence: priority, tag, condition and value, message, state written out, time; in en, ru and zh', () => {
    const b = row({ id: 'Area2.TK201.Level/limit', priority: 2, condition: 'H' });
    expect(spokenRow(b, shown, tr(en))).toBe('P2 High: Area2.TK201.Level, high, 10.3 m. TK201 level high. unacknowledged, 10:05');
    expect(spokenRow(b, { ...shown, message: 'Уровень TK201 высокий', value: '10,3 м' }, tr(ru)))
      .toBe('P2 Высокий: Area2.TK201.Level, верхний, 10,3 м. Уровень TK201 высокий. не квитирована, 10:05');
    expect(spokenRow(b, { ...shown, message: 'TK201 液位高', value: '10.3 m' }, tr(zh))).toBe('P2 高：Area2.TK201.Level，高，10.3 m。TK201 液位高。未确认，10:05');
  });

  it('every state word written out; no value and no time left out, not read as a dash', () => {
    const d = row({ id: 'Area2.TK201.Level/limit', state: 'D', suspect: true });
    expect(spokenRow(d, { message: 'High level', value: '—', time: '' }, tr(en))).toBe('P2 High: Area2.TK201.Level, high. High level. returned to normal, unacknowledged, suspect');
    expect(spokenRow(d, { message: 'High level', value: '—', time: '' }, tr(ru))).toBe('P2 Высокий: Area2.TK201.Level, верхний. High level. возврат в норму, не квитирована, сомнительное значение');
    const gone = row({ id: 'server/sim/x', source: 'server', kind: 'server', condition: 'SERVER', tag: null, state: 'D', text: { key: 'alarms.server.gone', params: { message: 'ESD', server: 'sim' } } });
    expect(spokenRow(gone, { message: 'ESD (no longer reported by server sim)', value: '—', time: '09:00' }, tr(zh)))
      .toBe('P2 高：sim，服务器报警。ESD (no longer reported by server sim)。已恢复，未确认，服务器已撤销，09:00');
  });
});
