/**
 * Lines an upstream refuses go to the quarantine, and that is never silent: the upstream's SYNC
 * alarm is raised (catalog text with what to do, journaled, said in Russian and Chinese), once per
 * new cause (not again as more lines are quarantined), cleared when an engineer asks to retry the
 * quarantine (lines refused again after that raise nothing: the engineer has seen them), raised again
 * by lines quarantined after that, and cleared for good when a retry empties the quarantine. Before,
 * a station whose clock was days fast quarantined every live line and no alarm said so.
 * A real alarms module and journal wired as boot.ts wires them, a real SyncService, and a local
 * upstream answering InfluxDB 1.x's own 400 for points beyond its retention policy.
 */
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import { AlarmsModule } from '../alarms/module.js';
import { fixtureRaw } from '../alarms/engine/testing.js';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { SyncService } from './service.js';
import { Historian } from '../../../historian/index.js';
import { Good } from '../../../historian/status.js';
import { tagConfig } from '../../../historian/store/testing.js';
import { SampleEncoder } from './line-protocol/samples.js';
import { SamplesStream } from './streams/samples.js';
import { tempDir, until } from './testing/harness.js';
import { Formats, Translator, type Locale } from '../../shared/i18n/index.js';
import { alarmRow, journalEntry } from '../../shared/api/alarms.js';
import { syncStatus } from '../../shared/api/sync.js';
import { alarmText } from '../../renderer/lib/alarms/alarm-text.js';
import { journalMessage } from '../../renderer/lib/alarms/journal-text.js';
import { syncText } from '../../renderer/lib/sync-text.js';
import type { Lang } from '../../renderer/lib/value-view.js';

