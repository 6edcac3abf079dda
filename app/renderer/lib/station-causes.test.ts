import { describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { CertificateRefusedError, EndpointPathError, wordedOf } from '../../main/acquisition/session.js';
import { failedLevelCause, FailedLevelError } from '../../main/acquisition/failover.js';
import { CLOCK_OFF_NOTE } from '../../main/acquisition/gap-note.js';
import { CAPACITY_REFUSED, QUEUE_OVERFLOW } from '../../main/acquisition/lost-values.js';
import { causeText, failoverReasonText, isKnownCause, noteText, serverErrorText } from './station-causes.js';

const ru = new Translator('ru');
const zh = new Translator('zh');
const en = new Translator('en');
const t = (tr: Translator) => tr.t.bind(tr);

/** Times in notes: any writer (the ledger passes its columns' format). */
/** How the console writes times and spans in the gap notes. */
const fmt = new Formats('en', 'UTC');

describe('why the station lost a server, in the console\'s language', () => {
  it('words a redundant server lost for its ServiceLevel (0 maintenance, 1 no data), and the connection refused for it', () => {
    // The words expected here are Part 4's meaning of the two levels, written by hand.
    expect(causeText(failedLevelCause(0), t(ru))).toBe('сервер на обслуживании (ServiceLevel 0)');
    expect(causeText(failedLevelCause(1), t(zh))).toBe('服务器无数据（ServiceLevel 1）');
    expect(causeText(failedLevelCause(1), t(en))).toBe('the server has no data (ServiceLevel 1)');
    const refused = wordedOf(new FailedLevelError('opc.tcp://b:4840', 0));
    expect(refused).not.toBeNull();
    expect(ru.t(refused!.key, refused!.params)).toBe('opc.tcp://b:4840 на обслуживании (ServiceLevel 0): не используется.');
    const noData = wordedOf(new FailedLevelError('opc.tcp://b:4840', 1))!;
    expect(zh.t(noData.key, noData.params)).toBe('opc.tcp://b:4840 无数据（ServiceLevel 1）：不使用。');
  });

  it('words the station\'s stable causes from the catalog', () => {
    const causes = [
      'station stopped',
      'station stopped without closing',
      'connection lost',
      'connection closed',
      'no data or keep-alive from the server',
      'server certificate rejected by an engineer',
      'subscription timed out on the server',
      'subscription terminated',
      // Values lost while the server stays up, as the station writes them (lost-values.ts).
      QUEUE_OVERFLOW,
      CAPACITY_REFUSED,
    ];
    for (const cause of causes) {
      const ruText = causeText(cause, t(ru));
      expect(ruText, cause).not.toBe(cause);
      expect(ruText, cause).toMatch(/[а-яё]/i);
      expect(ruText, cause).not.toMatch(/[a-z]{3}/i);
      expect(causeText(cause, t(zh)), cause).toMatch(/\p{Script=Han}/u);
      expect(causeText(cause, t(en)), cause).toBeTruthy();
    }
    expect(causeText('station stopped', t(ru))).toBe(ru.t('gaps.cause.stationStopped'));
    expect(causeText('connection lost', t(ru))).toBe(ru.t('gaps.cause.connectionLost'));
  });

  it('words a server\'s last error from the words the station sent with it (a wrong endpoint path), never from its English', () => {
    const error = new EndpointPathError('opc.tcp://plc:4840/wrong', ['opc.tcp://plc:4840/UA/Farm', 'opc.tcp://plc:4841/UA/Farm']);
    const state = { lastError: error.message, lastErrorText: error.worded };
    const ruText = serverErrorText(state, t(ru))!;
    expect(ruText).toMatch(/[а-яё]/i);
    expect(ruText).toContain('opc.tcp://plc:4840/wrong');
    expect(ruText).toContain('opc.tcp://plc:4840/UA/Farm, opc.tcp://plc:4841/UA/Farm');
    expect(serverErrorText(state, t(zh))).toMatch(/\p{Script=Han}/u);
    // Without its words the same English is a technical detail, not parsed back.
    expect(serverErrorText({ lastError: error.message, lastErrorText: null }, t(ru))).toBeNull();
    expect(isKnownCause(error.message)).toBe(false);
    // A loss's stable cause is worded from the catalog; a library's text is not; words with a key this console lacks are not used.
    expect(serverErrorText({ lastError: 'connection lost', lastErrorText: null }, t(ru))).toBe(ru.t('gaps.cause.connectionLost'));
    expect(serverErrorText({ lastError: 'BadTimeout (0x800a0000)', lastErrorText: null }, t(ru))).toBeNull();
    expect(serverErrorText({ lastError: 'x', lastErrorText: { key: 'no.such.key', params: {} } }, t(ru))).toBeNull();
  });

  it('words a certificate the station does not trust, with where an engineer trusts it', () => {
    const error = new CertificateRefusedError('AB12CD', 'BadCertificateUntrusted', 'opc.tcp://plc:4840/UA/Farm');
    const ruText = serverErrorText({ lastError: error.message, lastErrorText: error.worded }, t(ru))!;
    expect(ruText).toContain('AB12CD');
    expect(ruText).toContain('opc.tcp://plc:4840/UA/Farm');
    expect(ruText).toContain('Сертификаты');
    expect(serverErrorText({ lastError: error.message, lastErrorText: error.worded }, t(en))).toContain('Tags → Certificates');
  });

  it('shows a cause it does not know as the station stored it', () => {
    expect(causeText('BadSessionIdInvalid (0x80250000)', t(ru))).toBe('BadSessionIdInvalid (0x80250000)');
    expect(causeText('', t(ru))).toBe('');
  });

  it('words the reasons for a switch of endpoint, and the retry notes of a backfill', () => {
    for (const reason of ['lost', 'serviceLevel', 'failback']) expect(failoverReasonText(reason, t(ru)), reason).toMatch(/[а-яё]/i);
    expect(failoverReasonText('manual', t(ru))).toBe('manual');
    expect(noteText('station stopped during the backfill: retried at the next connection', t(ru), fmt)).toMatch(/[а-яё]/i);
    expect(noteText('connection lost during the backfill: retried at the next connection', t(zh), fmt)).toMatch(/\p{Script=Han}/u);
    expect(noteText('no history for 2 tag(s)', t(ru), fmt)).toBe('no history for 2 tag(s)');
    expect(noteText(CLOCK_OFF_NOTE, t(ru), fmt)).toMatch(/часы сервера/);
    expect(noteText(null, t(ru), fmt)).toBe('');
  });
});
