/**
 * One session with one endpoint, secured as configured: the endpoint is
 * looked up first (GetEndpoints), its certificate checked against the
 * station's PKI before any secure channel is opened (an unknown certificate
 * is refused and listed, never accepted), the user identity offered only
 * where the endpoint accepts that kind of token. A password or a user
 * certificate goes only to a server whose certificate is trusted, with
 * message security None too (the token is encrypted to that certificate,
 * and a server that is not trusted may be anyone), and a password never in
 * clear unless the config says so. The result names the security actually
 * negotiated.
 *
 * Reconnection is not node-opcua's session repair: a lost session is thrown
 * away (onLost) and the link opens a fresh one, so a restarted server is no
 * different from a first connection.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  MessageSecurityMode, OPCUAClient, SecurityPolicy, UserTokenType, type ClientSession, type EndpointDescription,
  type UserIdentityInfo,
} from 'node-opcua-client';
import { convertPEMtoDER, exploreCertificate, keyOperationsFromPrivateKey, readPrivateKey } from 'node-opcua-crypto';
import type { ServerConfig } from '../../shared/config.js';
import type { MessageRef, NegotiatedSecurity } from '../../shared/api.js';
import type { Logger } from '../log.js';
import { thumbprintOf, type StationPki } from './pki.js';
import { chainProblem } from './certificate-chain.js';
import { FailedLevelError } from './failover.js';
import { NotRunningError } from './server-run-state.js';
import { readPassword } from './secrets.js';
import { credentialOf, IDENTITY_REFUSED, passwordCredential, secretSource } from './identity-retry.js';
import { causeOf, NeverPublishedError } from './error-cause.js';

export interface SessionTarget {
  server: ServerConfig;
  endpoint: string;
  pki: StationPki;
  /** Relative certificate paths of X.509 identities are taken from here. */
  dataDir: string;
  logger: Logger;
}

export interface OpenSession {
  endpoint: string;
  client: OPCUAClient;
  session: ClientSession;
  security: NegotiatedSecurity;
  /** Thumbprint of the certificate the server presented (null without security). */
  serverThumbprint: string | null;
  /** The URLs the server advertises when none has the configured host (otherHosts); else empty. */
  advertised: string[];
  close(): Promise<void>;
}

/**
 * The endpoint URL's path is none the server serves (opc.tcp://host:port/wrong/path): a server on
 * that port, but not the endpoint configured. node-opcua with endpointMustExist: false (kept so a
 * server that advertises another host name still connects) takes the first endpoint of the right
 * security whatever the path, and a node-opcua server accepts any path: without this check a wrong
 * path passed for a connection. The message names the URL asked for and those the server offers;
 * the console words it with `key` and `params` (app/shared/i18n/{en,ru,zh}/acquisition.ts).
 */
export class EndpointPathError extends Error {
  /** The console's words for it (server state lastErrorText). */
  readonly worded: MessageRef;
  constructor(readonly url: string, readonly offered: readonly string[]) {
    const list = offered.join(', ');
    super(`the server at ${url} has no endpoint at this path; it offers ${list}`);
    this.worded = { key: 'acquisition.error.endpointPath', params: { url, offered: list } };
  }
}

