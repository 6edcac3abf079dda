import { describe, expect, it } from 'vitest';
import { Translator } from '../../shared/i18n/index.js';
import { EndpointPathError } from '../../main/acquisition/session.js';
import { causeText, failoverReasonText, isKnownCause, noteText } from './station-causes.js';

const ru = new Translator('ru');
const zh = new Translator('zh');
const en = new Translator('en');
const t = (tr: Translator) => tr.t.bind(tr);

describe('why the station lost a server, in the console\'s language', () => {
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

  it('words a wrong endpoint path with the URL asked for and those the server offers, as the station said them', () => {
    const said = new EndpointPathError('opc.tcp://plc:4840/wrong', ['opc.tcp://plc:4840/UA/Farm', 'opc.tcp://plc:4841/UA/Farm']).message;
    const ruText = causeText(said, t(ru));
    expect(ruText).toMatch(/[а-яё]/i);
    expect(ruText).toContain('opc.tcp://plc:4840/wrong');
    expect(ruText).toContain('opc.tcp://plc:4840/UA/Farm, opc.tcp://plc:4841/UA/Farm');
    expect(causeText(said, t(zh))).toMatch(/\p{Script=Han}/u);
    expect(isKnownCause(said)).toBe(true);
  });

  it('shows a cause it does not know as the station stored it', () => {
    expect(causeText('BadSessionIdInvalid (0x80250000)', t(ru))).toBe('BadSessionIdInvalid (0x80250000)');
    expect(causeText('', t(ru))).toBe('');
  });

  it('words the reasons for a switch of endpoint, and the retry notes of a backfill', () => {
    for (const reason of ['lost', 'serviceLevel', 'failback']) expect(failoverReasonText(reason, t(ru)), reason).toMatch(/[а-яё]/i);
    expect(failoverReasonText('manual', t(ru))).toBe('manual');
    expect(noteText('station stopped during the backfill: retried at the next connection', t(ru))).toMatch(/[а-яё]/i);
    expect(noteText('connection lost during the backfill: retried at the next connection', t(zh))).toMatch(/\p{Script=Han}/u);
    expect(noteText('no history for 2 tag(s)', t(ru))).toBe('no history for 2 tag(s)');
    expect(noteText(null, t(ru))).toBe('');
  });
});
