/**
 * The Audit page's words for a weak TLS certificate found at start and for a password changed by its
 * user at a shell, in Russian and Chinese; English shows the station's text as stored.
 */
import { describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { CHANGED_AT_SHELL } from '../../main/accounts/cli/change-password.js';
import { auditDetail } from './audit-detail.js';

const tr = (locale: 'en' | 'ru' | 'zh') => {
  const t = new Translator(locale);
  return t.t.bind(t);
};

// As app/main/api/served-certificate.ts writes it.
const WEAK = 'TLS certificate /etc/vigil/station7.crt served to browsers: RSA key of 1024 bits (2048 or more expected); signed with SHA-1; expires on 2026-12-16T00:48:52.000Z, in 9 days';
const DATES = 'TLS certificate /etc/vigil/old.crt served to browsers: expired on 2026-11-01T00:00:00.000Z';
const EARLY = 'TLS certificate /etc/vigil/new.crt served to browsers: not valid before 2027-01-01T00:00:00.000Z; expires on 2027-01-02T00:00:00.000Z, in 1 day';

describe('security warnings on the Audit page', () => {
  it('says a weak TLS certificate, each reason, in Russian and Chinese', () => {
    expect(auditDetail(WEAK, tr('ru'), 'ru')).toBe(
      'НЕНАДЁЖНЫЙ СЕРТИФИКАТ TLS /etc/vigil/station7.crt, с которым станция отвечает браузерам: ключ RSA длиной 1024 бит (нужно не менее 2048); ' +
        'подписан с хешем SHA-1; срок действия истекает 2026-12-16T00:48:52.000Z, через 9 дней. Замените его (--tls-cert FILE).',
    );
    expect(auditDetail(WEAK, tr('zh'), 'zh')).toBe(
      '不安全的 TLS 证书 /etc/vigil/station7.crt（站点向浏览器提供）：RSA 密钥仅 1024位（至少应为 2048位）；使用 SHA-1 签名；将于 2026-12-16T00:48:52.000Z 过期（9天后）。请更换（--tls-cert FILE）。',
    );
    expect(auditDetail(DATES, tr('ru'), 'ru')).toContain('срок действия истёк 2026-11-01T00:00:00.000Z');
    expect(auditDetail(EARLY, tr('ru'), 'ru')).toContain('действителен только с 2027-01-01T00:00:00.000Z; срок действия истекает 2027-01-02T00:00:00.000Z, через 1 день.');
    expect(auditDetail(EARLY, tr('zh'), 'zh')).toContain('在 2027-01-01T00:00:00.000Z 之前无效');
    // English: the station's words, as stored; the catalog's English says the same reasons.
    expect(auditDetail(WEAK, tr('en'), 'en')).toBe(WEAK);
    expect(auditDetail(WEAK, tr('en'), '')).toBe(
      'WEAK TLS CERTIFICATE /etc/vigil/station7.crt served to browsers: RSA key of 1024 bits (2048 or more expected); signed with SHA-1; expires on 2026-12-16T00:48:52.000Z, in 9 days. Replace it (--tls-cert FILE).',
    );
  });

  it('says a password changed by its user at a shell', () => {
    expect(auditDetail(CHANGED_AT_SHELL, tr('ru'), 'ru')).toBe('пользователь сменил свой пароль из командной строки; все сеансы учётной записи завершаются');
    expect(auditDetail(CHANGED_AT_SHELL, tr('zh'), 'zh')).toBe('用户在命令行中设置了新密码；该账户的所有会话都将结束');
    expect(auditDetail(CHANGED_AT_SHELL, tr('en'), '')).toBe(CHANGED_AT_SHELL);
  });
});