/** An opc.tcp URL's path, without trailing slashes, in lower case as node-opcua's matchUri compares URLs; null when it does not parse. */
function pathOf(url: string): string | null {
  try {
    return new URL(url).pathname.replace(/\/+$/, '').toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Throws EndpointPathError unless one of the server's endpoints (GetEndpoints) has the path of the
 * URL asked for. Only the path is compared: the host (and port) a server advertises may be names
 * the station does not use (NAT, DNS aliases, a port forwarded), which is no reason to refuse it.
 * Not refused either: a URL without a path (opc.tcp://host:port asks for whatever the server
 * serves at that port; many servers are addressed so), the server's discovery URL (its endpoint's
 * path + /discovery, Part 6 §7.6, as Ignition documents its own), and what cannot be judged: a
 * URL the WHATWG parser refuses (an IPv6 zone id), a server that lists no endpoint URL it parses.
 */
export function checkEndpointPath(asked: string, endpoints: readonly EndpointDescription[]): void {
  const urls = [...new Set(endpoints.map((e) => e.endpointUrl ?? '').filter((u) => u !== ''))];
  const path = pathOf(asked);
  if (path === null || path === '') return;
  const offered = urls.map(pathOf).filter((p) => p !== null);
  if (offered.length === 0) return;
  const discoveryOf = (p: string) => (p.endsWith('/discovery') ? p.slice(0, -'/discovery'.length) : null);
  if (offered.some((p) => p === path || p === discoveryOf(path))) return;
  throw new EndpointPathError(asked, urls);
}

/** The host and port of an opc.tcp URL in lower case (`plc-7f3a:4840`); null when it does not parse. */
function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.hostname.toLowerCase()}:${u.port || '4840'}`;
  } catch {
    return null;
  }
}

/**
 * The endpoint of the configured security to use among those GetEndpoints listed: the URL asked for,
 * else one at its path under another host (the server's own name for itself), else the first of that
 * security. A port may list several paths (a gateway, an SDK server hosting several servers), each
 * with its own certificate and user tokens: the first in the list was taken, whatever its path, so the
 * station checked (and encrypted to) another server's certificate and offered tokens it did not take.
 */
export function endpointFor(asked: string, endpoints: readonly EndpointDescription[], mode: MessageSecurityMode, policy: string): EndpointDescription | undefined {
  const secured = endpoints.filter((e) => e.securityMode === mode && e.securityPolicyUri === policy);
  const path = pathOf(asked);
  const samePath = (e: EndpointDescription) => {
    const p = pathOf(e.endpointUrl ?? '');
    return p !== null && path !== null && (p === path || `${p}/discovery` === path);
  };
  const exact = (e: EndpointDescription) => samePath(e) && hostOf(e.endpointUrl ?? '') === hostOf(asked);
  return secured.find(exact) ?? secured.find(samePath) ?? secured[0];
}

/**
 * The URLs a server advertises at the path asked for when none of them has the configured host and
 * port (a PLC's machine name the station's DNS does not know, an address behind NAT); empty when one
 * has. Connecting needs no more than the configured one; the engineer learns why a tool that follows
 * the server's own URLs (its redundancy partners, another client's discovery) does not reach it.
 */
export function otherHosts(asked: string, endpoints: readonly EndpointDescription[]): string[] {
  const host = hostOf(asked);
  const path = pathOf(asked);
  const urls = [...new Set(endpoints.map((e) => e.endpointUrl ?? '').filter((u) => u !== ''))];
  const atPath = path ? urls.filter((u) => pathOf(u) === path || `${pathOf(u)}/discovery` === path) : urls;
  const listed = atPath.length > 0 ? atPath : urls;
  if (host === null || listed.some((u) => hostOf(u) === host || hostOf(u) === null)) return [];
  return listed;
}

/**
 * The server has no endpoint with the configured security (a None station at a server offering
 * Sign/SignAndEncrypt only, as S7-1500 and KEPServerEX are set up in production; its unsecured
 * channel serves discovery alone). node-opcua said " End point must exist ... securityMode = None";
 * this names what the server offers, so the engineer sets one of them.
 */
export class SecurityNotOfferedError extends Error {
  readonly worded: MessageRef;
  constructor(endpoint: string, mode: MessageSecurityMode, policy: string, endpoints: readonly EndpointDescription[]) {
    const asked = `${MessageSecurityMode[mode]}/${policyName(policy)}`;
    const offered = [...new Set(endpoints.map((e) => `${MessageSecurityMode[e.securityMode]}/${policyName(e.securityPolicyUri ?? '')}`))].join(', ');
    super(`${endpoint} offers no endpoint with ${asked} (it offers ${offered || 'none'})`);
    this.worded = { key: 'acquisition.error.securityNotOffered', params: { endpoint, asked, offered: offered || 'none' } };
  }
}

/**
 * The server's certificate is not trusted: the connection was not attempted. What the engineer can
 * do depends on why: trusting helps an unknown certificate, not an expired one (the server needs a
 * new one) nor a CA whose CRL is missing (the CRL must be put in the PKI).
 */
export class CertificateRefusedError extends Error {
  readonly worded: MessageRef;
  /**
   * `presented`: the certificate and the station's PKI folder, which word an expiry or a missing CRL;
   * `previous`, the certificate the server presented before (pki.previousOf): a changed one is said so.
   */
  constructor(readonly thumbprint: string, readonly status: string, endpoint: string, presented?: Presented) {
    const { text, worded } = refusalWords(thumbprint, status, endpoint, presented);
    super(text);
    this.worded = worded;
  }
}

const REVOCATION_UNKNOWN = new Set(['BadCertificateRevocationUnknown', 'BadCertificateIssuerRevocationUnknown']);

interface Presented {
  certificate: Buffer;
  pkiRoot: string;
  previous?: Buffer | null;
}

function refusalWords(thumbprint: string, status: string, endpoint: string, presented?: Presented): { text: string; worded: MessageRef } {
  // An unknown certificate that is not valid now (node-opcua judges trust first) is named for its
  // dates at once: trusting it would not make it work, so nobody is sent to trust it first.
  if (presented && status === 'BadCertificateUntrusted' && !validNow(presented.certificate)) status = 'BadCertificateTimeInvalid';
  const head = `server certificate ${thumbprint} of ${endpoint} is not trusted (${status})`;
  const chain = presented ? chainProblem(presented.pkiRoot, presented.certificate, status, { thumbprint, endpoint }) : null;
  if (chain) return { text: `${head}: ${chain.text}`, worded: chain.worded };
  if (presented && REVOCATION_UNKNOWN.has(status)) {
    const { certificate, pkiRoot } = presented;
    const issuer = exploreCertificate(certificate).tbsCertificate.issuer.commonName ?? '';
    const trustedCrl = join(pkiRoot, 'trusted', 'crl');
    const issuersCrl = join(pkiRoot, 'issuers', 'crl');
    return {
      text: `${head}: the revocation list (CRL) of its CA "${issuer}" is missing: put the CA's CRL in ${trustedCrl} (CA in trusted/certs) or ${issuersCrl}`,
      worded: { key: 'acquisition.error.crlMissing', params: { thumbprint, endpoint, status, issuer, trustedCrl, issuersCrl } },
    };
  }
  if (presented && status === 'BadCertificateTimeInvalid') {
    const { notBefore, notAfter } = exploreCertificate(presented.certificate).tbsCertificate.validity;
    const expired = notAfter.getTime() <= Date.now();
    const validFrom = notBefore.toISOString();
    const validTo = notAfter.toISOString();
    return {
      text: expired
        ? `${head}: it expired on ${validTo}: the server needs a new certificate`
        : `${head}: it is valid only from ${validFrom}: check the server's clock and certificate`,
      worded: { key: expired ? 'acquisition.error.certificateExpired' : 'acquisition.error.certificateNotYetValid', params: { thumbprint, endpoint, status, validFrom, validTo } },
    };
  }
  if (presented?.previous && status === 'BadCertificateUntrusted') {
    // A renewed or reinstalled server: "not trusted" alone reads as a stranger, or as the station
    // having lost its trust. Both certificates named, so the engineer checks the new thumbprint
    // with the server's administrator before trusting it (an impostor presents a new one too).
    const now = exploreCertificate(presented.certificate).tbsCertificate.validity;
    const before = exploreCertificate(presented.previous).tbsCertificate.validity;
    const params = {
      thumbprint, endpoint, status, validFrom: now.notBefore.toISOString(), validTo: now.notAfter.toISOString(),
      previous: thumbprintOf(presented.previous), previousFrom: before.notBefore.toISOString(), previousTo: before.notAfter.toISOString(),
    };
    return {
      text: `${head}: the server's certificate changed: it was ${params.previous} (valid ${params.previousFrom} to ${params.previousTo}), it is now ${thumbprint} `
        + `(valid ${params.validFrom} to ${params.validTo}): check the new thumbprint with the server's administrator, then trust it under Tags → Certificates`,
      worded: { key: 'acquisition.error.certificateChanged', params },
    };
  }
  return {
    text: `${head}: trust it under Tags → Certificates`,
    worded: { key: 'acquisition.error.certificateRefused', params: { thumbprint, endpoint, status } },
  };
}