function lang(locale: Locale): Lang {
  const tr = new Translator(locale);
  return { t: (k, p) => tr.t(k, p), fmt: new Formats(locale) };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/**
 * An InfluxDB 1.x stand-in: while `refuse`, every write is answered as InfluxDB answers a write of
 * points older than its retention policy (400, none stored); otherwise 204. Counts the lines it took.
 */
async function upstream(): Promise<{ url: string; refuse: { on: boolean }; took: () => number }> {
  const refuse = { on: true };
  let took = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const lines = body.split('\n').filter((l) => l.length > 0).length;
      if (!refuse.on) {
        took += lines;
        res.writeHead(204).end();
        return;
      }
      res.writeHead(400, { 'Content-Type': 'application/json', 'X-Influxdb-Version': '1.6.7' })
        .end(`{"error":"partial write: points beyond retention policy dropped=${lines}"}\n`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, refuse, took: () => took };
}

it('quarantined lines raise the upstream\'s SYNC alarm once per new cause; a retry clears it; lines quarantined after it raise it again', async () => {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const up = await upstream();
  const file = join(tmp.dir, 'station.yaml');
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { backlogAlarmAfterSec: 3600, upstreams: [{ id: 'region', url: up.url, flavour: 'influxdb1', database: 't' }] } }));
  const config = new ConfigStore(loadStationConfig(file), { source: file });
  const alarms = AlarmsModule.open({ config, dataDir: tmp.dir, logger: silentLogger(), tickMs: 50 });
  alarms.start();
  cleanups.push(() => alarms.stop());
  const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  cleanups.push(() => h.close());
  h.defineTag(tagConfig('TK1.Level', { unit: 'm' }), 0);
  const sync = await SyncService.start({
    config: config.current.sync, dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50, backoff: { baseMs: 10, capMs: 50, maxRetryAfterMs: 100 },
    streams: () => [new SamplesStream(h, new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' }), () => 'Area1')],
    onAlarm: (u, a) => alarms.syncAlarm(u, a),
  });
  cleanups.push(() => sync.stop());

  const row = () => alarms.snapshot().rows.find((r) => r.id === 'sync/region');
  const journal = () => alarms.journal.read(0, 1000).filter((j) => j.alarmId === 'sync/region');
  const status = () => sync.status().upstreams[0]!;
  let t = Date.now() - 3_600_000;
  /** Archives `count` samples: the lines sent upstream. */
  const write = (count: number) => {
    h.append('TK1.Level', Array.from({ length: count }, (_, i) => ({ t: t + i * 1000, value: i, status: Good })));
    h.flush();
    t += count * 1000;
  };

  write(3);
  await until('the refused lines quarantined and the alarm raised', () => status().quarantined > 0 && row()?.flags.active === true);
  const raised = row()!;
  expect([raised.kind, raised.condition, raised.state, raised.priority]).toEqual(['sync', 'SYNC', 'B', 3]);
  expect(raised.text?.key).toBe('alarms.sync.quarantined');
  expect(raised.text?.params.upstream).toBe('region');
  // The count and the first reason (InfluxDB's own answer), and what to do.
  const first = sync.store.quarantine({ upstream: 'region' })[0]!;
  expect(first.reason).toMatch(/^HTTP 400: .*partial write: points beyond retention policy dropped=\d+/);
  const n = status().quarantined;
  const lines = n === 1 ? '1 line' : `${n} lines`;
  // The first reason as the sync words InfluxDB's answer (sync.fault.beyondRetention), its own words after.
  const dropped = /dropped=(\d+)/.exec(first.reason)![1]!;
  const firstSaid = `HTTP 400: the upstream dropped ${dropped === '1' ? '1 line' : `${dropped} lines`} of the request as older than its retention policy (partial write: points beyond retention policy dropped=${dropped})`;
  const detail = `${lines} quarantined since ${new Date(first.at).toISOString()}, the first: ${firstSaid}. Correct what it names (often the station clock or the upstream's retention), then retry the lines on the Sync page`;
  const english = `Data for upstream region not sent: ${detail}`;
  expect(raised.message).toBe(english);
  expect(status().alarm).toMatchObject({ kind: 'quarantined', message: detail });
  expect(syncStatus.parse(sync.status()).upstreams[0]!.alarm?.kind).toBe('quarantined'); // as the consoles get it
  await until('journaled', () => journal().length === 1);
  expect(journal().map((j) => [j.event, j.state, j.condition, j.priority, j.message])).toEqual([['activated', 'B', 'SYNC', 3, english]]);
  // In the console's language: the banner and the journal.
  const sent = alarmRow.parse(raised);
  const ru = alarmText(sent.text, sent.message, lang('ru'));
  const zh = alarmText(sent.text, sent.message, lang('zh'));
  expect(ru).toMatch(/^Данные для сервера region не отправлены: \d+ строк[аи]? в карантине с .*, первая: HTTP 400: .*Устраните названную причину \(часто это часы станции или срок хранения на сервере\), затем повторите строки на странице «Передача»$/);
  expect(zh).toMatch(/^发往上级服务器 region 的数据未发送：自 .* 起 \d+行被隔离，第一行的原因：HTTP 400：.*请排除所述原因（常见为本站时钟或上级服务器的保留策略），然后在“同步”页面重试这些行$/);
  for (const said of [ru, zh]) expect(said).not.toMatch(/quarantined|Check|retry/);
  const entry = journalEntry.parse(journal()[0]);
  expect(journalMessage(entry, lang('ru'))).toBe(ru);
  expect(journalMessage(entry, lang('zh'))).toBe(zh);

  // More lines quarantined: the same cause, only the count changes: nothing new for the operator.
  write(5);
  // Seen in a status: that status's alarm was passed on, or not, before it was kept.
  await until('the new lines quarantined', () => status().quarantined === n + 5);
  expect(journal()).toHaveLength(1);
  expect(row()!.message).toBe(english);

  // The engineer retries: the alarm clears; the lines refused again raise nothing (they were seen).
  const held = status().quarantined;
  expect(sync.retryQuarantine('region')).toBe(held);
  await until('the alarm cleared and journaled', () => journal().length === 2);
  expect(journal().map((j) => j.event)).toEqual(['activated', 'returned']);
  await until('the retried lines refused again', () => sync.store.quarantine({ upstream: 'region', retry: true }).length === 0);
  const refusedAgain = Date.now();
  await until('a status after that', () => sync.status().at > refusedAgain);
  expect(status().quarantined).toBe(held);
  expect(journal()).toHaveLength(2);
  expect(status().alarm).toBeNull();

  // A line quarantined after the retry: raised again, naming it.
  write(1);
  await until('raised again', () => journal().length === 3);
  expect(journal()[2]!.event).toBe('activated');
  expect(status().alarm).toMatchObject({ kind: 'quarantined', message: expect.stringMatching(/^1 line quarantined since /) });

  // The upstream takes them now; a retry empties the quarantine and the alarm stays cleared.
  up.refuse.on = false;
  sync.retryQuarantine('region');
  await until('the quarantine emptied', () => status().quarantined === 0);
  await until('the alarm cleared', () => journal().length === 4);
  expect(journal()[3]!.event).toBe('returned');
  expect(up.took()).toBe(n + 5 + 1);
  expect(held).toBe(n + 5);
  expect(status().alarm).toBeNull();
});

