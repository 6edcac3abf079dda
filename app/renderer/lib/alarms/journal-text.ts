/**
 * The journal's words for an entry. A station-made message (COMM, BAD
 * quality, SYNC) carries its catalog key and is said in the console's
 * language, a message nested among its params too (alarm-text.ts). Lines
 * written before the journal kept keys carry only the station's English:
 * such a message is recognised by rendering its key in English from the
 * entry's own id and tag. Any other message (an engineer's,
 * an OPC UA server's) is shown as stored.
 */
import type { JournalEntry } from '../../../shared/api/alarms.js';
import { Translator, isMessageKey, type MessageKey, type MessageParams } from '../../../shared/i18n/index.js';
import { englishStyle } from '../../../shared/sync-text.js';
import type { Lang } from '../value-view.js';
import { alarmText, alarmTextIn } from './alarm-text.js';

type Tr = (key: MessageKey, params?: MessageParams) => string;

const english = new Translator('en');
// Stands for the station's free-text detail while the English template is matched.
const DETAIL = '\u0000';

interface Candidate {
  key: MessageKey;
  params: MessageParams;
  detail?: boolean;
}

function candidates(e: JournalEntry): Candidate[] {
  const [head, rest] = [e.alarmId.split('/')[0], e.alarmId.slice(e.alarmId.indexOf('/') + 1)];
  switch (e.condition) {
    case 'COMM':
      return head === 'comm' ? [{ key: 'alarms.comm.lost', params: { server: rest } }] : [];
    case 'BAD':
      return e.tag ? [{ key: 'alarms.quality.bad', params: { tag: e.tag } }] : [];
    case 'SYNC': {
      if (e.alarmId === 'sync-lost') return [{ key: 'alarms.sync.lost', params: {} }, { key: 'alarms.sync.lostDetail', params: {}, detail: true }];
      if (head !== 'sync') return [];
      const upstream = rest;
      // The backlog's minutes are a number in the message: each one is tried.
      const minutes = [...new Set(e.message.match(/\d+/g) ?? [])].map(Number);
      return [
        { key: 'alarms.sync.upstream', params: { upstream } },
        ...minutes.map((m): Candidate => ({ key: 'alarms.sync.backlog', params: { upstream, minutes: m }, detail: true })),
        { key: 'alarms.sync.paused', params: { upstream }, detail: true },
        { key: 'alarms.sync.credentials', params: { upstream }, detail: true },
        { key: 'alarms.sync.stopped', params: { upstream }, detail: true },
      ];
    }
    default:
      return [];
  }
}

/**
 * The entry's message in the console's language where the station made it; otherwise as stored.
 * `words`: the console's Lang (i18n.lang), or its `t` alone.
 */
export function journalMessage(e: JournalEntry, words: Tr | Lang): string {
  const t = typeof words === 'function' ? words : words.t;
  if (e.text && isMessageKey(e.text.key)) {
    // Words alone (no formats): a nested message's times and lists as the station's English writes them (ISO 8601), its words translated.
    return typeof words === 'function' ? alarmTextIn(e.text, e.message, t, englishStyle) : alarmText(e.text, e.message, words);
  }
  for (const c of candidates(e)) {
    if (!c.detail) {
      if (english.t(c.key, c.params) === e.message) return t(c.key, c.params);
      continue;
    }
    const [before, after] = english.t(c.key, { ...c.params, detail: DETAIL }).split(DETAIL);
    if (after === undefined || e.message.length < before.length + after.length) continue;
    if (e.message.startsWith(before) && e.message.endsWith(after)) {
      const detail = e.message.slice(before.length, e.message.length - after.length);
      return t(c.key, { ...c.params, detail });
    }
  }
  return e.message;
}

/** The tag column as the banner fills it: the tag, else the server (COMM, SERVER), else a dash. */
export function journalTagText(e: JournalEntry): string {
  if (e.tag) return e.tag;
  const [head, server] = e.alarmId.split('/');
  return (head === 'comm' || head === 'server') && server ? server : '—';
}

/** Lines a condition's server is journaled as the doer of: its shelves, and its refusal and end of an Unshelve the station owed it (the status as comment). */
const BY_SERVER_EVENTS: ReadonlySet<JournalEntry['event']> = new Set(['shelved', 'unshelved', 'unshelveRefused', 'unshelvedAtServer']);

/** Part 9's state names, as the station journals them for a shelve a condition's server made (engine.ts followServerShelve). */
const SHELVED_AT_SERVER: Readonly<Record<string, 'timed' | 'oneShot'>> = { TimedShelved: 'timed', OneShotShelved: 'oneShot' };

/**
 * The user and comment columns of a line in the console's words where the station wrote them. A shelve
 * or unshelve a condition's OPC UA server made (its own operators) is journaled by "<server> (OPC UA)"
 * with Part 9's state name (TimedShelved, OneShotShelved) as the comment: shown so, they read as raw
 * identifiers in every language. One an operator made here at the server (main: engine.ts journalComment)
 * reads "at server <id>", then their own words, kept as typed. Anything else as stored.
 */
export function journalWho(e: Pick<JournalEntry, 'alarmId' | 'condition' | 'event' | 'user' | 'comment'>, t: Tr): { user: string; comment: string } {
  const stored = { user: e.user ?? '', comment: e.comment ?? '' };
  const [head, server] = e.alarmId.split('/');
  if (e.condition !== 'SERVER' || head !== 'server' || !server || !BY_SERVER_EVENTS.has(e.event)) return stored;
  if (e.user === `${server} (OPC UA)`) {
    const kind = e.event === 'shelved' && e.comment !== null && Object.hasOwn(SHELVED_AT_SERVER, e.comment) ? SHELVED_AT_SERVER[e.comment] : undefined;
    return { user: t('alarmsUi.shelve.byServer', { server }), comment: kind ? t('alarmsUi.shelve.reasonAtServer', { kind }) : stored.comment };
  }
  const at = `at server ${server}`;
  if (e.comment === at) return { ...stored, comment: t('alarmsUi.journal.atServer', { server }) };
  if (e.comment?.startsWith(`${at}: `)) return { ...stored, comment: t('common.labelled', { name: t('alarmsUi.journal.atServer', { server }), value: e.comment.slice(at.length + 2) }) };
  return stored;
}