function validNow(certificate: Buffer): boolean {
  return validAt(exploreCertificate(certificate).tbsCertificate.validity);
}

/**
 * The server refused Vigil's own certificate (OpenSecureChannel answered BadSecurityChecksFailed or
 * BadCertificateUntrusted): nothing on the station helps; the server's administrator must trust it.
 */
export class StationRefusedError extends Error {
  readonly worded: MessageRef;
  constructor(endpoint: string, status: string, readonly thumbprint: string, file: string) {
    super(`the server at ${endpoint} refused Vigil's certificate (${status}): its administrator must trust Vigil's certificate ${thumbprint} (${file})`);
    this.worded = { key: 'acquisition.error.stationRefused', params: { endpoint, status, thumbprint, file } };
  }
}

/** Status names with which a server refuses a client's certificate at OpenSecureChannel (Part 4 §5.5.2, Part 6 §6.7.4). */
const CLIENT_CERTIFICATE_REFUSED = /\b(BadSecurityChecksFailed|BadCertificateUntrusted|BadCertificateInvalid|BadCertificateUseNotAllowed)\b/;

/**
 * The station's own certificate is not valid now (expired, or dated in the future), and a server
 * refused it: "trust Vigil's certificate" would send its administrator to trust a certificate that
 * still fails; the station needs a new one first.
 */
