/**
 * With two upstreams a supervisor must tell which one is missing data: each loss names the
 * upstream it was reported to, and says what was lost as a catalog message, so the Sync page says
 * it in the console's language and the CLI in English from the same catalog; so do restart checks.
 * A real SyncService over the real alarm journal, against Debian's InfluxDB 1.x: both take records
 * 1-2; then `backup` is paused (its database dropped) while `region` takes 3-7, and 3-6 are
 * deleted while the station is stopped, so only backup misses them. Expected texts are written
 * out by hand from the journal's numbers.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalDraft } from '../alarms/engine/types.js';
import { AlarmJournal } from '../alarms/journal/journal.js';
import { silentLogger } from '../log.js';
import { parseStationConfig } from '../station/config-file.js';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { formatStatus } from './cli/output.js';
import { SyncService } from './service.js';
import { SyncStore } from './store/sync-store.js';
import { alarmEncoder, journalSource } from './streams/alarms.js';
import { SequencedStream } from './streams/sequenced.js';
import { openReadOnly } from './streams/sqlite-source.js';
import { drained, tempDir, until } from './testing/harness.js';
import { InfluxServer } from './testing/servers.js';
import { renderText, type SyncText } from '../../shared/sync-text.js';

const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

const draft = (t: number): JournalDraft => ({
  t, alarmId: 'TK101.Level/limit', tag: 'TK101.Level', area: 'Area 1', condition: 'HH', event: 'activated', state: 'B',
  value: 9.75, valueSuspect: false, priority: 1, user: null, comment: null, message: 'Tank 101 level high high', text: null,
});

/** As the Sync page says it in `locale` (times in UTC here, so the expectations do not depend on the machine's zone). */
function said(text: SyncText, locale: Locale): string {
  const tr = new Translator(locale);
  const fmt = new Formats(locale, 'UTC');
  return renderText(text, (key, params) => tr.t(key, params), { dateTime: (ms) => fmt.dateTime(ms), list: (items) => fmt.list(items) });
}

