import { describe, expect, it } from 'vitest';
import type { CertificateInfo } from '../../../shared/api.js';
import { Translator } from '../../../shared/i18n/index.js';
import { daysLeft, replacedBy } from './certificate-replaces.js';

const cert = (thumbprint: string, state: CertificateInfo['state'], applicationUri: string | null, validTo: number): CertificateInfo => ({
  thumbprint, state, file: `${thumbprint}.pem`, subject: 'plc', issuer: 'plc', applicationUri, validFrom: 0, validTo, refusedFor: null, inUseBy: [],
});

describe('a refused certificate of an application already trusted', () => {
  const old = cert('aa', 'trusted', 'urn:plant:plc', 1000);
  const older = cert('bb', 'trusted', 'urn:plant:plc', 500);
  const other = cert('cc', 'trusted', 'urn:plant:other', 9000);
  const renewed = cert('dd', 'rejected', 'urn:plant:plc', 2000);

  it('names the trusted certificate of the same application URI, the latest to expire', () => {
    expect(replacedBy(renewed, [other, older, renewed, old])).toBe(old);
  });

  it('names none for a stranger, a certificate without URI, or a trusted one', () => {
    expect(replacedBy(cert('ee', 'rejected', 'urn:plant:new', 1), [old, other])).toBeNull();
    expect(replacedBy(cert('ff', 'rejected', null, 1), [cert('gg', 'trusted', null, 1)])).toBeNull();
    expect(replacedBy(old, [old, older, renewed])).toBeNull();
  });

  it('is worded in every language with the trusted certificate\'s URI and thumbprint', () => {
    for (const locale of ['en', 'ru', 'zh'] as const) {
      const text = new Translator(locale).t('cert.replaces', { uri: 'urn:plant:plc', thumbprint: 'AA:BB', from: 'F', to: 'T' });
      expect(text).toContain('urn:plant:plc');
      expect(text).toContain('AA:BB');
      expect(text).not.toContain('cert.replaces');
    }
  });
});

describe('a trusted certificate that ends soon', () => {
  const now = Date.UTC(2026, 11, 6, 12);
  const day = 86_400_000;

  it('counts the whole days left within 30 days, trusted ones only', () => {
    expect(daysLeft(cert('aa', 'trusted', 'urn:a', now + 10 * day + 5000), now)).toBe(10);
    expect(daysLeft(cert('aa', 'trusted', 'urn:a', now + 3600_000), now)).toBe(0);
    expect(daysLeft(cert('aa', 'trusted', 'urn:a', now - day), now)).toBe(0);
    expect(daysLeft(cert('aa', 'trusted', 'urn:a', now + 31 * day), now)).toBeNull();
    expect(daysLeft(cert('aa', 'rejected', 'urn:a', now + day), now)).toBeNull();
  });

  it('is worded with the count in every language', () => {
    expect(new Translator('en').t('cert.endsSoon', { days: 3 })).toMatch(/^ends in 3 days/);
    expect(new Translator('en').t('cert.endsSoon', { days: 0 })).toMatch(/^ends today/);
    expect(new Translator('ru').t('cert.endsSoon', { days: 3 })).toMatch(/^истекает через 3 дня/);
    expect(new Translator('zh').t('cert.endsSoon', { days: 3 })).toMatch(/^3 天后到期/);
  });
});