export class StationCertificateInvalidError extends Error {
  readonly worded: MessageRef;
  constructor(endpoint: string, status: string, readonly thumbprint: string, file: string, validity: { notBefore: Date; notAfter: Date }) {
    const expired = validity.notAfter.getTime() <= Date.now();
    const validFrom = validity.notBefore.toISOString();
    const validTo = validity.notAfter.toISOString();
    super(`the server at ${endpoint} refused Vigil's certificate (${status}): Vigil's certificate ${thumbprint} (${file}) `
      + `${expired ? `expired on ${validTo}` : `is valid only from ${validFrom}`}: give the station a certificate valid now `
      + '(delete that file: a new one is made at the next connection), then have the server\'s administrator trust it');
    this.worded = { key: 'acquisition.error.stationCertificateExpired', params: { endpoint, status, thumbprint, file, validFrom, validTo, expired: expired ? 'yes' : 'no' } };
  }
}

/** Status names with which a server refuses a client certificate out of its dates (node-opcua says so rather than BadSecurityChecksFailed). */
const CLIENT_CERTIFICATE_TIME = /\b(BadCertificateTimeInvalid)\b/;

/**
 * A server that refuses discovery, connected with its certificate from trusted/certs, refused the
 * secure channel: either it does not trust Vigil's certificate, or it no longer has that
 * certificate (renewed, or reinstalled: the station encrypted to a key the server no longer holds,
 * node-opcua answers BadCertificateInvalid). The station cannot tell which without discovery, so
 * both are said; before, only "its administrator must trust Vigil's certificate", which did not
 * help a renewed server.
 */
export class KnownCertificateRefusedError extends Error {
  readonly worded: MessageRef;
  constructor(endpoint: string, status: string, known: Buffer, trusted: string, own: { thumbprint: string; file: string }) {
    const server = thumbprintOf(known);
    const { notBefore, notAfter } = exploreCertificate(known).tbsCertificate.validity;
    const validFrom = notBefore.toISOString();
    const validTo = notAfter.toISOString();
    super(`the server at ${endpoint} refused the secure channel (${status}) opened with its certificate ${server} from ${trusted} (valid ${validFrom} to ${validTo}): `
      + `if the server's certificate was renewed or the server reinstalled, put its new certificate in ${trusted}; `
      + `otherwise its administrator must trust Vigil's certificate ${own.thumbprint} (${own.file})`);
    this.worded = { key: 'acquisition.error.knownCertificateRefused', params: { endpoint, status, server, validFrom, validTo, trusted, thumbprint: own.thumbprint, file: own.file } };
  }
}

/**
 * A connect failure that is the server refusing the station's certificate, worded so; else the
 * error itself. `known`: the server certificate taken from trusted/certs (no discovery).
 */
function refusedByServer(err: unknown, endpoint: string, pki: StationPki, known: Buffer | null): unknown {
  const message = err instanceof Error ? err.message : '';
  const found = CLIENT_CERTIFICATE_REFUSED.exec(message) ?? CLIENT_CERTIFICATE_TIME.exec(message);
  if (!found) return err;
  const own = pki.ownCertificate();
  const validity = own.certificate ? exploreCertificate(own.certificate).tbsCertificate.validity : null;
  if (validity && !validAt(validity)) return new StationCertificateInvalidError(endpoint, found[1]!, own.thumbprint, own.file, validity);
  if (!CLIENT_CERTIFICATE_REFUSED.test(message)) return err;
  if (known) return new KnownCertificateRefusedError(endpoint, found[1]!, known, join(pki.root, 'trusted', 'certs'), own);
  return new StationRefusedError(endpoint, found[1]!, own.thumbprint, own.file);
}

/**
 * A first attempt that has had no answer for a while (a server that accepts TCP and never answers
 * waits out node-opcua's 60 s transport timeout): said while the attempt goes on, so the server is
 * "not connected" with its communication alarm, not quietly "connecting…" for a minute.
 */
export class NoAnswerError extends Error {
  readonly worded: MessageRef;
  constructor(endpoint: string, seconds: number) {
    super(`no answer from ${endpoint} within ${seconds} s (still trying)`);
    this.worded = { key: 'acquisition.error.noAnswer', params: { endpoint, seconds } };
  }
}

