/**
 * An upstream whose clock is far from the station's, against a real VictoriaMetrics: it drops rows
 * older than its -retentionPeriod, or more than 2 days ahead, by ITS clock, answering 204. The
 * system clock cannot be set here, so the station's clock is set off instead (the worker's wall
 * clock): the same difference between the two. Found by an exploratory run: with the upstream's
 * clock 2 h ahead, a backlog 23 h old by the station's clock (past its 1d by its own) was answered
 * 204 and counted as sent, gone from its export, nothing in the quarantine; with the station's
 * clock 3 days ahead, every live line went the same way, while samples stamped by a source with a
 * right clock were quarantined as past its retention. (Its vm_rows_ignored_total counters lag: not
 * used.) Expectations come from the test's sample log and VictoriaMetrics' own export.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncConfigSchema } from '../../../shared/config/sync.js';
import { silentLogger } from '../../log.js';
import { SyncService } from '../service.js';
import type { SyncAlarm } from '../status.js';
import { drained, tempDir, until, upstreamConfig } from '../testing/harness.js';
import { type LoggedSample, SampleLog } from '../testing/sample-log.js';
import { VictoriaServer } from '../testing/servers.js';
import { type PointsByTag, VM_PRECISION, countPoints, diffPoints, settled, victoriaPoints } from '../testing/upstream-points.js';
import { useWorkerRigs } from '../testing/worker-rig.js';

const HOUR = 3_600_000, DAY = 24 * HOUR;
const fast = { baseMs: 10, capMs: 100, maxRetryAfterMs: 2000 };

/** n analog samples of tag `<prefix>.Level`, 10 ms apart from t0. */
function samples(prefix: string, n: number, t0: number): LoggedSample[] {
  return Array.from({ length: n }, (_, i) => ({ tag: `${prefix}.Level`, kind: 'analog' as const, t: t0 + i * 10, value: i / 8, status: 0 }));
}

const rig = useWorkerRigs();

describe('VictoriaMetrics (-retentionPeriod=1d) whose clock is far from the station\'s', () => {
  let vm: VictoriaServer;
  beforeAll(async () => { vm = await VictoriaServer.launch({ retentionPeriod: '1d' }); });
  afterAll(() => vm?.dispose());

  it('its clock 2 h ahead: lines past its retention by its clock are quarantined with the reason, not answered 204 and counted as sent', async () => {
    const station = () => Date.now() - 2 * HOUR;
    const r = rig('ahead', {
      config: upstreamConfig({ url: vm.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 100 } }), backoff: fast, pauseRetryMs: 600_000, now: station,
    });
    // 23 h old by the station's clock (within 1d there), 25 h by the upstream's; then recent ones.
    r.log.append([...samples('past', 200, station() - 23 * HOUR), ...samples('recent', 200, station() - 60_000)]);
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]), 30_000);
    const q = r.store.quarantine({ limit: 1000 });
    expect(q.length).toBe(200);
    expect(q.every((x) => x.key.startsWith('past.'))).toBe(true);
    expect(q[0]!.reason).toMatch(/^line time 20\d\d-.*Z is older than VictoriaMetrics' retention \(-retentionPeriod=1d, from its \/metrics; its clock is 2 h ahead of the station's\): it would be dropped silently \(answered 204\)$/);
    expect([r.worker.status().sentLines, r.worker.status().resentLines]).toEqual([200, 0]);
    const expected = r.log.expected();
    expected.delete('past.Level');
    const got = await settled(() => victoriaPoints(vm, 'tf'), (p) => countPoints(p) >= 200);
    expect(diffPoints(got, expected, VM_PRECISION)).toEqual([]);
  });

  it('the station\'s clock 3 days ahead: lines more than 2 days ahead of its clock are quarantined, not answered 204 and counted as sent', async () => {
    const station = () => Date.now() + 3 * DAY;
    const r = rig('behind', {
      config: upstreamConfig({ url: vm.url, flavour: 'victoriametrics', database: undefined, batch: { lines: 100 } }), backoff: fast, pauseRetryMs: 600_000, now: station,
    });
    // Stamped by the station's clock (as acquisition does): 3 days ahead of the upstream's; then
    // samples from a source whose own clock is right (an OPC UA server's source timestamps).
    r.log.append([...samples('skewed', 150, station() - 60_000), ...samples('true', 150, Date.now() - 60_000)]);
    r.worker.start();
    await until('drained', () => drained(r.store, 'region', [r.stream]), 30_000);
    const q = r.store.quarantine({ limit: 1000 });
    expect(q.length).toBe(150);
    expect(q.every((x) => x.key.startsWith('skewed.'))).toBe(true);
    expect(q[0]!.reason).toMatch(/^line time 20\d\d-.*Z is more than 2 days ahead of VictoriaMetrics' clock \(3 days behind the station's\): it would be dropped silently \(answered 204\)$/);
    expect([r.worker.status().sentLines, r.worker.status().resentLines]).toEqual([150, 0]);
    // This test's tags (the test before left its own there).
    const mine = (p: PointsByTag): PointsByTag => new Map([...p].filter(([tag]) => /^(skewed|true)\./.test(tag)));
    const got = mine(await settled(() => victoriaPoints(vm, 'tf'), (p) => countPoints(mine(p)) >= 150));
    const expected = r.log.expected();
    expected.delete('skewed.Level');
    expect(diffPoints(got, expected, VM_PRECISION)).toEqual([]);
  });

  it('the station\'s clock 3 days ahead: its quarantined live lines raise the upstream\'s sync alarm, once, with the reason and what to do', async () => {
    // Found by an exploratory run: every live line quarantined, the upstream's supervisors got nothing, and no alarm said so.
    const tmp = tempDir();
    const log = new SampleLog(join(tmp.dir, 'samples.sqlite'));
    const station = () => Date.now() + 3 * DAY;
    const alarms: SyncAlarm[] = [];
    const sync = await SyncService.start({
      config: syncConfigSchema.parse({ backlogAlarmAfterSec: 3600, upstreams: [{ id: 'region', url: vm.url, flavour: 'victoriametrics', flushIntervalMs: 50 }] }),
      dataDir: tmp.dir, log: silentLogger(), now: station, statusIntervalMs: 50, backoff: fast,
      streams: () => [log.stream('victoriametrics')], onAlarm: (_, a) => { if (a) alarms.push(a); },
    });
    try {
      const quarantined = () => sync.status().upstreams[0]!.quarantined;
      log.append(samples('fast', 50, station() - 60_000));
      await until('quarantined and alarmed', () => quarantined() === 50 && alarms.length > 0, 30_000);
      expect(alarms).toHaveLength(1);
      expect(alarms[0]).toMatchObject({ kind: 'quarantined', message: expect.stringMatching(
        /^\d+ lines? quarantined since 20\d\d-.*Z, the first: line time 20\d\d-.*Z is more than 2 days ahead of VictoriaMetrics' clock \(3 days behind the station's\): it would be dropped silently \(answered 204\)\. Correct what it names \(often the station clock or the upstream's retention\), then retry the lines on the Sync page$/) });
      // Every live line after: the same cause, raised no more.
      log.append(samples('faster', 50, station() - 30_000));
      await until('those quarantined too', () => quarantined() === 100, 30_000);
      expect(alarms).toHaveLength(1);
    } finally {
      await sync.stop();
      log.close();
      tmp.remove();
    }
  });
});
