/** An endpoint's ServiceLevel as the server chip shows it: a level the server gave none usable is unknown, not healthy, not left out. */
import { describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { endpointLevel, partnerParams } from './endpoint-level.js';

const line = (locale: 'en' | 'ru' | 'zh', e: { reachable: boolean | null; serviceLevel: number | null }) =>
  new Translator(locale).t('server.endpointState', { url: 'opc.tcp://b:4840', state: 'reachable', level: endpointLevel(e) });

describe('an endpoint\'s ServiceLevel in the server chip', () => {
  it('says unknown for an endpoint that answers without a usable level, in each language', () => {
    expect(line('en', { reachable: true, serviceLevel: null })).toBe('opc.tcp://b:4840: standby, ServiceLevel unknown');
    expect(line('ru', { reachable: true, serviceLevel: null })).toBe('opc.tcp://b:4840: резерв, ServiceLevel неизвестен');
    expect(line('zh', { reachable: true, serviceLevel: null })).toBe('opc.tcp://b:4840：备用，ServiceLevel 未知');
  });

  it('gives the level read, and none for an endpoint not read', () => {
    expect(line('en', { reachable: true, serviceLevel: 200 })).toBe('opc.tcp://b:4840: standby, ServiceLevel 200');
    expect(line('en', { reachable: false, serviceLevel: null })).toBe('opc.tcp://b:4840: standby');
    expect(endpointLevel({ reachable: null, serviceLevel: null })).toBe('none');
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