/**
 * The server refused the user identity at ActivateSession (a wrong password, a user certificate it
 * does not trust, anonymous not allowed): said with the identity's kind, user and where its secret
 * comes from, never the secret. The link retries such a refusal slowly (identity-retry.ts).
 */
export class IdentityRefusedError extends Error {
  readonly worded: MessageRef;
  /** A hash of the credential refused (identity-retry.ts): another one is tried at once. */
  constructor(endpoint: string, readonly status: string, identity: ServerConfig['identity'], user: string | null, readonly credential: string | null) {
    const { source, from } = secretSource(identity);
    const where = `(${status} at ${endpoint})`;
    super(identity.kind === 'userName'
      ? `user "${identity.userName}" was refused by the server: check the password (from ${source === 'env' ? `env ${from}` : `keychain ${from}`}) ${where}`
      : identity.kind === 'certificate'
        ? `user certificate "${user ?? from}" (${from}) was refused by the server: the server must trust it ${where}`
        : `anonymous sign-in was refused by the server: give it a user name or a user certificate identity ${where}`);
    this.worded = { key: 'acquisition.error.identityRefused', params: { endpoint, status, kind: identity.kind, user: user ?? '', source, from } };
  }
}

/** An error's words for the console, when the station has them (its English is then the console's technical detail). */
export function wordedOf(err: unknown): MessageRef | null {
  return err instanceof EndpointPathError || err instanceof CertificateRefusedError || err instanceof StationRefusedError || err instanceof NoAnswerError
    || err instanceof StationCertificateInvalidError || err instanceof KnownCertificateRefusedError
    || err instanceof IdentityRefusedError || err instanceof DiscoveryRefusedError || err instanceof FailedLevelError
    || err instanceof SecurityNotOfferedError || err instanceof NeverPublishedError || err instanceof NotRunningError
    // Else a common cause (connection refused, a timeout, a status the server answered with) in the console's words.
    ? err.worded : causeOf(err);
}

const TOKEN_TYPE = { anonymous: UserTokenType.Anonymous, userName: UserTokenType.UserName, certificate: UserTokenType.Certificate } as const;

