/**
 * A failed OPC UA connection's common causes in the console's words, in Russian and Chinese with no
 * English of the library's in them; the English kept as the server state's lastError (the log's
 * words, the console's technical detail). The errors are those Node and node-opcua make: a real
 * refused connection on 127.0.0.1, node-opcua's status codes as it writes them, its messages as its
 * source writes them ("The connection has been rejected by server: ${statusCode.toString()}").
 * Before these words, the server chip read "последняя ошибка: The connection cannot be established
 * with server … Err = (connect ECONNREFUSED 127.0.0.1:…)".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { afterAll, describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { serverErrorDetail, serverErrorText } from '../../renderer/lib/station-causes.js';
import { freePort } from '../sync/testing/servers.js';
import { causeOf, NeverPublishedError } from './error-cause.js';
import { NoAnswerError, wordedOf } from './session.js';
import { english } from './testing/english.js';
import { startTestStation, until, type TestStation } from './testing/harness.js';

const ru = new Translator('ru');
const zh = new Translator('zh');

/** A real refused connection: nothing listens on a free port of 127.0.0.1. */
async function refusedByNode(): Promise<Error> {
  const port = await freePort();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', (err) => { socket.destroy(); resolve(err); });
  });
}

const rejected = (code: { toString(): string }) => new Error(`The connection has been rejected by server: ${code.toString()}`);

describe('common causes of a failed OPC UA connection', () => {
  it('each is worded by its own message', async () => {
    const refused = await refusedByNode();
    expect(refused.message).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    const cases: [Error, string][] = [
      [refused, 'acquisition.cause.refused'],
      // As node-opcua's client wraps it (seen from a station whose server was not running).
      [new Error(`The connection cannot be established with server opc.tcp://127.0.0.1:39267/x .\nPlease check that the server is up and running or your network configuration.\nErr = (${refused.message})`), 'acquisition.cause.refused'],
      [new Error('read ECONNRESET'), 'acquisition.cause.reset'],
      [new Error('socket hang up'), 'acquisition.cause.reset'],
      [new Error('premature disconnection 1'), 'acquisition.cause.reset'],
      [new Error('connect ETIMEDOUT 192.0.2.10:4840'), 'acquisition.cause.connectTimedOut'],
      [new Error('connect EHOSTUNREACH 192.0.2.10:4840'), 'acquisition.cause.unreachable'],
      [new Error('connect ENETUNREACH 192.0.2.10:4840'), 'acquisition.cause.unreachable'],
      [new Error('Transaction has timed out ( timeout = 15000 ms , request = ReadRequest)'), 'acquisition.cause.timedOut'],
      [rejected(StatusCodes.BadTimeout), 'acquisition.cause.timedOut'],
      [rejected(StatusCodes.BadCommunicationError), 'acquisition.cause.communication'],
      [rejected(StatusCodes.BadSecurityChecksFailed), 'acquisition.cause.securityChecks'],
      [rejected(StatusCodes.BadSecurityPolicyRejected), 'acquisition.cause.securityRejected'],
      [rejected(StatusCodes.BadIdentityTokenRejected), 'acquisition.cause.identity'],
      [rejected(StatusCodes.BadTooManySessions), 'acquisition.cause.busy'],
      [rejected(StatusCodes.BadTcpServerTooBusy), 'acquisition.cause.busy'],
      [rejected(StatusCodes.BadServerHalted), 'acquisition.cause.shuttingDown'],
      [rejected(StatusCodes.BadSessionClosed), 'acquisition.cause.sessionClosed'],
    ];
    const wrong = cases.filter(([err, key]) => causeOf(err)?.key !== key).map(([err, key]) => `${err.message} → ${causeOf(err)?.key} (want ${key})`);
    expect(wrong).toEqual([]);
    for (const [err] of cases) {
      const { key, params } = causeOf(err)!;
      expect(english(ru.t(key, params)), `ru ${key}`).toEqual([]);
      expect(english(zh.t(key, params)), `zh ${key}`).toEqual([]);
    }
  });

  it('an unknown host is named, in the language\'s sentence', () => {
    const cause = causeOf(new Error('getaddrinfo ENOTFOUND plc-7.site'));
    expect(cause).toEqual({ key: 'acquisition.cause.unknownHost', params: { host: 'plc-7.site' } });
    expect(zh.t(cause!.key, cause!.params)).toBe('主机名 plc-7.site 无法识别：请检查端点中的主机名和名称服务（DNS、hosts 文件）。');
  });

  it('a status the server answered with says more than the socket closing after it', () => {
    expect(causeOf(new Error(`${StatusCodes.BadTooManySessions.toString()}; then ECONNRESET`))?.key).toBe('acquisition.cause.busy');
  });

  it('a connection dropped before its first publish is worded with its loss\'s cause, or without one it has no words for', () => {
    const lost = wordedOf(new NeverPublishedError('connection lost'))!;
    expect(ru.t(lost.key, lost.params)).toMatch(/^Потеря соединения: соединение разорвано/);
    expect(zh.t(lost.key, lost.params)).toMatch(/^连接丢失：/);
    // A revocation's English (its own words went with the error, not the loss's reason): the sentence without it.
    const other = new NeverPublishedError('certificate AB12 revoked by its CA');
    expect(other.message).toBe('certificate AB12 revoked by its CA (nothing published since subscribing)');
    expect(english(ru.t(other.worded.key, other.worded.params))).toEqual([]);
    expect(english(zh.t(other.worded.key, other.worded.params))).toEqual([]);
  });

  it('any other Bad status the server answered with is said in the language\'s sentence, its standard name kept', () => {
    // As node-opcua writes a refused service ("serviceResult = …") and a refused connection.
    const refused = new Error(`serviceResult = ${StatusCodes.BadTooManyOperations.toString()}`);
    expect(refused.message).toBe('serviceResult = BadTooManyOperations (0x80100000)');
    expect(causeOf(refused)).toEqual({ key: 'acquisition.cause.serverStatus', params: { status: 'BadTooManyOperations' } });
    const cause = causeOf(rejected(StatusCodes.BadNotSupported))!;
    expect(cause.params).toEqual({ status: 'BadNotSupported' });
    expect(zh.t(cause.key, cause.params)).toBe('服务器以状态码 BadNotSupported 拒绝了站点的请求：具体是哪个请求见站点日志，该状态码的含义见服务器文档。');
    expect(english(ru.t(cause.key, cause.params), ['BadNotSupported'])).toEqual([]);
    // A status with words of its own keeps them; a status says more than the socket's end after it.
    expect(causeOf(rejected(StatusCodes.BadTimeout))?.key).toBe('acquisition.cause.timedOut');
    expect(causeOf(new Error(`${StatusCodes.BadNodeIdUnknown.toString()}; then ECONNRESET`))?.params).toEqual({ status: 'BadNodeIdUnknown' });
  });

  it('an error it does not know keeps no words: the console shows its English as a technical detail', () => {
    expect(causeOf(new Error('Internal Error'))).toBeNull();
    expect(causeOf(null)).toBeNull();
  });
});

