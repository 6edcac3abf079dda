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

  const refusedFor = (c: CertificateInfo, server: string, endpoint = `opc.tcp://${server}:4840`): CertificateInfo => ({ ...c, refusedFor: { server, endpoint, at: 1 } });
  const usedBy = (c: CertificateInfo, server: string, endpoint = `opc.tcp://${server}:4840`): CertificateInfo => ({ ...c, inUseBy: [{ server, endpoint }] });

  it('names the certificate the same server presented before at that endpoint, whatever its application URI', () => {
    const before = usedBy(cert('a1', 'trusted', 'urn:old-host:plc', 1000), 'plc');
    const reinstalled = refusedFor(cert('a2', 'rejected', 'urn:new-host:plc', 2000), 'plc');
    expect(replacedBy(reinstalled, [before, other, reinstalled])).toBe(before);
    // Another endpoint of the server (a standby) has a certificate of its own.
    expect(replacedBy(refusedFor(reinstalled, 'plc', 'opc.tcp://standby:4840'), [before, reinstalled])).toBeNull();
  });

  it('names none when the trusted certificate of that application URI is another server\'s', () => {
    const a = usedBy(cert('b1', 'trusted', 'urn:vendor:default', 1000), 'plc-a');
    const b = refusedFor(cert('b2', 'rejected', 'urn:vendor:default', 2000), 'plc-b');
    expect(replacedBy(b, [a, b])).toBeNull();
    // Not seen this run: the application URI is all there is to go by.
    expect(replacedBy(b, [{ ...a, inUseBy: [] }, b])).toMatchObject({ thumbprint: 'b1' });
  });

  it('is worded in every language with the trusted certificate\'s URI and thumbprint', () => {
    for (const locale of ['en', 'ru', 'zh'] as const) {
      const text = new Translator(locale).t('cert.replaces', { uri: 'urn:plant:plc', thumbprint: 'AA:BB', from: 'F', to: 'T' });
      expect(text).toContain('urn:plant:plc');
      expect(text).toContain('AA:BB');
      expect(text).not.toContain('cert.replaces');
      const byServer = new Translator(locale).t('cert.replacesServer', { server: 'plc', thumbprint: 'AA:BB', from: 'F', to: 'T' });
      expect(byServer).toContain('plc');
      expect(byServer).toContain('AA:BB');
      expect(byServer).not.toContain('cert.replacesServer');
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
    expect(new Translator('zh').t('cert.endsSoon', { days: 3 })).toMatch(/^3天后到期/);
  });
});