export async function openSession(target: SessionTarget, onLost: (reason: string) => void): Promise<OpenSession> {
  const { server, endpoint, pki } = target;
  await pki.initialize();
  const mode = MessageSecurityMode[server.security.mode];
  const policy = SecurityPolicy[server.security.policy];
  let serverCertificate: Buffer | undefined;
  /** Taken from trusted/certs, the server refusing discovery: a refusal may mean it has another one now. */
  let known: Buffer | null = null;
  const credentials = server.identity.kind !== 'anonymous';
  if (mode !== MessageSecurityMode.None || credentials) {
    const description = await describeEndpoint(target, mode, policy).catch((err: unknown) => {
      if (mode === MessageSecurityMode.None || !(err instanceof Error) || !DISCOVERY_REFUSED.test(err.message)) throw err;
      return null;
    });
    if (description) {
      serverCertificate = description.serverCertificate?.length ? description.serverCertificate : undefined;
      const clear = inClear(description, server.identity);
      if (clear && !(server.identity.kind === 'userName' && server.identity.allowUnencryptedPassword)) throw new Error(clear);
      if (clear) target.logger.warn({ server: server.id, endpoint }, `${clear}; sent all the same (identity.allowUnencryptedPassword)`);
    } else {
      // Secured channel only: the token is encrypted to the certificate (no password in clear).
      serverCertificate = known = knownCertificate(target);
    }
  }
  if (serverCertificate && (mode !== MessageSecurityMode.None || credentials)) {
    const check = await pki.check(serverCertificate);
    if (!check.good) {
      const thumbprint = pki.noteRefusal(serverCertificate, { server: server.id, endpoint, at: Date.now() });
      throw new CertificateRefusedError(thumbprint, check.status, endpoint, { certificate: serverCertificate, pkiRoot: pki.root, previous: pki.previousOf(server.id, endpoint, serverCertificate) });
    }
    // A CRL put in the PKI since node-opcua's manager read its folders: read from the files themselves.
    const revoked = revocation(target, serverCertificate);
    if (revoked) {
      pki.noteRefusal(serverCertificate, { server: server.id, endpoint, at: Date.now() });
      throw revoked;
    }
  }
  const identity = await userIdentity(server.identity, target.dataDir);
  const client = OPCUAClient.create({
    applicationName: 'Vigil',
    endpointMustExist: false,
    securityMode: mode,
    securityPolicy: policy,
    // Checked above against the PKI; handing it over keeps node-opcua from fetching it again, and
    // node-opcua encrypts the user token to it rather than to what CreateSession answers.
    serverCertificate,
    clientCertificateManager: pki.manager,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    keepSessionAlive: false,
    requestedSessionTimeout: 60_000,
  });
  let closed = false;
  client.on('connection_lost', () => !closed && onLost('connection lost'));
  client.on('close', () => !closed && onLost('connection closed'));
  try {
    await client.connect(endpoint).catch((err: unknown) => {
      throw refusedByServer(err, endpoint, pki, known);
    });
    // On the channel just opened: the endpoints the server serves at this URL's port.
    const listed = await client.getEndpoints();
    checkEndpointPath(endpoint, listed);
    if (!endpointFor(endpoint, listed, mode, policy)) throw new SecurityNotOfferedError(endpoint, mode, policy, listed);
    // node-opcua takes the endpoint whose URL is the one asked for, else the first of the security
    // asked (another path's, on a port listing several): the session's is the one endpointFor chose.
    client.findEndpointForSecurity = (m, p) => endpointFor(endpoint, listed, m, p);
    const session = await client.createSession(identity.info).catch(async (err: unknown) => {
      const refused = err instanceof Error ? IDENTITY_REFUSED.exec(err.message) : null;
      if (!refused) throw err;
      const info = identity.info;
      const credential = info.type === UserTokenType.UserName ? passwordCredential(info.userName, info.password) : await credentialOf(server.identity, target.dataDir);
      throw new IdentityRefusedError(endpoint, refused[1]!, server.identity, identity.user, credential);
    });
    // Whom rejecting this certificate disconnects (Tags → Certificates says so before asking).
    pki.notePresented(server.id, endpoint, serverCertificate ?? null);
    const stopExpiry = serverCertificate ? watchExpiry(target, serverCertificate) : () => undefined;
    // Revoked while connected: the session ends now (onLost), the next connection is refused naming the CRL.
    const stopRevocation = serverCertificate ? watchRevocation(target, serverCertificate, (reason) => !closed && onLost(reason)) : () => undefined;
    const stopWatching = (): void => {
      stopExpiry();
      stopRevocation();
    };
    return {
      endpoint,
      client,
      session,
      security: {
        mode: server.security.mode,
        policy: policyName(client.securityPolicy),
        identity: server.identity.kind,
        user: identity.user,
      },
      serverThumbprint: serverCertificate ? thumbprintOf(serverCertificate) : null,
      advertised: otherHosts(endpoint, listed),
      async close() {
        closed = true;
        stopWatching();
        await bounded(session.close(false)).catch((err: Error) => target.logger.debug({ err: err.message }, 'session close'));
        await bounded(client.disconnect()).catch((err: Error) => target.logger.debug({ err: err.message }, 'client disconnect'));
      },
    };
  } catch (err) {
    closed = true;
    await bounded(client.disconnect()).catch(() => undefined);
    throw err;
  }
}

/**
 * Why this endpoint would carry the identity's secret in clear, or null. A user name's token is
 * encrypted by its policy's SecurityPolicyUri, else by the endpoint's (Part 4 §7.37): None there,
 * or no server certificate to encrypt to, means the password travels as written. A user
 * certificate's proof is signed over the server's certificate: without one it proves nothing.
 */
export function inClear(endpoint: EndpointDescription, identity: ServerConfig['identity']): string | null {
  if (identity.kind === 'anonymous') return null;
  const where = `${endpoint.endpointUrl ?? 'the endpoint'} (${MessageSecurityMode[endpoint.securityMode]}/${policyName(endpoint.securityPolicyUri ?? '')})`;
  const certificate = (endpoint.serverCertificate?.length ?? 0) > 0;
  if (identity.kind === 'certificate') return certificate ? null : `${where} gives no server certificate for a user certificate to sign against`;
  const token = (endpoint.userIdentityTokens ?? []).find((t) => t.tokenType === UserTokenType.UserName);
  const policy = token?.securityPolicyUri || endpoint.securityPolicyUri || '';
  if (certificate && policy !== '' && policy !== SecurityPolicy.None) return null;
  return `${where} would receive the password of ${identity.userName} unencrypted: use message security Sign or SignAndEncrypt`;
}

/** The status with which a server without unsecured discovery refuses the None channel GetEndpoints needs. */
const DISCOVERY_REFUSED = /\bBadSecurityPolicyRejected\b/;