describe('a server with nothing listening at its endpoint', () => {
  let dir = '';
  let t: TestStation | undefined;
  afterAll(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is said in Russian and Chinese without the library\'s English; the English stays the technical detail', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-refused-'));
    const port = await freePort();
    t = await startTestStation({ dir, yaml: `station: { name: R, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "opc.tcp://127.0.0.1:${port}/x"
areas: [{ id: A, name: A }]
tags:
  - { name: L1, server: plc, nodeId: "ns=1;s=Level", kind: analog, area: A }
` });
    const failed = await until('the failed attempt', () => t!.states.find((s) => s.lastError !== null));
    expect(failed.lastError).toContain('ECONNREFUSED');
    expect(failed.lastErrorText).toEqual({ key: 'acquisition.cause.refused', params: {} });
    // As the server chip and the status band word it (renderer/lib/station-causes.ts).
    const said = { ru: serverErrorText(failed, (k, p) => ru.t(k, p))!, zh: serverErrorText(failed, (k, p) => zh.t(k, p))! };
    expect(said.ru).toMatch(/^По этому адресу и порту никто не принимает соединения/);
    expect(said.zh).toMatch(/^该地址和端口上没有程序接受连接/);
    expect(english(said.ru)).toEqual([]);
    expect(english(said.zh)).toEqual([]);
    expect(serverErrorDetail(failed)).toBe(failed.lastError);
    // An error the station words itself (its words name the same thing): no English repeated beside them.
    expect(serverErrorDetail({ lastError: 'no answer from x within 5 s (still trying)', lastErrorText: wordedOf(new NoAnswerError('x', 5)) })).toBeNull();
  }, 120_000);
});
