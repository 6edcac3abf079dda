/**
 * A server restarted during the outage: whether its history reaches back to the gap's start is
 * the server's own word (its variable's HistoricalDataConfiguration StartOfArchive /
 * StartOfOnlineArchive, its ServerStatus.StartTime). One that lost everything before its restart
 * answers GoodNoData for the gap, which must not read as "nothing changed, done": the gap is
 * partial, noted with from when the history exists, and the archive keeps the gap bad up to there.
 * One whose controller kept recording (its history covers the gap) stays done.
 * Expectations come from the test's own record of the plant and of when it killed and started the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StatusCodes } from 'node-opcua';
import { codeOf } from '../../../historian/status.js';
import { Flag } from '../../../historian/types.js';
import { historizedPlant } from './testing/historized-plant.js';
import { until } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

describe('a server restarted during the outage', () => {
  let p: ReturnType<typeof historizedPlant> | null = null;
  afterEach(async () => {
    await p?.teardown();
    p = null;
  });

  it('with no history before its restart: partial, noted with from when its history exists, the archive bad up to there', async () => {
    p = historizedPlant('restarted-empty', { keepsHistory: false });
    await p.setup();
    const t = p.station();
    await p.outage();
    const { killedAt, restartedAt } = p.lastOutage;
    const gap = await p.settledGap();
    expect(gap.from).toBeLessThanOrEqual(restartedAt);
    expect(gap.backfill).toBe('partial');
    const m = /^partly filled: the server's history begins at (\S+Z);/.exec(gap.note ?? '');
    expect(m, `note: ${gap.note}`).not.toBeNull();
    const historyFrom = Date.parse(m![1]!);
    // The restarted server's history can only begin once it was started again.
    expect(historyFrom).toBeGreaterThan(killedAt);
    expect(historyFrom).toBeGreaterThanOrEqual(restartedAt - 1000);
    expect(historyFrom).toBeGreaterThan(gap.from);

    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: gap.from, end: restartedAt }).rows;
    // The station's loss marker stays at the gap's start, and nothing Good claims the time the server never saw.
    expect(rows.filter((r) => codeOf(r.status) === BadNoCommunication).map((r) => r.t)).toContain(gap.from);
    expect(rows.filter((r) => codeOf(r.status) !== BadNoCommunication)).toEqual([]);
  }, 300_000);

  it('whose history covers the gap (the controller recorded on): done, every value of the gap archived', async () => {
    p = historizedPlant('restarted-kept');
    await p.setup();
    const t = p.station();
    await p.outage();
    const { restartedAt } = p.lastOutage;
    const gap = await p.settledGap();
    expect(gap.backfill).toBe('done');
    expect(gap.note).toBeNull();
    await until('backfill archived', () => t.backfills.length >= gap.backfilledSamples && gap.backfilledSamples > 0);
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: gap.from + 1, end: restartedAt }).rows;
    // What the plant recorded while the server was down is in the archive, backfilled.
    const down = p.record.filter((r) => r.t > gap.from + 1 && r.t <= restartedAt);
    expect(down.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => (r.flags & Flag.Backfilled) !== 0).map((r) => [r.t, r.value])).toEqual(down.map((r) => [r.t, r.v]));
  }, 300_000);
});
