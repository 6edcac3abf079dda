/**
 * The Journal page's user and comment columns for a shelve made at a condition's OPC UA server. The
 * server's own shelve read Part 9's identifiers raw ("TimedShelved" by "srv (OPC UA)") in every
 * language; an operator's shelve made here at the server reads "at server srv" in the console's words,
 * then their own words as typed. Anything else stays as stored. Expected words written by hand.
 */
import { describe, expect, it } from 'vitest';
import { Translator } from '../../../shared/i18n/translate.js';
import type { JournalEntry } from '../../../shared/api/alarms.js';
import { journalWho } from './journal-text.js';

const line = (event: JournalEntry['event'], user: string | null, comment: string | null, over: Partial<JournalEntry> = {}) =>
  ({ alarmId: 'server/srv/nsu=urn:plant;s=Tank.HighAlarm', condition: 'SERVER', event, user, comment, ...over }) as const;

const words = (locale: 'en' | 'ru' | 'zh') => {
  const tr = new Translator(locale);
  return tr.t.bind(tr);
};

describe('the journal\'s user and comment of a shelve at a server', () => {
  it('made by the server (its operators): the server and the kind of shelve in each language', () => {
    const expected = {
      en: ['Server srv (OPC UA)', 'Shelved at the server for a set time', 'Shelved at the server until it returns to normal'],
      ru: ['Сервер srv (OPC UA)', 'Отложена на сервере на заданное время', 'Отложена на сервере до возврата в норму'],
      zh: ['服务器 srv（OPC UA）', '在服务器上定时搁置', '在服务器上搁置至恢复正常'],
    } as const;
    for (const [locale, [by, timed, oneShot]] of Object.entries(expected)) {
      const t = words(locale as keyof typeof expected);
      expect(journalWho(line('shelved', 'srv (OPC UA)', 'TimedShelved'), t), locale).toEqual({ user: by, comment: timed });
      expect(journalWho(line('shelved', 'srv (OPC UA)', 'OneShotShelved'), t), locale).toEqual({ user: by, comment: oneShot });
      expect(journalWho(line('unshelved', 'srv (OPC UA)', null), t), locale).toEqual({ user: by, comment: '' });
    }
  });

  it('a refused Unshelve the station owed the server, and its end there: by the server, its status as said', () => {
    const expected = { en: 'Server srv (OPC UA)', ru: 'Сервер srv (OPC UA)', zh: '服务器 srv（OPC UA）' } as const;
    for (const [locale, by] of Object.entries(expected)) {
      const t = words(locale as keyof typeof expected);
      expect(journalWho(line('unshelveRefused', 'srv (OPC UA)', 'BadUserAccessDenied'), t), locale).toEqual({ user: by, comment: 'BadUserAccessDenied' });
      expect(journalWho(line('unshelvedAtServer', 'srv (OPC UA)', null), t), locale).toEqual({ user: by, comment: '' });
    }
  });

  it('made by an operator at the server: where, in the console\'s words, then what they typed', () => {
    const expected = {
      en: ['At server srv: sensor check', 'At server srv'],
      ru: ['На сервере srv: sensor check', 'На сервере srv'],
      zh: ['在服务器 srv 上：sensor check', '在服务器 srv 上'],
    } as const;
    for (const [locale, [withReason, bare]] of Object.entries(expected)) {
      const t = words(locale as keyof typeof expected);
      expect(journalWho(line('shelved', 'op1', 'at server srv: sensor check'), t), locale).toEqual({ user: 'op1', comment: withReason });
      expect(journalWho(line('unshelved', 'op1', 'at server srv'), t), locale).toEqual({ user: 'op1', comment: bare });
    }
  });

  it('anything else as stored: an operator\'s reason that reads like a state, another server, a station alarm, another event', () => {
    const t = words('ru');
    expect(journalWho(line('shelved', 'op1', 'TimedShelved'), t)).toEqual({ user: 'op1', comment: 'TimedShelved' });
    expect(journalWho(line('shelved', 'other (OPC UA)', 'TimedShelved'), t)).toEqual({ user: 'other (OPC UA)', comment: 'TimedShelved' });
    expect(journalWho(line('shelved', 'op1', 'at server other: x'), t)).toEqual({ user: 'op1', comment: 'at server other: x' });
    expect(journalWho(line('shelved', 'srv (OPC UA)', 'TimedShelved', { alarmId: 'LI-101/limit', condition: 'H' }), t)).toEqual({ user: 'srv (OPC UA)', comment: 'TimedShelved' });
    expect(journalWho(line('acknowledged', 'srv (OPC UA)', 'TimedShelved'), t)).toEqual({ user: 'srv (OPC UA)', comment: 'TimedShelved' });
    expect(journalWho(line('activated', null, null), t)).toEqual({ user: '', comment: '' });
  });
});
