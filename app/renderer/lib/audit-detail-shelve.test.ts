/**
 * The audit page's detail of a shelve made at a condition's OPC UA server, and of the server's refusals
 * of one (app/main/alarms/handlers.ts, conditions/client.ts), in the console's language: the station's
 * English stood in the Russian and Chinese pages. Expected words written by hand.
 */
import { describe, expect, it } from 'vitest';
import { Translator, type Locale } from '../../shared/i18n/index.js';
import { auditDetail } from './audit-detail.js';

const say = (detail: string, locale: Locale) => {
  const tr = new Translator(locale);
  return auditDetail(detail, tr.t.bind(tr), locale);
};
const id = 'server/srv/nsu=urn:plant;s=Tank.HighAlarm';

describe('the audit detail of a shelve at a server', () => {
  it('says where it was made', () => {
    expect(say('at server srv (OPC UA)', 'ru')).toBe('На сервере srv');
    expect(say('at server srv (OPC UA)', 'zh')).toBe('在服务器 srv 上');
    expect(say('at server srv (OPC UA)', 'en')).toBe('at server srv (OPC UA)');
  });

  it('says the server\'s refusals in the operator\'s words', () => {
    expect(say(`${id}: server srv refused the shelving time: at most 3600000 ms`, 'ru'))
      .toBe(`Сервер srv позволяет отложить ${id} не более чем на 60 минут: ничего не отложено. Выберите время короче.`);
    expect(say(`${id}: server srv refused the shelving time`, 'zh')).toBe(`服务器 srv 拒绝了 ${id} 的搁置时间：未搁置。请选择更短的时间。`);
    expect(say(`${id}: server srv has it shelved already`, 'zh')).toBe(`服务器 srv 上的 ${id} 已被搁置（由其自身操作员或其他客户端）：未做任何更改。`);
    expect(say(`${id}: server srv does not let the station's OPC UA user shelve it`, 'ru')).toMatch(/^Сервер srv не разрешает станции откладывать /);
    expect(say(`${id}: server srv has no shelving for the condition (no ShelvingState)`, 'ru')).toBe(`Сервер srv не поддерживает откладывание ${id}: отложить её отсюда нельзя. Отложите её на собственном экране сигнализаций этого сервера.`);
  });
});
