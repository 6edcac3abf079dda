/**
 * An upstream's alarm says its cause in the console's language: a backlog's count grouped the
 * locale's way and its age in the locale's words, a secret that cannot be read named in Russian and
 * Chinese, as the Sync page and the alarm banner render them (app/renderer/lib/sync-text.ts). The
 * English stays as the log and the CLI say it. Expected sentences are written out here.
 */
import { describe, expect, it } from 'vitest';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { syncText } from '../../renderer/lib/sync-text.js';
import type { Lang } from '../../renderer/lib/value-view.js';
import { alarmOf, type UpstreamStatus } from './status.js';
import { CredentialError, resolveSecret } from './upstream/credentials.js';

function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}

/** The error a lookup fails with; a lookup that succeeds fails the test. */
async function refusal(lookup: Promise<string>): Promise<CredentialError> {
  const err = await lookup.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CredentialError);
  return err as CredentialError;
}

const NOW = Date.UTC(2026, 11, 6, 9, 0);
const NBSP = '\u00a0';

function status(over: Partial<Omit<UpstreamStatus, 'alarm'>>): Omit<UpstreamStatus, 'alarm'> {
  return {
    id: 'region', url: 'http://127.0.0.1:8086', flavour: 'influxdb1', state: 'retrying', connected: false,
    lastSuccessAt: null, lastAttemptAt: NOW, lastError: null, paused: null, sentLines: 0, resentLines: 0, restarts: 0, restartCheck: null,
    backlog: { records: 0, oldestWrittenAt: null, streams: [] }, quarantined: 0, replaysPending: 0,
    ...over,
  };
}

describe('a sync alarm in the console language', () => {
  it('a backlog: its count grouped and its age in minutes, with the error the sends meet', () => {
    const a = alarmOf(status({
      backlog: { records: 17306, oldestWrittenAt: NOW - 20 * 60_000, streams: [] },
      lastError: { at: NOW - 1000, message: 'HTTP 502: bad gateway' },
    }), 15 * 60_000, NOW)!;
    expect(a.kind).toBe('backlog');
    // The log's English, as before.
    expect(a.message).toBe('17306 records wait, the oldest for 20 min (last error: HTTP 502: bad gateway)');
    expect(syncText(a.said!, lang('ru'))).toBe(`ждут 17${NBSP}306 записей, старейшая 20 мин (последняя ошибка: HTTP 502: bad gateway)`);
    expect(syncText(a.said!, lang('zh'))).toBe('17,306条待发送，最早的已等待 20分钟（最近错误：HTTP 502: bad gateway）');
    expect(syncText(a.said!, lang('en'))).toBe('17,306 records wait, the oldest for 20 min (last error: HTTP 502: bad gateway)');
  });

  it('a backlog of one record, with no error now', () => {
    const a = alarmOf(status({ backlog: { records: 1, oldestWrittenAt: NOW - 90 * 60_000, streams: [] } }), 15 * 60_000, NOW)!;
    expect(syncText(a.said!, lang('ru'))).toBe('ждёт 1 запись, старейшая 90 мин');
    expect(syncText(a.said!, lang('en'))).toBe('1 record waits, the oldest for 90 min');
  });

  it('a secret not set: named in the console language, the English unchanged for the log', async () => {
    const { message, said } = await refusal(resolveSecret('badurl', { env: 'VIGIL_NOPE_SECRET' }, {}));
    expect(message).toBe("upstream badurl: environment variable VIGIL_NOPE_SECRET is not set (it holds the upstream's secret)");
    const a = alarmOf(status({ state: 'error', lastError: { at: NOW, message, said } }), 15 * 60_000, NOW)!;
    expect(a).toMatchObject({ kind: 'credentials', message });
    expect(syncText(a.said!, lang('ru'))).toBe('сервер badurl: не задана переменная окружения VIGIL_NOPE_SECRET (в ней секрет для этого сервера)');
    expect(syncText(a.said!, lang('zh'))).toBe('上级服务器 badurl：未设置环境变量 VIGIL_NOPE_SECRET（其中存放该上级服务器的密钥）');
  });

  it('a keychain entry missing or unreadable: named in the console language', async () => {
    const missing = await refusal(resolveSecret('region', { keychain: { service: 'vigil', account: 'a' } }, {}, async () => null));
    expect(missing.message).toBe('upstream region: OS keychain has no entry vigil/a');
    expect(syncText(missing.said, lang('ru'))).toBe('сервер region: в хранилище паролей ОС нет записи vigil/a');
    const unreadable = await refusal(resolveSecret('region', { keychain: { service: 'vigil', account: 'a' } }, {}, async () => { throw new Error('dbus: no session'); }));
    expect(unreadable.message).toBe('upstream region: OS keychain entry vigil/a could not be read: dbus: no session');
    expect(syncText(unreadable.said, lang('zh'))).toBe('上级服务器 region：无法读取操作系统凭据库条目 vigil/a：dbus: no session');
  });
});
