/**
 * Alarm journal lines deleted by retention before they were sent are a hole upstream: reported
 * once per hole, whatever reads it again. Against Debian's InfluxDB 1.x and a real journal file
 * (the alarms module's AlarmJournal, read on the sync's own read-only connection). Found by the
 * last session: after an upstream restart, the re-send window's replay read the hole again and
 * listed it a second time, so a supervisor counted two losses for one hole.
 * Expectations are hand counts of the journal's numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalDraft } from '../../alarms/engine/types.js';
import { AlarmJournal } from '../../alarms/journal/journal.js';
import { silentLogger } from '../../log.js';
import { SyncStore } from '../store/sync-store.js';
import { alarmEncoder, journalSource } from '../streams/alarms.js';
import { SequencedStream } from '../streams/sequenced.js';
import { openReadOnly } from '../streams/sqlite-source.js';
import { FaultProxy } from '../testing/fault-proxy.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { InfluxServer } from '../testing/servers.js';
import { UpstreamWorker } from './worker.js';

const DAY = 86_400_000;
const tmp = tempDir();
const cleanups: (() => unknown)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); tmp.remove(); });

const draft = (t: number): JournalDraft => ({
  t, alarmId: 'TK101.Level/limit', tag: 'TK101.Level', area: 'Area 1', condition: 'HH', event: 'activated', state: 'B',
  value: 9.75, valueSuspect: false, priority: 1, user: null, comment: null, message: 'Tank 101 level high high', text: null,
});

describe('a hole in the alarm journal upstream', () => {
  it('is reported once, through restarts of the upstream whose re-sends read it again; a new hole, and numbers gone since they were sent, are reported', async () => {
    const influx = await InfluxServer.launch();
    cleanups.push(() => influx.dispose());
    await influx.createDatabase('t');
    const proxy = await FaultProxy.start(influx.url);
    cleanups.push(() => proxy.close());
    const dir = mkdtempSync(join(tmpdir(), 'vigil-loss-once-'));
    const journal = AlarmJournal.open(dir);
    const reader = openReadOnly(journal.file);
    const store = SyncStore.open(join(tmp.dir, 'once.sync.sqlite'));
    const stream = new SequencedStream('alarms', journalSource(reader), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }), true);
    const losses: string[] = [];
    let worker: UpstreamWorker | null = null;
    /** The station (its sync) started again on the same sync.sqlite. */
    const startStation = () => {
      worker = new UpstreamWorker({
        // The default re-send window: what was acknowledged in the last minute goes again after a restart.
        config: upstreamConfig({ url: proxy.url, flavour: 'influxdb1', flushIntervalMs: 50, batch: { lines: 200 }, resendWindowSec: 60 }),
        store, streams: [stream], log: silentLogger(), secret: null, probeIntervalMs: 100,
        backoff: { baseMs: 20, capMs: 100, maxRetryAfterMs: 1000 }, onLoss: (s, d) => losses.push(`${s}: ${d}`),
      });
      worker.start();
      return worker;
    };
    cleanups.push(async () => { await worker?.stop(); store.close(); reader.close(); journal.close(); rmSync(dir, { recursive: true, force: true }); });
    const upstreamSeqs = async () => {
      const r = await influx.query('SELECT seq FROM tf_alarms', 't');
      return (r.series?.[0]?.values ?? []).map((v) => v[1] as number).sort((a, b) => a - b);
    };
    const restartUpstream = async (n: number) => {
      await until('the upstream has lived 2 s', () => Date.now() - influx.startedAt > 2000);
      const writes = proxy.writes.length;
      await influx.stop();
      await influx.restart();
      await until(`restart ${n} seen`, () => worker!.status().restarts === n);
      await until('the re-send window sent again', () => drained(store, 'region', [stream]) && proxy.writes.length > writes);
      return proxy.writes.slice(writes).flatMap((w) => w.lines);
    };
    const now = Date.now();
    startStation();

    // 1-4 sent; 5-10 written while the station's sync was stopped, and deleted by the journal's retention before it started again.
    journal.write([1, 2, 3, 4].map((k) => draft(now - 10 * DAY + k)));
    await until('1-4 acknowledged', () => drained(store, 'region', [stream]));
    await worker!.stop();
    journal.write([5, 6, 7, 8, 9, 10].map((k) => draft(now - 10 * DAY + k)));
    journal.write([draft(now + 11)]);
    expect(journal.prune(5, now)).toBe(10);
    startStation();
    await until('11 acknowledged', () => drained(store, 'region', [stream]));
    expect(losses).toEqual(['alarms: 6 records (alarms 5–10) deleted at the station before they were sent']);

    // The upstream restarts: the re-send window's ranges, (4, 11] among them, go again and read the hole again.
    const again = await restartUpstream(1);
    expect(again.some((l) => l.includes('seq=11i'))).toBe(true);
    expect(losses).toHaveLength(1);

    // A new hole: 12-14 deleted before they were sent (a journal pruned by an older version, by time alone).
    await worker!.stop();
    journal.write([12, 13, 14, 15].map((k) => draft(now + k)));
    const writer = new Database(journal.file);
    writer.prepare('DELETE FROM journal WHERE seq BETWEEN 12 AND 14').run();
    writer.close();
    startStation();
    await until('15 acknowledged', () => drained(store, 'region', [stream]));
    expect(losses).toEqual([
      'alarms: 6 records (alarms 5–10) deleted at the station before they were sent',
      'alarms: 3 records (alarms 12–14) deleted at the station before they were sent',
    ]);

    // 15 and 16 acknowledged, 15 deleted at the station since. Another restart: both holes read again
    // and not reported again; 15, which cannot go again if the upstream lost it, is new and reported.
    journal.write([draft(now + 16)]);
    await until('16 acknowledged', () => drained(store, 'region', [stream]));
    const writer2 = new Database(journal.file);
    writer2.prepare('DELETE FROM journal WHERE seq = 15').run();
    writer2.close();
    const again2 = await restartUpstream(1);
    expect(again2.some((l) => l.includes('seq=11i'))).toBe(true);
    expect(losses).toHaveLength(3);
    expect(losses[2]).toMatch(/^alarms: sending again \(upstream region restarted at .*\): 1 record \(alarms 15\) deleted at the station before they could be sent again$/);
    expect(await upstreamSeqs()).toEqual([1, 2, 3, 4, 11, 15, 16]);
  }, 90_000);
});
