/**
 * A loss found while sending again says why it was sent again in the console's language: the
 * re-send's reason is kept in sync.sqlite as a catalog message (store/replay-reason.ts), read back
 * by the replay that finds records deleted at the station. The real alarm journal (records 3-6
 * deleted), the real sync.sqlite, the real replay lane. Renderings written out here by hand.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalDraft } from '../../alarms/engine/types.js';
import { AlarmJournal } from '../../alarms/journal/journal.js';
import { Formats, Translator, type Locale } from '../../../shared/i18n/index.js';
import { renderText, type SyncText, text } from '../../../shared/sync-text.js';
import { reasonColumn } from '../store/replay-reason.js';
import { SyncStore } from '../store/sync-store.js';
import { alarmEncoder, journalSource } from '../streams/alarms.js';
import { SequencedStream } from '../streams/sequenced.js';
import { openReadOnly } from '../streams/sqlite-source.js';
import { tempDir } from '../testing/harness.js';
import { replayBatch } from './replays.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(() => { for (const c of cleanups.reverse()) c(); tmp.remove(); });

const T = Date.UTC(2026, 11, 6, 3, 0, 0);
const draft = (t: number): JournalDraft => ({
  t, alarmId: 'TK101.Level/limit', tag: 'TK101.Level', area: 'Area 1', condition: 'HH', event: 'activated', state: 'B',
  value: 9.75, valueSuspect: false, priority: 1, user: null, comment: null, message: 'Tank 101 level high high', text: null,
});

function said(t: SyncText, locale: Locale): string {
  const tr = new Translator(locale);
  const fmt = new Formats(locale, 'UTC');
  return renderText(t, (key, params) => tr.t(key, params), { dateTime: (ms) => fmt.dateTime(ms), list: (items) => fmt.list(items) });
}

describe('a loss found by a re-send', () => {
  const journal = AlarmJournal.open(tmp.dir);
  journal.write([1, 2, 3, 4, 5, 6, 7].map((k) => draft(T + k)));
  const db = new Database(journal.file);
  db.prepare('DELETE FROM journal WHERE seq BETWEEN 3 AND 6').run();
  db.close();
  const reader = openReadOnly(journal.file);
  const store = SyncStore.open(join(tmp.dir, 'sync.sqlite'));
  cleanups.push(() => journal.close(), () => reader.close(), () => store.close());
  const stream = new SequencedStream('alarms', journalSource(reader), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }), true);

  /** The loss the replay of [2, 7] to `upstream` reports (a hole is reported once per upstream), as the sync keeps it. */
  function lossOf(upstream: string, reason: string): { detail: string; text: SyncText } {
    const id = store.addReplay({ upstream, stream: 'alarms', kind: 'cursor', from: '2', to: '7', reason, requestedAt: T });
    const losses: { detail: string; text: SyncText }[] = [];
    replayBatch(store, [stream], upstream, id, 100, (_stream, detail, t) => losses.push({ detail, text: t }));
    store.endReplay(id);
    expect(losses).toHaveLength(1);
    return losses[0]!;
  }

  it('says the reason (what the restart check found) in Russian and Chinese, and in English as before', () => {
    const restarted = text('sync.check.restarted', { upstream: 'region', startedAt: T + 60_000 });
    const why = text('sync.loss.checkFound', { reason: restarted, found: text('sync.check.holds', { upToAt: T + 30_000 }) });
    const loss = lossOf('region', reasonColumn(why));
    expect(loss.detail).toBe('sending again (upstream region restarted at 2026-12-06T03:01:00.000Z: it holds what it acknowledged up to 2026-12-06T03:00:30.000Z): ' +
      '4 records (alarms 3–6) deleted at the station before they could be sent again');
    expect(said(loss.text, 'ru')).toBe('при повторной отправке (сервер region перезапущен в 06.12.2026, 03:01:00: на нём есть всё, приём чего он подтвердил до 06.12.2026, 03:00:30): ' +
      '4 записи (alarms 3–6) удалены на станции до того, как их удалось отправить повторно');
    expect(said(loss.text, 'zh')).toBe('重新发送时（上级服务器 region 于 2026/12/06 03:01:00 重启：它保存着截至 2026/12/06 03:00:30 确认接收的数据）：' +
      '4条记录（alarms 3–6）在重新发送前已在本站删除');
    for (const locale of ['ru', 'zh'] as const) expect(said(loss.text, locale)).not.toMatch(/\b(upstream|restarted|holds|acknowledged|sending|records|deleted)\b/);
  });

  it('a reason kept as English text by an earlier version is said as it is', () => {
    const loss = lossOf('backup', 'upstream region restarted at 2026-12-06T03:01:00.000Z');
    expect(said(loss.text, 'ru')).toBe('при повторной отправке (upstream region restarted at 2026-12-06T03:01:00.000Z): ' +
      '4 записи (alarms 3–6) удалены на станции до того, как их удалось отправить повторно');
  });
});
