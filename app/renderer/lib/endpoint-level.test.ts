/** An endpoint's ServiceLevel as the server chip shows it: a level the server gave none usable is unknown, not healthy, not left out; maintenance said as such. */
import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { endpointLevel, endpointStateParams, partnerParams } from './endpoint-level.js';

type Endpoint = Parameters<typeof endpointStateParams>[0];
const line = (locale: 'en' | 'ru' | 'zh', e: Partial<Endpoint>, zone = 'UTC') =>
  new Translator(locale).t('server.endpointState', endpointStateParams(
    { url: 'opc.tcp://b:4840', active: false, reachable: true, serviceLevel: null, estimatedReturn: null, ...e }, new Formats(locale, zone)));
// 2026-12-07 05:30:00 UTC: 13:30 in Shanghai (UTC+8), 08:30 in Moscow (UTC+3).
const back = Date.UTC(2026, 11, 7, 5, 30, 0);

describe('an endpoint\'s ServiceLevel in the server chip', () => {
  it('says unknown for an endpoint that answers without a usable level, in each language', () => {
    expect(line('en', { reachable: true, serviceLevel: null })).toBe('opc.tcp://b:4840: standby, ServiceLevel unknown');
    expect(line('ru', { reachable: true, serviceLevel: null })).toBe('opc.tcp://b:4840: резерв, ServiceLevel неизвестен');
    expect(line('zh', { reachable: true, serviceLevel: null })).toBe('opc.tcp://b:4840：备用，ServiceLevel 未知');
  });

  it('gives the level read, and none for an endpoint not read', () => {
    expect(line('en', { reachable: true, serviceLevel: 200 })).toBe('opc.tcp://b:4840: standby, ServiceLevel 200');
    expect(line('en', { reachable: false, serviceLevel: null })).toBe('opc.tcp://b:4840: unreachable');
    expect(line('en', { active: true, serviceLevel: 255 })).toBe('opc.tcp://b:4840: in use, ServiceLevel 255');
    expect(endpointLevel({ reachable: null, serviceLevel: null })).toBe('none');
  });

  it('says a standby at ServiceLevel 0 is in maintenance, and when it expects to be back in the station\'s zone, in each language', () => {
    expect(line('en', { serviceLevel: 0 })).toBe('opc.tcp://b:4840: in maintenance, ServiceLevel 0');
    expect(line('en', { serviceLevel: 0, estimatedReturn: back })).toBe('opc.tcp://b:4840: in maintenance, ServiceLevel 0, expected back at 2026-12-07 05:30:00 UTC+00:00');
    expect(line('ru', { serviceLevel: 0, estimatedReturn: back }, 'Europe/Moscow'))
      .toBe('opc.tcp://b:4840: на техобслуживании, ServiceLevel 0, ожидаемое время возврата в работу: 07.12.2026, 08:30:00 UTC+03:00');
    expect(line('zh', { serviceLevel: 0, estimatedReturn: back }, 'Asia/Shanghai')).toBe('opc.tcp://b:4840：维护中，ServiceLevel 0，预计恢复时间为2026/12/07 13:30:00 UTC+08:00');
  });

  it('says a standby at ServiceLevel 1 has no data', () => {
    expect(line('en', { serviceLevel: 1 })).toBe('opc.tcp://b:4840: no data, ServiceLevel 1');
    expect(line('ru', { serviceLevel: 1 })).toBe('opc.tcp://b:4840: нет данных, ServiceLevel 1');
    expect(line('zh', { serviceLevel: 1 })).toBe('opc.tcp://b:4840：无数据，ServiceLevel 1');
  });

  it('names a redundant partner the server gives that is not configured, with its endpoints when found', () => {
    const en = new Translator('en');
    const partner = (endpoints: string[], tr = en) => partnerParams({ uri: 'urn:plant:sis-c', endpoints }, (k, p) => tr.t(k, p));
    expect(new Translator('en').t('server.partnerNotConfigured', partner([])))
      .toBe('The server names urn:plant:sis-c as a redundant partner, not configured here: no failover to it');
    expect(new Translator('en').t('server.partnerNotConfigured', partner(['opc.tcp://c:4840', 'opc.tcp://c2:4840'])))
      .toBe('The server names urn:plant:sis-c as a redundant partner, not configured here: no failover to it (its endpoints: opc.tcp://c:4840, opc.tcp://c2:4840)');
    // Listed as Chinese lists things (、), not with an English comma.
    const zh = new Translator('zh');
    expect(zh.t('server.partnerNotConfigured', partner(['opc.tcp://c:4840', 'opc.tcp://c2:4840'], zh)))
      .toBe('服务器列出的冗余伙伴 urn:plant:sis-c 未在此配置：无法切换到它（其端点：opc.tcp://c:4840、opc.tcp://c2:4840）');
    expect(new Translator('ru').t('server.partnerNotConfigured', partner(['opc.tcp://c:4840'])))
      .toBe('Сервер указывает резервного партнёра urn:plant:sis-c, который здесь не настроен: переключение на него невозможно (его точки подключения: opc.tcp://c:4840)');
    expect(new Translator('zh').t('server.partnerNotConfigured', partner([])))
      .toBe('服务器列出的冗余伙伴 urn:plant:sis-c 未在此配置：无法切换到它');
  });
});
