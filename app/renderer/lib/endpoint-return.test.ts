/** An endpoint in maintenance that gives its EstimatedReturnTime: the server chip says when it expects to be back, in each language. */
import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { endpointReturnLine } from './endpoint-return.js';

// 2026-12-07 05:30:00 UTC: 13:30 in Shanghai (UTC+8), 08:30 in Moscow (UTC+3).
const back = Date.UTC(2026, 11, 7, 5, 30, 0);
const line = (locale: 'en' | 'ru' | 'zh', zone: string, estimatedReturn: number | null) => {
  const tr = new Translator(locale);
  return endpointReturnLine({ url: 'opc.tcp://a:4840', estimatedReturn }, (k, p) => tr.t(k, p), new Formats(locale, zone));
};

describe('an endpoint\'s EstimatedReturnTime in the server chip', () => {
  it('gives the time in the station\'s zone, with its offset', () => {
    expect(line('en', 'UTC', back)).toBe('opc.tcp://a:4840: in maintenance, expected back at 2026-12-07 05:30:00 UTC+00:00');
    expect(line('ru', 'Europe/Moscow', back)).toBe('opc.tcp://a:4840: на техобслуживании, ожидаемое время возврата в работу: 07.12.2026, 08:30:00 UTC+03:00');
    expect(line('zh', 'Asia/Shanghai', back)).toBe('opc.tcp://a:4840：维护中，预计恢复时间为2026/12/07 13:30:00 UTC+08:00');
  });

  it('says nothing when the server gives none', () => {
    expect(line('en', 'UTC', null)).toBe('');
  });
});