/**
 * The server refused the unsecured channel GetEndpoints needs (only Sign/SignAndEncrypt offered,
 * discovery disabled) and trusted/certs holds no certificate issued for its host: its certificate
 * cannot be looked up, so it is never listed for trust; it must be put there by hand.
 */
export class DiscoveryRefusedError extends Error {
  readonly worded: MessageRef;
  constructor(endpoint: string, trusted: string) {
    super(`the server at ${endpoint} refuses unsecured endpoint discovery (BadSecurityPolicyRejected), so its certificate cannot be looked up: place the server's certificate in ${trusted}`);
    this.worded = { key: 'acquisition.error.discoveryRefused', params: { endpoint, trusted, status: 'BadSecurityPolicyRejected' } };
  }
}

/**
 * The certificate to connect with when the server refuses discovery: the one in trusted/certs
 * issued for the endpoint's host (valid now and newest first, when a renewed one lies beside the
 * old), else DiscoveryRefusedError naming that folder.
 */
function knownCertificate(target: SessionTarget): Buffer {
  const candidates = target.pki.trustedForHost(target.endpoint)
    .map((der) => ({ der, validity: exploreCertificate(der).tbsCertificate.validity }))
    .sort((a, b) => Number(validAt(b.validity)) - Number(validAt(a.validity)) || b.validity.notBefore.getTime() - a.validity.notBefore.getTime());
  const chosen = candidates[0];
  if (!chosen) throw new DiscoveryRefusedError(target.endpoint, join(target.pki.root, 'trusted', 'certs'));
  target.logger.info({ server: target.server.id, endpoint: target.endpoint, thumbprint: thumbprintOf(chosen.der) },
    'the server refuses unsecured endpoint discovery: connecting with its certificate from trusted/certs');
  return chosen.der;
}

/** Warned ahead of a server certificate's end (ms): time for its administrator to renew it. */
export const EXPIRY_WARNING_MS = 30 * 86_400_000;
/** setTimeout's longest wait: a later end is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A server certificate's end, watched while connected. The session it opened stays, as an open TLS
 * connection does: cutting a control room's live values at a certificate's end date would blind
 * the operators at that moment over paperwork. Said loudly instead: a certificate ending within
 * EXPIRY_WARNING_MS at every connection, and its end when it comes, with what follows (the next
 * connection is refused until the server has a new certificate trusted here: Part 4 §6.1.3).
 */
function watchExpiry(target: SessionTarget, certificate: Buffer): () => void {
  const notAfter = exploreCertificate(certificate).tbsCertificate.validity.notAfter;
  const thumbprint = thumbprintOf(certificate);
  const said = { server: target.server.id, endpoint: target.endpoint, thumbprint, validTo: notAfter.toISOString() };
  const left = notAfter.getTime() - Date.now();
  if (left < EXPIRY_WARNING_MS) {
    target.logger.warn({ ...said, days: Math.floor(left / 86_400_000) },
      'the server\'s certificate expires soon: after its end the station can connect to the server again only once it has a new certificate trusted here');
  }
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const wait = notAfter.getTime() - Date.now();
    if (wait > 0) {
      timer = setTimeout(arm, Math.min(wait, LONGEST_TIMER_MS));
      return;
    }
    target.logger.error(said, 'the server\'s certificate expired while connected: values still come over the session it opened, but the next connection (a restart, a network loss) will be refused until the server has a new certificate trusted here');
  };
  timer = setTimeout(arm, Math.min(Math.max(0, left), LONGEST_TIMER_MS));
  return () => clearTimeout(timer);
}

/** How often (ms) the PKI's CRL folders are looked at while connected. Read when used; tests shorten it. */
export const revocationCheck = { everyMs: 5000 };

const REVOKED = new Set(['acquisition.error.certificateRevoked', 'acquisition.error.issuerRevoked']);

/** The refusal of a server certificate whose chain a CRL in the PKI folders revokes (it, or a CA above it); null when none does. */
function revocation(target: SessionTarget, certificate: Buffer): CertificateRefusedError | null {
  const thumbprint = thumbprintOf(certificate);
  const chain = chainProblem(target.pki.root, certificate, 'BadCertificateRevoked', { thumbprint, endpoint: target.endpoint });
  if (!chain || !REVOKED.has(chain.worded.key)) return null;
  const status = chain.worded.key === 'acquisition.error.issuerRevoked' ? 'BadCertificateIssuerRevoked' : 'BadCertificateRevoked';
  return new CertificateRefusedError(thumbprint, status, target.endpoint, { certificate, pkiRoot: target.pki.root });
}

