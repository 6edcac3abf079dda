/**
 * The sync's alarm reaches the operator: a real SyncService over the real
 * alarm journal (its `alarms` stream), an upstream that answers 401, and the
 * real alarms module wired as the station wires it (boot.ts). The upstream
 * pause raises the SYNC alarm of that upstream (unacknowledged, journaled,
 * with its catalog text); taking the upstream back clears it; an alarm kept
 * across a restart clears at the sync's first report; archive data aged out
 * unsent is an event that waits for an acknowledgement.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmsModule } from '../alarms/module.js';
import { fixtureRaw } from '../alarms/engine/testing.js';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { SyncService } from './service.js';
import { alarmEncoder, journalSource } from './streams/alarms.js';
import { SequencedStream } from './streams/sequenced.js';
import { openReadOnly } from './streams/sqlite-source.js';
import { drained, tempDir, until } from './testing/harness.js';
import type { OutboxStream } from './streams/stream.js';
import Database from 'better-sqlite3';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { alarmRow, journalEntry } from '../../shared/api/alarms.js';
import { alarmText } from '../../renderer/lib/alarms/alarm-text.js';
import { journalMessage } from '../../renderer/lib/alarms/journal-text.js';
import type { Lang } from '../../renderer/lib/value-view.js';

/** A console's words and formats in a language, as the renderer's i18n gives them. */
function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** An upstream whose answer the test sets; counts the requests it took. */
async function upstream(): Promise<{ url: string; status: { code: number }; taken: () => number }> {
  const status = { code: 401 };
  let taken = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (status.code === 204) taken++;
      res.writeHead(status.code).end(status.code === 401 ? '{"error":"authorization failed"}' : undefined);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, status, taken: () => taken };
}

async function station(dir: string, url: string | Record<string, string>, extra: Record<string, unknown> = {}) {
  const file = join(dir, 'station.yaml');
  const urls = typeof url === 'string' ? { region: url } : url;
  const upstreams = Object.entries(urls).map(([id, u]) => ({ id, url: u, flavour: 'influxdb1', database: 't', ...extra }));
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { backlogAlarmAfterSec: 3600, upstreams } }));
  const config = new ConfigStore(loadStationConfig(file), { source: file });
  const alarms = AlarmsModule.open({ config, dataDir: dir, logger: silentLogger(), tickMs: 50 });
  alarms.start();
  const reader = openReadOnly(alarms.journal.file);
  const streams = new Map<string, OutboxStream>();
  const source = journalSource(reader);
  const sync = await SyncService.start({
    config: config.current.sync, dataDir: dir, log: silentLogger(), statusIntervalMs: 50, backoff: { baseMs: 10, capMs: 50, maxRetryAfterMs: 100 },
    // gapless: the journal numbers its records without gaps (as the station's sync reads it), so a deleted one is a loss.
    streams: (u) => {
      const s = new SequencedStream('alarms', source, alarmEncoder({ measurement: 'f', site: 'F', dialect: 'v1', stringFields: true }), true);
      streams.set(u.id, s);
      return [s];
    },
    onAlarm: (u, a) => alarms.syncAlarm(u, a),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await sync.stop();
    reader.close();
    alarms.stop();
  };
  cleanups.push(stop);
  const row = (id: string) => alarms.snapshot().rows.find((r) => r.id === id);
  const journal = (id: string) => alarms.journal.read(0, 1000).filter((j) => j.alarmId === id).map((j) => [j.event, j.state, j.condition, j.priority, j.message]);
  const drainedTo = (id: string) => drained(sync.store, id, [streams.get(id)!]);
  return { alarms, sync, row, journal, stop, drainedTo };
}