/**
 * A line the station itself cannot write for the upstream (a text with a line break, which the line
 * protocol cannot carry) is quarantined before it is sent, and a retry cannot send it: the alarm says
 * so instead of advising a retry, and says the station's reason in the console's language (it was
 * English in a Russian console). The upstream takes everything it is sent.
 */
it('lines the station cannot write raise the alarm in the console\'s language, without advising a retry that cannot send them', async () => {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const up = await upstream();
  up.refuse.on = false;
  const file = join(tmp.dir, 'station.yaml');
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { backlogAlarmAfterSec: 3600, upstreams: [{ id: 'region', url: up.url, flavour: 'influxdb1', database: 't' }] } }));
  const config = new ConfigStore(loadStationConfig(file), { source: file });
  const alarms = AlarmsModule.open({ config, dataDir: tmp.dir, logger: silentLogger(), tickMs: 50 });
  alarms.start();
  cleanups.push(() => alarms.stop());
  const h = Historian.open(join(tmp.dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  cleanups.push(() => h.close());
  h.defineTag(tagConfig('TK1.Mode', {}, 'text'), 0);
  const sync = await SyncService.start({
    config: config.current.sync, dataDir: tmp.dir, log: silentLogger(), statusIntervalMs: 50, backoff: { baseMs: 10, capMs: 50, maxRetryAfterMs: 100 },
    streams: () => [new SamplesStream(h, new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: true, textAs: 'field' }), () => 'Area1')],
    onAlarm: (u, a) => alarms.syncAlarm(u, a),
  });
  cleanups.push(() => sync.stop());
  const row = () => alarms.snapshot().rows.find((r) => r.id === 'sync/region');
  const journal = () => alarms.journal.read(0, 1000).filter((j) => j.alarmId === 'sync/region');
  const status = () => sync.status().upstreams[0]!;

  const t = Date.now() - 60_000;
  h.append('TK1.Mode', [{ t, value: 'auto', status: Good }, { t: t + 1000, value: 'fill\nhold', status: Good }, { t: t + 2000, value: 'hold', status: Good }]);
  h.flush();
  await until('the line quarantined and the alarm raised', () => status().quarantined === 1 && row()?.flags.active === true);
  await until('the two good lines taken', () => up.took() === 2);
  const q = sync.store.quarantine({ upstream: 'region' })[0]!;
  expect(q.origin).toBe('station');
  // English for the log, the CLI and the export, as before.
  expect(q.reason).toBe('text value "fill\\nhold" holds a line break, which the line protocol cannot carry');
  const detail = `1 line the station cannot write for this upstream since ${new Date(q.at).toISOString()}, the first: ${q.reason}. `
    + 'They cannot be sent as they are: correct what it names (the tag\'s value or name, the station\'s configuration or clock), then send that time range again (Send again on the Sync page); Retry quarantined lines there marks them as seen';
  expect(status().alarm).toMatchObject({ kind: 'quarantined', message: detail });
  expect(row()!.message).toBe(`Data for upstream region not sent: ${detail}`);

  const sent = alarmRow.parse(row());
  const ru = alarmText(sent.text, sent.message, lang('ru'));
  const zh = alarmText(sent.text, sent.message, lang('zh'));
  expect(ru).toMatch(/^Данные для сервера region не отправлены: 1 строку станция не может записать для этого сервера с .*, первая: текстовое значение "fill\\nhold" содержит перевод строки, который протокол строк не передаёт\. В таком виде их не отправить: .*«Повторить строки из карантина» там отмечает их как просмотренные$/);
  expect(zh).toMatch(/^发往上级服务器 region 的数据未发送：自 .* 起本站有 1行无法为该上级服务器写出，第一行的原因：文本值 "fill\\nhold" 含有换行符，行协议无法承载。/);
  for (const said of [ru, zh]) expect(said).not.toMatch(/holds a line break|then retry|затем повторите|然后在/);
  await until('journaled', () => journal().length === 1);
  expect(journalMessage(journalEntry.parse(journal()[0]), lang('ru'))).toBe(ru);

  // The quarantine row keeps its reason as a message too: the Sync page can say it in the console's language.
  expect(q.said).not.toBeNull();
  expect(syncText(q.said!, lang('ru'))).toBe('текстовое значение "fill\\nhold" содержит перевод строки, который протокол строк не передаёт');

  // Retry marks it seen (nothing goes again: the station cannot write it) and clears the alarm.
  expect(sync.retryQuarantine('region')).toBe(0);
  await until('the alarm cleared and journaled', () => journal().length === 2);
  expect(status().quarantined).toBe(1);
  expect(up.took()).toBe(2);
});