/** The CRL folders' files (name, size, time): a change is read; a PKI left alone costs a directory listing. */
function crlFolders(pkiRoot: string): string {
  return ['trusted', 'issuers'].map((where) => {
    const folder = join(pkiRoot, where, 'crl');
    try {
      return readdirSync(folder).map((f) => {
        const st = statSync(join(folder, f));
        return `${f}:${st.size}:${st.mtimeMs}`;
      }).join('|');
    } catch {
      return '';
    }
  }).join('#');
}

/**
 * A server certificate revoked while connected (a CRL put in pki/trusted/crl or pki/issuers/crl):
 * unlike an end date, a revocation says the certificate, hence the server, is not to be trusted
 * (its key stolen, the machine withdrawn), so the session ends at once: the tags go
 * BadNoCommunication, the gap opens, and the next connection is refused naming the CRL. Before, the
 * revocation waited for the next connection (days, on a link that stays up). The folders are
 * looked at every revocationCheck.everyMs, read again only when they changed.
 */
function watchRevocation(target: SessionTarget, certificate: Buffer, onRevoked: (reason: string) => void): () => void {
  let seen = crlFolders(target.pki.root);
  const timer = setInterval(() => {
    const now = crlFolders(target.pki.root);
    if (now === seen) return;
    seen = now;
    const refused = revocation(target, certificate);
    if (!refused) return;
    clearInterval(timer);
    target.logger.error({ server: target.server.id, endpoint: target.endpoint, thumbprint: refused.thumbprint, reason: refused.message },
      'the server\'s certificate was revoked while connected (a CRL in the PKI): its session is closed, nothing more is taken from it');
    onRevoked(refused.message);
  }, revocationCheck.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

function validAt(validity: { notBefore: Date; notAfter: Date }, now = Date.now()): boolean {
  return validity.notBefore.getTime() <= now && now < validity.notAfter.getTime();
}

/** GetEndpoints over an unsecured discovery channel: the description matching the configured security. */
async function describeEndpoint(target: SessionTarget, mode: MessageSecurityMode, policy: SecurityPolicy): Promise<EndpointDescription> {
  const discovery = OPCUAClient.create({
    applicationName: 'Vigil',
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    clientCertificateManager: target.pki.manager,
  });
  let endpoints: EndpointDescription[];
  try {
    await discovery.connect(target.endpoint);
    endpoints = await discovery.getEndpoints();
  } finally {
    await bounded(discovery.disconnect()).catch(() => undefined);
  }
  checkEndpointPath(target.endpoint, endpoints);
  const match = endpointFor(target.endpoint, endpoints, mode, policy);
  if (!match) throw new SecurityNotOfferedError(target.endpoint, mode, policy, endpoints);
  const wanted = TOKEN_TYPE[target.server.identity.kind];
  if (!(match.userIdentityTokens ?? []).some((t) => t.tokenType === wanted)) {
    throw new Error(`${target.endpoint} does not accept ${target.server.identity.kind} identities on ${MessageSecurityMode[mode]}/${policyName(policy)}`);
  }
  return match;
}

async function userIdentity(identity: ServerConfig['identity'], dataDir: string): Promise<{ info: UserIdentityInfo; user: string | null }> {
  switch (identity.kind) {
    case 'anonymous':
      return { info: { type: UserTokenType.Anonymous }, user: null };
    case 'userName':
      return {
        info: { type: UserTokenType.UserName, userName: identity.userName, password: await readPassword(identity.password) },
        user: identity.userName,
      };
    case 'certificate': {
      const at = (p: string) => (isAbsolute(p) ? p : join(dataDir, p));
      const der = convertPEMtoDER(readFileSync(at(identity.certificate), 'utf8'));
      const subject = exploreCertificate(der).tbsCertificate.subject.commonName ?? identity.certificate;
      return {
        info: { type: UserTokenType.Certificate, certificateData: der, keyOperations: keyOperationsFromPrivateKey(readPrivateKey(at(identity.privateKey))) },
        user: subject,
      };
    }
  }
}

/** "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256" -> "Basic256Sha256". */
export function policyName(uri: string): string {
  return uri.includes('#') ? uri.slice(uri.lastIndexOf('#') + 1) : uri;
}

/** A dead peer can make close calls wait for a transport timeout: give up after a while. */
function bounded<T>(p: Promise<T>, ms = 2000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), ms)))]).finally(() => clearTimeout(timer));
}
