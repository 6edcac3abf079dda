/**
 * A shelve made at an OPC UA server reads in the console's words (en/ru/zh), in the alarm detail and
 * the shelved list alike: it read "TimedShelved" by "srv (OPC UA)", Part 9's identifiers, in every
 * language. An operator's own reason and name stay as they typed them, even one that looks alike.
 */
import { describe, expect, it } from 'vitest';
import { Translator } from '../../../shared/i18n/translate.js';
import { row } from './testing.js';
import { shelveWords } from './shelve-words.js';

const at = (reason: string, by = 'srv (OPC UA)') => row({
  id: 'server/srv/ns=1;s=Tank.HighAlarm', kind: 'server', source: 'server', server: 'srv', tag: null, condition: 'SERVER', state: 'F',
  shelve: { until: null, oneShot: reason === 'OneShotShelved', reason, by, at: 0 },
});

describe('the words of a shelve', () => {
  it('made at the server: a timed or a one-shot shelve there, by that server, in each language', () => {
    const expected = {
      en: ['Shelved at the server for a set time', 'Shelved at the server until it returns to normal', 'Server srv (OPC UA)'],
      ru: ['Отложена на сервере на заданное время', 'Отложена на сервере до возврата в норму', 'Сервер srv (OPC UA)'],
      zh: ['在服务器上定时搁置', '在服务器上搁置至恢复正常', '服务器 srv（OPC UA）'],
    } as const;
    for (const [locale, [timed, oneShot, by]] of Object.entries(expected)) {
      const tr = new Translator(locale as keyof typeof expected);
      const t = tr.t.bind(tr);
      expect(shelveWords(at('TimedShelved'), t), locale).toEqual({ by, reason: timed, typed: false });
      expect(shelveWords(at('OneShotShelved'), t), locale).toEqual({ by, reason: oneShot, typed: false });
    }
  });

  it('made by an operator: their name and reason as typed, quoted as theirs', () => {
    const tr = new Translator('ru');
    const t = tr.t.bind(tr);
    expect(shelveWords(at('sensor check', 'op1'), t)).toEqual({ by: 'op1', reason: 'sensor check', typed: true });
    // A station alarm whose operator typed the state name, and a server's row an operator shelved here.
    expect(shelveWords(row({ id: 'LI-101/limit', state: 'F', shelve: { until: null, oneShot: false, reason: 'TimedShelved', by: 'op1', at: 0 } }), t))
      .toEqual({ by: 'op1', reason: 'TimedShelved', typed: true });
    expect(shelveWords(at('TimedShelved', 'op1'), t)).toEqual({ by: 'op1', reason: 'TimedShelved', typed: true });
    expect(shelveWords(row({ id: 'LI-101/limit' }), t)).toBeNull();
  });
});
