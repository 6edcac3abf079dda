/**
 * A batch left in flight by a stopped or killed station, resumed: no line the upstream did not
 * acknowledge is skipped, whatever changed in the source meanwhile, and lines it did acknowledge
 * go again only when the batch cannot be matched line for line. Real Lanes, BatchSender and
 * SyncStore (sync.sqlite on disk); the upstream answers per request (testing/lane-runner.ts).
 */
import Database from 'better-sqlite3';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import { Good } from '../../../../historian/status.js';
import { tagConfig } from '../../../../historian/store/testing.js';
import { SampleEncoder } from '../line-protocol/samples.js';
import { SYNC_DDL, SYNC_FORMAT } from '../store/schema.js';
import { SyncStore } from '../store/sync-store.js';
import { SamplesStream } from '../streams/samples.js';
import { type SequencedSource, SequencedStream } from '../streams/sequenced.js';
import { tempDir } from '../testing/harness.js';
import { laneRun } from '../testing/lane-runner.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function syncFile(): string {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  return join(tmp.dir, 'sync.sqlite');
}

/** A journal numbered without gaps (1, 2, ...), held in memory: records can be deleted between runs. */
function journal(n: number) {
  const rows = new Map<number, number>(Array.from({ length: n }, (_, i) => [i + 1, 1000 + i]));
  const sorted = () => [...rows.keys()].sort((a, b) => a - b);
  const source: SequencedSource<number> = {
    read: (after, max, until) => sorted().filter((s) => s > after && (until === null || s <= until)).slice(0, max)
      .map((seq) => ({ seq, writtenAt: rows.get(seq)!, record: seq })),
    head: () => (rows.size ? Math.max(...rows.keys()) : null),
    backlog: (after) => {
      const k = sorted().filter((s) => s > after);
      return { records: k.length, oldestWrittenAt: k.length ? rows.get(k[0]!)! : null };
    },
  };
  const stream = new SequencedStream('alarms', source, (seq, out) => out.push(`alarms seq=${seq}i ${seq}`, seq, String(seq)), true);
  return { rows, stream };
}