describe('sync alarm in the alarm engine', () => {
  it('an upstream answering 401 raises SYNC for it (catalog text, journaled); taken back and resumed, it returns and waits for an ack', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const up = await upstream();
    const s = await station(tmp.dir, up.url);
    // Something to send: a gas alarm journaled by the engine (AT-301 HH 25 ppm, no delays).
    s.alarms.write([{ tag: 'AT-301', t: Date.now(), value: 30, status: 0 }]);
    s.alarms.flush();

    await until('the sync alarm raised', () => s.row('sync/region')?.flags.active === true);
    const raised = s.row('sync/region')!;
    expect([raised.kind, raised.condition, raised.state, raised.priority, raised.tag, raised.server]).toEqual(['sync', 'SYNC', 'B', 3, null, null]);
    expect(raised.text?.key).toBe('alarms.sync.paused');
    expect(raised.text?.params.upstream).toBe('region');
    expect(raised.message).toMatch(/^Sending to upstream region is paused: .*401/);
    expect(s.journal('sync/region')).toEqual([['activated', 'B', 'SYNC', 3, raised.message]]);
    expect(s.alarms.snapshot().summary.unacked[2]).toBe(1); // index 2: priority 3, the banner's count

    up.status.code = 204;
    s.sync.resume('region');
    await until('the sync alarm cleared and journaled', () => s.journal('sync/region').length === 2);
    expect(s.row('sync/region')!.state).toBe('D');
    expect(s.journal('sync/region').map((j) => j[0])).toEqual(['activated', 'returned']);
    await until('the journal delivered', () => s.sync.status().upstreams[0]!.backlog.records === 0);
    expect(up.taken()).toBeGreaterThan(0);
  });

  it('an alarm kept across a restart clears at the first report of a sync that delivers', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const up = await upstream();
    const first = await station(tmp.dir, up.url);
    first.alarms.write([{ tag: 'AT-301', t: Date.now(), value: 30, status: 0 }]);
    first.alarms.flush();
    await until('the sync alarm raised', () => first.row('sync/region')?.flags.active === true);
    await first.stop();

    up.status.code = 204;
    const second = await station(tmp.dir, up.url);
    await until('the kept alarm cleared and journaled', () => second.journal('sync/region').length === 2);
    expect(second.journal('sync/region').map((j) => j[0])).toEqual(['activated', 'returned']);
    expect(second.row('sync/region')!.state).toBe('D');
  });

  it('a secret not set: the alarm says why in Russian and Chinese, in the banner and the journal, and still after a restart', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const up = await upstream();
    const variable = 'VIGIL_TEST_SECRET_NEVER_SET_7F3A';
    expect(process.env[variable]).toBeUndefined();
    const first = await station(tmp.dir, up.url, { credentials: { username: 'vigil', secret: { env: variable } } });
    await until('the sync alarm raised', () => first.row('sync/region')?.flags.active === true);
    const english = `Sending to upstream region cannot start: upstream region: environment variable ${variable} is not set (it holds the upstream's secret)`;
    const ru = `Отправка на сервер region не запускается: сервер region: не задана переменная окружения ${variable} (в ней секрет для этого сервера)`;
    const zh = `向上级服务器 region 的发送无法启动：上级服务器 region：未设置环境变量 ${variable}（其中存放该上级服务器的密钥）`;
    const row = first.row('sync/region')!;
    expect(row.message).toBe(english);
    // As the consoles get it (the API's schema): the banner's row.
    const sent = alarmRow.parse(row);
    expect(alarmText(sent.text, sent.message, lang('ru'))).toBe(ru);
    expect(alarmText(sent.text, sent.message, lang('zh'))).toBe(zh);
    expect(alarmText(sent.text, sent.message, lang('en'))).toBe(english);
    const lines = () => first.alarms.journal.read(0, 1000).filter((j) => j.alarmId === 'sync/region').map((j) => journalEntry.parse(j));
    await until('journaled', () => lines().length === 1);
    expect(lines()[0]!.message).toBe(english);
    expect(journalMessage(lines()[0]!, lang('ru'))).toBe(ru);
    expect(journalMessage(lines()[0]!, lang('zh'))).toBe(zh);
    await first.stop();

    // Restarted, before any sync reports: the kept alarm says the same in each language.
    const config = new ConfigStore(loadStationConfig(join(tmp.dir, 'station.yaml')), { source: join(tmp.dir, 'station.yaml') });
    const alarms = AlarmsModule.open({ config, dataDir: tmp.dir, logger: silentLogger(), tickMs: 50 });
    cleanups.push(() => alarms.stop());
    alarms.start();
    const kept = alarmRow.parse(alarms.snapshot().rows.find((r) => r.id === 'sync/region'));
    expect(kept.flags.active).toBe(true);
    expect(alarmText(kept.text, kept.message, lang('ru'))).toBe(ru);
    expect(alarmText(kept.text, kept.message, lang('zh'))).toBe(zh);
  });

  it('archive data aged out unsent: sync-lost is raised and returned at once, listed until acknowledged', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const up = await upstream();
    up.status.code = 204;
    const s = await station(tmp.dir, up.url);
    s.alarms.syncAlarm('*', { kind: 'stopped', message: 'samples: 120 samples of TK101.Level' });
    s.alarms.flush();
    const r = s.row('sync-lost')!;
    expect([r.condition, r.state, r.flags.active, r.flags.acked]).toEqual(['SYNC', 'D', false, false]);
    expect(r.text).toEqual({ key: 'alarms.sync.lostDetail', params: { detail: 'samples: 120 samples of TK101.Level' } });
    expect(s.journal('sync-lost')).toEqual([
      ['activated', 'B', 'SYNC', 3, 'Data missing upstream: samples: 120 samples of TK101.Level'],
      ['returned', 'D', 'SYNC', 3, 'Data missing upstream: samples: 120 samples of TK101.Level'],
    ]);
  });

  it('with two upstreams, sync-lost names the one the data are missing at, in English, Russian and Chinese', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const region = await upstream(), backup = await upstream();
    region.status.code = 204;
    backup.status.code = 204;
    const urls = { region: region.url, backup: backup.url };
    const first = await station(tmp.dir, urls);
    const status = (s: typeof first, id: string) => s.sync.status().upstreams.find((u) => u.id === id)!;
    first.alarms.write([{ tag: 'AT-301', t: Date.now(), value: 30, status: 0 }]);
    first.alarms.flush();
    await until('both took the first records', () => ['region', 'backup'].every((id) => first.drainedTo(id)));
    // backup refuses (paused); what is journaled after that, region takes and backup never reads: the gas alarm returns and comes again.
    backup.status.code = 401;
    first.alarms.write([{ tag: 'AT-301', t: Date.now() + 1, value: 0, status: 0 }]);
    first.alarms.flush();
    await until('backup paused', () => status(first, 'backup').state === 'paused');
    await until('its alarm journaled', () => first.journal('sync/backup').length === 1);
    const seqs = () => first.alarms.journal.read(0, 1000).map((j) => j.seq);
    const took = Math.max(...seqs());
    first.alarms.write([{ tag: 'AT-301', t: Date.now() + 2, value: 30, status: 0 }]);
    first.alarms.write([{ tag: 'AT-301', t: Date.now() + 3, value: 0, status: 0 }]);
    first.alarms.flush();
    await until('journaled', () => Math.max(...seqs()) >= took + 2);
    await until('region took them', () => first.drainedTo('region'));
    const sent = Math.max(...seqs());
    await first.stop();
    // While the station is stopped, what backup never took (and region did) is deleted.
    const writer = new Database(join(tmp.dir, 'alarms.sqlite'));
    expect(writer.prepare('DELETE FROM journal WHERE seq > ? AND seq <= ?').run(took, sent).changes).toBe(sent - took);
    writer.close();

    backup.status.code = 204;
    const second = await station(tmp.dir, urls);
    second.alarms.write([{ tag: 'AT-301', t: Date.now() + 4, value: 30, status: 0 }]); // a record after the deleted ones
    second.alarms.flush();
    await until('sync-lost raised', () => second.row('sync-lost')?.text?.key === 'alarms.sync.lostAt');
    const text = second.row('sync-lost')!.text!;
    expect(second.sync.store.losses().map((l) => l.upstream)).toEqual(['backup']); // region took what was deleted
    expect(text.params.upstream).toBe('backup');
    const detail = `alarms: ${sent - took} records (alarms ${took + 1}–${sent}) deleted at the station before they were sent`;
    expect(text.params.detail).toBe(detail);
    expect(second.row('sync-lost')!.message).toBe(`Data missing at upstream backup: ${detail}`);
    // The detail is the loss as a catalog message, said in the console's language; `alarms` is the stream's name, as the Sync page shows it.
    expect(sent - took).toBe(2);
    const range = `alarms ${took + 1}–${sent}`;
    const ru = `Данные отсутствуют на вышестоящем сервере backup: alarms: 2 записи (${range}) удалены на станции до отправки`;
    const zh = `上级服务器 backup 缺少数据：alarms：2条记录（${range}）在发送前已在本站删除`;
    const row = second.row('sync-lost')!;
    expect(alarmText(row.text, row.message, lang('ru'))).toBe(ru);
    expect(alarmText(row.text, row.message, lang('zh'))).toBe(zh);
    expect(alarmText(row.text, row.message, lang('en'))).toBe(row.message);
    for (const said of [ru, zh]) expect(said).not.toMatch(/records|deleted|station|before|sent/);
    // As the consoles get it (the API's schema), and as the journal keeps it.
    expect(alarmRow.parse(row).text).toEqual(row.text);
    const lines = second.alarms.journal.read(0, 1000).filter((j) => j.alarmId === 'sync-lost');
    expect(lines.map((j) => j.event)).toEqual(['activated', 'returned']);
    for (const j of lines) {
      expect(journalEntry.parse(j).text).toEqual(row.text);
      expect(j.message).toBe(`Data missing at upstream backup: ${detail}`);
      expect(journalMessage(j, lang('ru'))).toBe(ru);
      expect(journalMessage(j, lang('zh'))).toBe(zh);
    }
  });
});