describe('data missing upstream, with two upstreams', () => {
  it('names the upstream that misses it, and reads in English, Russian and Chinese; so does a restart check', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('region');
    await influx.createDatabase('backup');
    const config = parseStationConfig(`station: { name: Tank Farm North }
servers: [{ id: sim, endpoint: "opc.tcp://127.0.0.1:4840/vigil" }]
areas: [{ id: A, name: Area A }]
tags: []
sync:
  backlogAlarmAfterSec: 3600
  upstreams:
    - { id: region, flavour: influxdb1, url: "${influx.url}", database: region, flushIntervalMs: 50 }
    - { id: backup, flavour: influxdb1, url: "${influx.url}", database: backup, flushIntervalMs: 50 }
`, 'farm.yaml');
    const journal = AlarmJournal.open(tmp.dir);
    const reader = openReadOnly(journal.file);
    const source = journalSource(reader);
    const streams = new Map<string, SequencedStream<unknown>>();
    const now = Date.now();
    journal.write([draft(now + 1), draft(now + 2)]);

    /** The station's sync, started (again) on the same sync.sqlite. */
    const start = () => SyncService.start({
      config: config.sync, dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50, probeIntervalMs: 100,
      backoff: { baseMs: 10, capMs: 50, maxRetryAfterMs: 100 },
      streams: (u) => {
        const s = new SequencedStream('alarms', source, alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }), true);
        streams.set(u.id, s as SequencedStream<unknown>);
        return [s];
      },
    });
    let svc = await start();
    let stopped = false;
    cleanups.push(async () => { if (!stopped) await svc.stop(); reader.close(); journal.close(); });
    const upstream = (id: string) => svc.status().upstreams.find((u) => u.id === id)!;

    for (const id of ['region', 'backup']) await until(`${id} took 1-2`, () => drained(svc.store, id, [streams.get(id)!]));
    await influx.query('DROP DATABASE "backup"');
    journal.write([3, 4, 5, 6, 7].map((k) => draft(now + k)));
    await until('region took 3-7', () => drained(svc.store, 'region', [streams.get('region')!]));
    await until('backup paused (no such database)', () => upstream('backup').state === 'paused');
    // While the station is stopped, 3-6 are deleted (as a journal pruned by time alone, by an older
    // version, lost them), which backup never took; its database is made again.
    await svc.stop();
    const writer = new Database(journal.file);
    expect(writer.prepare('DELETE FROM journal WHERE seq BETWEEN 3 AND 6').run().changes).toBe(4);
    writer.close();
    await influx.createDatabase('backup');
    svc = await start();
    await until('backup took 7', () => drained(svc.store, 'backup', [streams.get('backup')!]));
    await until('the loss in the status', () => svc.status().losses.length > 0);

    const losses = svc.status().losses;
    expect(losses.map((l) => [l.upstream, l.stream, l.detail])).toEqual([['backup', 'alarms', '4 records (alarms 3–6) deleted at the station before they were sent']]);
    const text = losses[0]!.text!;
    expect(said(text, 'en')).toBe('4 records (alarms 3–6) deleted at the station before they were sent');
    expect(said(text, 'ru')).toBe('4 записи (alarms 3–6) удалены на станции до отправки');
    expect(said(text, 'zh')).toBe('4条记录（alarms 3–6）在发送前已在本站删除');

    // The upstream restarts: each upstream's check says what it found, in each language.
    await until('the upstream has lived 2 s', () => Date.now() - influx.startedAt > 2000);
    await influx.stop();
    await influx.restart();
    await until('both restarts checked', () => ['region', 'backup'].every((id) => upstream(id).restarts === 1 && upstream(id).restartCheck !== null), 30_000);
    const check = upstream('region').restartCheck!;
    const time = { en: '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}', ru: '\\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2}:\\d{2}', zh: '\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}' };
    expect(check.message).toMatch(/^upstream region restarted at \d{4}-\d{2}-\d{2}T[\d:.]+Z: it holds what it acknowledged up to \d{4}-\d{2}-\d{2}T[\d:.]+Z; \d+ range\(s\) and 0 retried line\(s\) sent again$/);
    expect(said(check.text!, 'en')).toMatch(new RegExp(`^upstream region restarted at ${time.en}: it holds what it acknowledged up to ${time.en}; \\d+ range\\(s\\) and 0 retried line\\(s\\) sent again$`));
    expect(said(check.text!, 'ru')).toMatch(new RegExp(`^сервер region перезапущен в ${time.ru}: на нём есть всё, приём чего он подтвердил до ${time.ru}; повторно отправлено интервалов: \\d+, строк из карантина: 0$`));
    expect(said(check.text!, 'zh')).toMatch(new RegExp(`^上级服务器 region 于 ${time.zh} 重启：它保存着截至 ${time.zh} 确认接收的数据；已重新发送 \\d+个区间和 0条重试的行$`));
    // region's re-send window reads 3-6 again, gone since it took them: a loss of region's, told apart from backup's.
    await until('the loss of the re-send', () => svc.status().losses.length === 2);
    const [, resend] = svc.status().losses;
    expect([resend!.upstream, resend!.stream]).toEqual(['region', 'alarms']);
    expect(resend!.detail).toMatch(/^sending again \(upstream region restarted at \S+Z\): 4 records \(alarms 3–6\) deleted at the station before they could be sent again$/);
    // The re-send's reason (the restart) is said in the language too, not left in English.
    expect(said(resend!.text!, 'ru')).toMatch(new RegExp(`^при повторной отправке \\(сервер region перезапущен в ${time.ru}\\): 4 записи \\(alarms 3–6\\) удалены на станции до того, как их удалось отправить повторно$`));
    expect(said(resend!.text!, 'zh')).toMatch(new RegExp(`^重新发送时（上级服务器 region 于 ${time.zh} 重启）：4条记录（alarms 3–6）在重新发送前已在本站删除$`));

    // The CLI, from what the stopped station wrote: the loss under its upstream's name, the check, in English from the catalog.
    await svc.stop();
    stopped = true;
    const store = SyncStore.openReadOnly(join(tmp.dir, 'sync.sqlite'));
    const printed = formatStatus(store, config, false).split('\n');
    store.close();
    expect(printed.filter((l) => /^ {2}\d{4}-.*alarms: /.test(l))).toEqual([
      `  ${new Date(losses[0]!.at).toISOString()}  backup  alarms: 4 records (alarms 3–6) deleted at the station before they were sent`,
      `  ${new Date(resend!.at).toISOString()}  region  alarms: ${resend!.detail}`,
    ]);
    expect(printed.filter((l) => l.startsWith('  restart check')).map((l) => l.replace(/^ {2}restart check {2}\S+ {2}/, ''))).toEqual([
      expect.stringMatching(/^upstream region restarted at \S+Z: it holds what it acknowledged up to \S+Z; \d+ range\(s\) and 0 retried line\(s\) sent again$/),
      expect.stringMatching(/^upstream backup restarted at \S+Z: it holds what it acknowledged up to \S+Z; \d+ range\(s\) and 0 retried line\(s\) sent again$/),
    ]);
  });
});