const seqOf = (line: string) => Number(/seq=(\d+)i/.exec(line)![1]);
const counts = (requests: string[][]) => {
  const m = new Map<number, number>();
  for (const l of requests.flat()) m.set(seqOf(l), (m.get(seqOf(l)) ?? 0) + 1);
  return m;
};
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('a batch resumed after the station stopped', () => {
  it('skips exactly the lines acknowledged before, when it reads back the same lines', async () => {
    const file = syncFile();
    const { stream } = journal(20);
    let n = 0;
    const first = laneRun(file, [stream], { batchLines: 10, requestLines: 4, answer: () => (n++ === 0 ? { kind: 'ok' } : 'hang') });
    await first.go();
    expect(first.acked.flat().map(seqOf)).toEqual([1, 2, 3, 4]);
    const second = laneRun(file, [stream], { batchLines: 10, requestLines: 4, answer: () => ({ kind: 'ok' }) });
    await second.go();
    // 5..8 were in the request the kill cut: sent again; 1..4 not.
    expect(second.acked.flat().map(seqOf)).toEqual(range(5, 20));
  });

  it('goes again whole when its source changed meanwhile: records deleted ahead of it skip nothing', async () => {
    const file = syncFile();
    const { rows, stream } = journal(20);
    let n = 0;
    const first = laneRun(file, [stream], { batchLines: 10, requestLines: 4, answer: () => (n++ === 0 ? { kind: 'ok' } : 'hang') });
    await first.go();
    for (const s of [1, 2, 3]) rows.delete(s); // retention while the station was down: the batch now reads 4..13
    const second = laneRun(file, [stream], { batchLines: 10, requestLines: 4, answer: () => ({ kind: 'ok' }) });
    await second.go();
    const upstream = counts([...first.acked, ...second.acked]);
    for (const s of range(4, 20)) expect(upstream.get(s), `record ${s}`).toBeGreaterThanOrEqual(1);
    const state = SyncStore.open(file);
    cleanups.push(() => state.close());
    // The batch read again up to where it ended (4..10) goes whole, counted as re-sent; 11..20 are new.
    expect(second.acked[0]!.map(seqOf)).toEqual([4, 5, 6, 7]);
    expect(state.counters('u')).toEqual({ sent: 10, resent: 7 });
  });

  it('counts each try whose answer never came, across a restart: two timeouts and a kill during the third are three copies', async () => {
    const file = syncFile();
    const { stream } = journal(8);
    let n = 0;
    // The upstream may have stored each (a timeout after the request went); the third is cut by the kill.
    const unknown = { kind: 'retry' as const, error: 'no answer within 1000 ms', retryAfterMs: null, unknownFate: true, timedOut: true };
    const first = laneRun(file, [stream], { batchLines: 8, requestLines: 8, answer: () => (n++ < 2 ? unknown : 'hang') });
    await first.go();
    const second = laneRun(file, [stream], { batchLines: 8, requestLines: 8, answer: () => ({ kind: 'ok' }) });
    await second.go();
    const state = SyncStore.open(file);
    cleanups.push(() => state.close());
    expect(state.counters('u')).toEqual({ sent: 0, resent: 3 * 8 });
  });

  it('a try known not sent (a connection refused) then a kill in the backoff: nothing counted as sent again', async () => {
    const file = syncFile();
    const { stream } = journal(8);
    const first = laneRun(file, [stream], { batchLines: 8, requestLines: 8, answer: () => 'kill-in-backoff' });
    await first.go();
    const second = laneRun(file, [stream], { batchLines: 8, requestLines: 8, answer: () => ({ kind: 'ok' }) });
    await second.go();
    const state = SyncStore.open(file);
    cleanups.push(() => state.close());
    expect(state.counters('u')).toEqual({ sent: 8, resent: 0 });
  });

  it('reads again with the batch size it was read with, when the configured size changed', async () => {
    const file = syncFile();
    const { stream } = journal(20);
    let n = 0;
    const first = laneRun(file, [stream], { batchLines: 10, requestLines: 4, answer: () => (n++ < 2 ? { kind: 'ok' } : 'hang') });
    await first.go();
    expect(first.acked.flat().map(seqOf)).toEqual(range(1, 8));
    const second = laneRun(file, [stream], { batchLines: 4, requestLines: 4, answer: () => ({ kind: 'ok' }) });
    await second.go();
    expect(second.acked.flat().map(seqOf)).toEqual(range(9, 20));
  });

  it('a quarantine retry cut by a kill: lines refused again stay quarantined, no other line is lost', async () => {
    const file = syncFile();
    const names = ['bad1', 'q2', 'bad3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10'];
    const setup = SyncStore.open(file);
    setup.addQuarantine('u', 'alarms', names.map((k, i) => ({ origin: 'upstream' as const, line: `m,tag=${k} value=1 ${1000 + i}`, reason: 'HTTP 400', t: 1000 + i, key: k, record: null })), 0);
    setup.markRetry({ upstream: 'u' });
    setup.close();
    const bad = (lines: string[]) => lines.some((l) => l.includes('bad'));
    const first = laneRun(file, [], {
      batchLines: 10, requestLines: 10,
      // bad1 and bad3 refused again, q2 q4 q5 taken, then 503 for q6..q10 and the station killed during the backoff
      answer: (lines) => (bad(lines) ? { kind: 'bisect', error: 'HTTP 400' } : lines.some((l) => l.includes('q6')) ? 'kill-in-backoff' : { kind: 'ok' }),
    });
    await first.go();
    const second = laneRun(file, [], { batchLines: 10, requestLines: 10, answer: (lines) => (bad(lines) ? { kind: 'bisect', error: 'HTTP 400' } : { kind: 'ok' }) });
    await second.go();
    const upstream = new Set([...first.acked, ...second.acked].flat().map((l) => /tag=(\w+)/.exec(l)![1]));
    const state = SyncStore.open(file);
    cleanups.push(() => state.close());
    expect(state.quarantine({ upstream: 'u' }).map((r) => r.key).sort()).toEqual(['bad1', 'bad3']);
    expect(names.filter((k) => !k.startsWith('bad') && !upstream.has(k))).toEqual([]);
  });
});

