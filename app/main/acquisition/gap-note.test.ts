/**
 * Gap notes are stored by catalog key and parameters, the retry interval as a number the console
 * writes in its language and units: changing backfillRetry.maxMs changes the words on screen (the
 * words said "10 minutes" whatever it was, and the console matched them back by their exact text).
 * A ledger written before, with its English notes, still reads in the console's words.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Formats, Translator } from '../../shared/i18n/index.js';
import { noteText } from '../../renderer/lib/station-causes.js';
import { backfillRetry } from './backfill-retry.js';
import { GapLedger } from './gap-ledger.js';

const words = (lang: 'en' | 'ru' | 'zh', note: string | null) => {
  const tr = new Translator(lang);
  return noteText(note, tr.t.bind(tr), new Formats(lang, 'UTC'));
};

describe('gap notes stored by key', () => {
  let dir: string;
  const defaults = { ...backfillRetry };
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'vigil-gap-note-'))));
  afterEach(() => {
    Object.assign(backfillRetry, defaults);
    rmSync(dir, { recursive: true, force: true });
  });

  it('carry the retry interval in force, worded by the console in its units', () => {
    const ledger = new GapLedger(join(dir, 'acquisition.sqlite'));
    try {
      backfillRetry.maxMs = 90_000;
      const a = ledger.openGap('plc', 1000, 'connection lost', null);
      ledger.closeGap(a.id, 2000, 'pending');
      const refused = ledger.notArchived(a.id);
      expect(JSON.parse(refused.note!)).toEqual({ key: 'gaps.note.notArchivedRetried', params: { intervalMs: 90_000 } });
      expect(words('en', refused.note)).toBe('not archived: the archive did not take the values; retried every 1\u00a0min 30\u00a0s at most while connected, and at the next connection or start');
      expect(words('ru', refused.note)).toContain('не реже раза в 1\u00a0мин 30\u00a0с,');
      expect(words('zh', refused.note)).toContain('至少每 1分钟30秒重新补数');

      backfillRetry.maxMs = 2 * 3_600_000;
      const b = ledger.openGap('plc', 3000, 'connection lost', null);
      ledger.closeGap(b.id, 4000, 'pending');
      expect(words('en', ledger.notArchived(b.id).note)).toContain('retried every 2\u00a0h at most');
    } finally {
      ledger.close();
    }
  });

  it('reads an older ledger\'s English notes in the console\'s words', () => {
    const file = join(dir, 'old.sqlite');
    // The ledger as the station wrote it before notes were stored by key.
    const db = new Database(file);
    db.exec(`CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL UNIQUE, server TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('gap', 'failover')), t_from INTEGER NOT NULL, t_to INTEGER, cause TEXT NOT NULL,
      endpoint TEXT, to_endpoint TEXT, backfill TEXT, backfilled INTEGER NOT NULL DEFAULT 0, note TEXT, written_at INTEGER);
      CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL); INSERT INTO counter VALUES ('seq', 2);
      INSERT INTO ledger(seq, server, kind, t_from, t_to, cause, backfill, note) VALUES
        (1, 'plc', 'gap', 1000, 5000, 'connection lost', 'pending', 'not archived: the archive did not take the values: retried every 10 minutes at most while connected, and at the next connection or start'),
        (2, 'plc', 'gap', 6000, 9000, 'connection lost', 'pending', 'not filled yet: the server did not answer the history read: retried every 10 minutes at most while connected, and at the next connection or start');`);
    db.close();
    const ledger = new GapLedger(file);
    try {
      const [refused, unanswered] = ledger.list('plc', 10).sort((x, y) => x.id - y.id);
      expect(ledger.unfinishedBackfills('plc').map((g) => g.id)).toEqual([refused!.id, unanswered!.id]);
      expect(words('en', refused!.note)).toBe('not archived: the archive did not take the values; retried every 10\u00a0min at most while connected, and at the next connection or start');
      expect(words('en', unanswered!.note)).toBe('not filled yet: the server did not answer the history read; retried every 10\u00a0min at most while connected, and at the next connection or start');
      expect(words('ru', unanswered!.note)).toContain('сервер не ответил на чтение истории; повтор дозаполнения не реже раза в 10\u00a0мин,');
      expect(words('zh', refused!.note)).toContain('归档未接收这些值；连接期间至少每 10分钟重新补数一次');
    } finally {
      ledger.close();
    }
  });

  it('shows a note that only looks keyed (a key it does not know, a parameter missing) as stored', () => {
    for (const odd of ['{"key":"gaps.note.unknown","params":{}}', '{"key":"gaps.note.historyNotAnswered","params":{}}', '{not json']) {
      expect(words('ru', odd)).toBe(odd);
    }
  });
});
