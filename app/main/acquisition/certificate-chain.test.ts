/**
 * A server certificate issued under a site root through an intermediate CA (made with openssl):
 * node-opcua's CertificateManager (through StationPki) refuses each broken chain with one status,
 * and chainProblem names the CA at fault and what to do. Before, the refusal said "trust it under
 * Tags → Certificates" for a revoked certificate (not even listed there), a revoked or expired CA
 * (BadSecurityChecksFailed / BadCertificateIssuerTimeInvalid), a missing CA, and named the server's
 * own CA for the root's missing CRL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertPEMtoDER, makeSHA1Thumbprint, split_der } from 'node-opcua-crypto';
import { StationPki } from './pki.js';
import { chainProblem } from './certificate-chain.js';
import { makeTestCa, type TestCa } from './certificate-test-ca.js';

const endpoint = 'opc.tcp://127.0.0.1:4840';

describe('a server certificate\'s chain through an intermediate CA', () => {
  let dir: string;
  let ca: TestCa;
  let run = 0;
  const crl: Record<string, string> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-chain-'));
    ca = makeTestCa(dir);
    ca.root('root', 'Site Root');
    ca.issue('int', 'Site Intermediate', 'root');
    ca.issue('plc', 'PLC 1', 'int', { uri: 'urn:site:plc1' });
    ca.issue('plc2', 'PLC 2', 'int', { uri: 'urn:site:plc2' });
    ca.issue('old', 'Old Intermediate', 'root', { dates: { start: '20200101000000Z', end: '20210101000000Z' } });
    ca.issue('plc3', 'PLC 3', 'old', { uri: 'urn:site:plc3', dates: { start: '20200601000000Z', end: '20300101000000Z' } });
    crl.root = ca.crl('root', 'root.crl');
    crl.int = ca.crl('int', 'int.crl');
    ca.revoke('plc2', 'int');
    crl.intRevokedPlc2 = ca.crl('int', 'int-revoked.crl');
    ca.revoke('int', 'root');
    crl.rootRevokedInt = ca.crl('root', 'root-revoked.crl');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const der = (name: string) => convertPEMtoDER(readFileSync(ca.file(name), 'utf8'));

  /** A fresh PKI with these files (path under pki/ -> source), the certificate checked by node-opcua, then explained. */
  async function judge(files: Record<string, string>, certificate: Buffer) {
    const root = join(dir, `pki-${++run}`);
    for (const [to, from] of Object.entries(files)) {
      mkdirSync(join(root, to, '..'), { recursive: true });
      copyFileSync(from, join(root, to));
    }
    const pki = new StationPki(root);
    try {
      const { good, status } = await pki.check(certificate);
      const thumbprint = makeSHA1Thumbprint(split_der(certificate)[0]!).toString('hex');
      return { good, status, root, problem: chainProblem(root, certificate, status, { thumbprint, endpoint }) };
    } finally {
      await pki.dispose();
    }
  }

  const whole = () => ({
    'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': crl.root!,
    'trusted/certs/int.pem': ca.file('int'), 'trusted/crl/int.crl': crl.int!,
  });

  it('accepts the chain with both CAs trusted and their CRLs: nothing to explain', async () => {
    const r = await judge(whole(), der('plc'));
    expect(r).toMatchObject({ good: true, status: 'Good' });
  });

  it('a certificate its CA revoked: named so, with the CRL, not "trust it"', async () => {
    const r = await judge({ ...whole(), 'trusted/crl/int.crl': crl.intRevokedPlc2! }, der('plc2'));
    expect(r.status).toBe('BadCertificateRevoked');
    expect(r.problem?.worded).toMatchObject({ key: 'acquisition.error.certificateRevoked', params: { issuer: 'Site Intermediate', crl: join(r.root, 'trusted', 'crl', 'int.crl') } });
    expect(r.problem?.text).toContain('revoked');
    expect(r.problem?.text).not.toContain('Tags → Certificates');
  });

  it('an intermediate CA its root revoked: node-opcua says BadSecurityChecksFailed; the CA and its revoker are named', async () => {
    const r = await judge({ ...whole(), 'trusted/crl/root.crl': crl.rootRevokedInt! }, der('plc'));
    expect(r.status).toBe('BadSecurityChecksFailed');
    expect(r.problem?.worded).toMatchObject({ key: 'acquisition.error.issuerRevoked', params: { ca: 'Site Intermediate', issuer: 'Site Root', status: r.status } });
  });

  it('an intermediate CA that expired: named with its end', async () => {
    const r = await judge({
      'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': crl.root!, 'trusted/certs/old.pem': ca.file('old'), 'trusted/crl/old.crl': ca.crl('old', 'old.crl'),
    }, der('plc3'));
    expect(r.status).toBe('BadCertificateIssuerTimeInvalid');
    expect(r.problem?.worded).toMatchObject({ key: 'acquisition.error.issuerTimeInvalid', params: { ca: 'Old Intermediate', validTo: '2021-01-01T00:00:00.000Z', expired: 'yes' } });
  });

  it('the intermediate CA missing from the PKI (the server sends its certificate alone): the missing CA is named', async () => {
    const r = await judge({ 'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': crl.root! }, der('plc'));
    expect(r.status).toBe('BadCertificateChainIncomplete');
    expect(r.problem?.worded).toMatchObject({ key: 'acquisition.error.chainIncomplete', params: { ca: 'Site Intermediate', direct: 'yes' } });
  });

  it('the root\'s CRL missing: the root is named, not the server\'s own CA (whose CRL is there)', async () => {
    const r = await judge({ 'trusted/certs/root.pem': ca.file('root'), 'trusted/certs/int.pem': ca.file('int'), 'trusted/crl/int.crl': crl.int! }, der('plc'));
    expect(r.status).toBe('BadCertificateIssuerRevocationUnknown');
    expect(r.problem?.worded).toMatchObject({ key: 'acquisition.error.crlMissing', params: { issuer: 'Site Root' } });
  });

  it('the intermediate among the issuers, the root trusted: refused as untrusted; says to trust the intermediate (node-opcua trusts through the direct CA only)', async () => {
    const files = {
      'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': crl.root!, 'issuers/certs/int.pem': ca.file('int'), 'issuers/crl/int.crl': crl.int!,
    };
    const r = await judge(files, der('plc'));
    expect(r.status).toBe('BadCertificateUntrusted');
    expect(r.problem?.worded).toMatchObject({ key: 'acquisition.error.issuerNotTrusted', params: { ca: 'Site Intermediate', root: 'Site Root' } });
    // The chain the server sends (leaf + intermediate) is read the same way.
    const sent = await judge({ 'trusted/certs/root.pem': ca.file('root'), 'trusted/crl/root.crl': crl.root!, 'issuers/crl/int.crl': crl.int! }, Buffer.concat([der('plc'), der('int')]));
    expect(sent.status).toBe('BadCertificateUntrusted');
    expect(sent.problem?.worded.key).toBe('acquisition.error.issuerNotTrusted');
    // What the words promise: the intermediate put in trusted/ with its CRL, the same certificate is accepted.
    const after = await judge({ ...files, 'trusted/certs/int.pem': ca.file('int'), 'trusted/crl/int.crl': crl.int! }, der('plc'));
    expect(after.good).toBe(true);
    // Or this one certificate trusted (what Trust under Tags → Certificates does).
    const one = await judge({ ...files, 'trusted/certs/plc.pem': ca.file('plc') }, der('plc'));
    expect(one.good).toBe(true);
  });

  it('an unknown self-signed certificate, or one whose own CA is only among the issuers, has no chain fault to name', async () => {
    const r = await judge({ 'issuers/certs/root.pem': ca.file('root'), 'issuers/crl/root.crl': crl.root! }, der('root'));
    expect(r.status).toBe('BadCertificateUntrusted');
    expect(r.problem).toBeNull();
    const viaIssuers = await judge({ 'issuers/certs/root.pem': ca.file('root'), 'issuers/crl/root.crl': crl.root!, 'issuers/certs/int.pem': ca.file('int'), 'issuers/crl/int.crl': crl.int! }, der('plc'));
    expect(viaIssuers.status).toBe('BadCertificateUntrusted');
    expect(viaIssuers.problem).toBeNull();
  });
});