describe('a sync.sqlite from before batches kept their size and digest', () => {
  it('opens read-only as it is, and its batch in flight goes again whole when a writer resumes it', async () => {
    const file = syncFile();
    const old = new Database(file);
    // The other tables as they are; the in-flight one as it was written before.
    const before = `CREATE TABLE IF NOT EXISTS inflight(upstream TEXT PRIMARY KEY, lane TEXT NOT NULL, stream TEXT NOT NULL,
      from_cursor TEXT, to_cursor TEXT, settled INTEGER NOT NULL, sending INTEGER NOT NULL, started_at INTEGER NOT NULL) WITHOUT ROWID;`;
    const ddl = SYNC_DDL.replace(/CREATE TABLE IF NOT EXISTS inflight\([^;]*;/, before);
    expect(ddl).toContain(before);
    old.exec(ddl);
    old.exec(`INSERT INTO meta VALUES ('format', '${SYNC_FORMAT}'); INSERT INTO inflight VALUES ('u', 'main', 'alarms', NULL, '10', 4, 4, 0);`);
    old.close();
    const reader = SyncStore.openReadOnly(file);
    expect(reader.inflight('u')).toMatchObject({ settled: 4, sending: 4, maxLines: null, digest: null });
    reader.close();
    const { stream } = journal(12);
    const run = laneRun(file, [stream], { batchLines: 10, requestLines: 10, answer: () => ({ kind: 'ok' }) });
    await run.go();
    expect(run.acked.flat().map(seqOf)).toEqual(range(1, 12));
  });
});

describe('a backlog whose records were deleted before it drained', () => {
  it('is reported as lost and the lanes are one again', async () => {
    const file = syncFile();
    const { rows, stream } = journal(33);
    const setup = SyncStore.open(file);
    // 1..10 acknowledged, 31..33 on the live lane; the backlog (10, 30] waits behind the samples.
    setup.setWatermark('u', 'alarms', { cursor: '10', split: '30', live: '30' }, 0);
    setup.close();
    for (const s of range(1, 30)) rows.delete(s); // the journal's retention got there first
    rows.set(34, 2000);
    const run = laneRun(file, [stream], { batchLines: 10, requestLines: 10, answer: () => ({ kind: 'ok' }) });
    await run.go();
    expect(run.losses).toEqual(['alarms: 20 records (alarms 11–30) deleted at the station before they were sent']);
    expect(run.acked.flat().map(seqOf)).toEqual(range(31, 34));
    const state = SyncStore.open(file);
    cleanups.push(() => state.close());
    expect(state.watermark('u', 'alarms')).toEqual({ cursor: '34', split: null, live: null });
  });
});

describe('an archive restored from an older copy', () => {
  it('sends what it holds again from the beginning, and what is written after the restore', async () => {
    const T0 = Date.UTC(2026, 0, 1);
    let clock = T0 + 3_600_000;
    const dir = tempDir(), copy = tempDir();
    cleanups.push(dir.remove, copy.remove);
    const open = () => Historian.open(dir.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => clock });
    let h = open();
    h.defineTag(tagConfig('L'), T0);
    let i = 0;
    const write = (n: number) => {
      for (let k = 0; k < n; k++, i++) {
        h.append('L', [{ t: T0 + i * 1000, value: i, status: Good }]);
        clock += 1000;
        h.flush();
      }
    };
    write(3);
    await h.close();
    cpSync(dir.dir, copy.dir, { recursive: true }); // last night's copy: values 0..2
    h = open();
    write(5); // 3..7, sent
    const streams = () => [new SamplesStream(h, new SampleEncoder({ measurement: 'm', site: 's', dialect: 'v1', statusName: false, textAs: 'field' }), () => null)];
    const file = syncFile();
    await laneRun(file, streams(), { batchLines: 100, requestLines: 100, answer: () => ({ kind: 'ok' }) }).go();
    await h.close();
    cpSync(copy.dir, dir.dir, { recursive: true }); // the disk failed: the archive comes back from the copy
    h = open();
    cleanups.push(() => h.close());
    write(4); // 8..11 after the restore
    const after = laneRun(file, streams(), { batchLines: 100, requestLines: 100, answer: () => ({ kind: 'ok' }) });
    await after.go();
    const values = after.acked.flat().map((l) => Number(/value=([\d.]+)/.exec(l)![1]));
    const held = h.readRaw({ tags: 'L', start: 0, end: T0 + 1e8, pageSize: 100 }).rows.map((r) => r.value);
    expect(held).toEqual([0, 1, 2, 8, 9, 10, 11]);
    expect(values.sort((a, b) => a - b)).toEqual(held);
    expect(after.losses).toHaveLength(1);
    expect(after.losses[0]).toContain('restored from an older copy');
  });
});

describe('an archive volume gone with changes not yet sent', () => {
  it('is reported once, though the batch that found it is read again after the station was killed', async () => {
    // The change feed says a volume gone from the cursor it is read from; the batch in flight is
    // read again from its first cursor after a kill, and said it again: one hole, two losses.
    const T0 = Date.UTC(2026, 0, 1), DAY = 86_400_000;
    const dir = tempDir();
    cleanups.push(dir.remove);
    const h = Historian.open(dir.dir, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'day', now: () => T0 + 3 * DAY });
    cleanups.push(() => h.close());
    h.defineTag(tagConfig('L'), T0);
    h.append('L', [0, 1, 2].map((i) => ({ t: T0 + i * 1000, value: i, status: Good })));
    h.append('L', [0, 1, 2].map((i) => ({ t: T0 + DAY + i * 1000, value: 10 + i, status: Good })));
    h.flush();
    const day0 = h.volumes().find((v) => v.start === T0)!;
    h.detachVolume(day0.id); // its three samples never sent
    const streams = () => [new SamplesStream(h, new SampleEncoder({ measurement: 'm', site: 's', dialect: 'v1', statusName: false, textAs: 'field' }), () => null)];
    const file = syncFile();
    const killed = laneRun(file, streams(), { batchLines: 100, requestLines: 100, answer: () => 'hang' });
    await killed.go();
    expect(killed.losses).toEqual([`samples: changes not read yet are no longer in the archive (${day0.file}: detached) [${day0.file}]`]);
    const after = laneRun(file, streams(), { batchLines: 100, requestLines: 100, answer: () => ({ kind: 'ok' }) });
    await after.go();
    expect(after.acked.flat().map((l) => Number(/value=([\d.]+)/.exec(l)![1]))).toEqual([10, 11, 12]);
    expect(after.losses).toEqual([]);
  });
});
