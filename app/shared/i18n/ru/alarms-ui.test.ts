import { describe, expect, it } from 'vitest';
import { Translator } from '../index.js';

const ru = new Translator('ru');

describe('Russian alarm notices agree with their count', () => {
  it('the horn-silence notice: one (1, 21, 31) alarm stays "неквитированной", more stay "неквитированными"', () => {
    for (const n of [1, 21, 31, 101]) expect(ru.t('alarmsUi.done.silence', { count: n })).toBe(`Сирена выключена — ${n} сигнализация остаётся неквитированной.`);
    for (const n of [2, 4, 22]) expect(ru.t('alarmsUi.done.silence', { count: n })).toBe(`Сирена выключена — ${n} сигнализации остаются неквитированными.`);
    for (const n of [5, 11, 12, 25]) expect(ru.t('alarmsUi.done.silence', { count: n })).toBe(`Сирена выключена — ${n} сигнализаций остаются неквитированными.`);
  });

  it('the other counted notices', () => {
    expect(ru.t('alarmsUi.done.ack', { count: 21, names: 'A' })).toBe('Квитирована 21 сигнализация: A');
    expect(ru.t('alarmsUi.done.ack', { count: 3, names: 'A' })).toBe('Квитированы 3 сигнализации: A');
    expect(ru.t('alarmsUi.done.ack', { count: 11, names: 'A' })).toBe('Квитировано 11 сигнализаций: A');
    expect(ru.t('alarmsUi.announce.more', { count: 21 })).toBe('Ещё 21 новая сигнализация');
    expect(ru.t('alarmsUi.announce.more', { count: 3 })).toBe('Ещё 3 новые сигнализации');
    expect(ru.t('alarmsUi.announce.more', { count: 12 })).toBe('Ещё 12 новых сигнализаций');
    expect(ru.t('alarmsUi.announce.more', { count: 1.5 })).toBe('Ещё 1,5 новой сигнализации');
  });
});
