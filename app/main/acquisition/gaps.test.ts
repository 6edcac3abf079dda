/**
 * A server killed and restarted while the plant goes on: the loss is
 * archived as bad from the last evidence, the gap opens in the ledger, and on
 * reconnection it is filled from the server's own history (the controller
 * kept recording while its OPC UA server was down), flagged as backfilled;
 * the ledger shows both. The expected values come from the test's own record
 * of what the plant produced.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { codeOf } from '../../../historian/status.js';
import { Flag } from '../../../historian/types.js';
import { StatusCodes } from 'node-opcua';
import { historizedPlant } from './testing/historized-plant.js';
import { until, untilAsync } from './testing/harness.js';

const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;

describe('a server killed and restarted, its gap filled from its history', () => {
  const p = historizedPlant('gaps', { value: (n) => Math.round(1000 * (5 + Math.sin(n / 5))) / 1000 });
  beforeAll(p.setup, 240_000);
  afterAll(p.teardown);

  it('archives the loss as bad at once, then fills the gap from the server history, the ledger showing both', async () => {
    const t = p.station();
    const record = p.record;
    let open: LedgerEntry | undefined;
    const marker = await p.outage(async (m) => {
      open = await untilAsync('the open gap', async () =>
        ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.kind === 'gap' && g.to === null));
      expect(open.from).toBe(m.t);
    });
    const filled = await untilAsync('the gap backfilled', async () =>
      ((await t.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.find((g) => g.id === open!.id && g.backfill === 'done'), 120_000);
    // Values from the first live one after the restart on came live; the rest of the gap comes from
    // the history, from the last value received before the loss on (one stamped before the gap's
    // start may still have been on its way).
    const resumed = t.samples.find((s) => s.at > marker.at && s.status === 0)!.t;
    const lastBefore = t.samples.filter((s) => s.status === 0 && s.at < marker.at).at(-1)!.t;
    const expected = record.filter((r) => r.t > lastBefore && r.t <= filled.to! && r.t < resumed);
    expect(expected.length).toBeGreaterThan(5);
    expect(filled.backfilledSamples).toBe(expected.length);

    await until('backfill archived', () => t.backfills.length >= expected.length);
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Level', start: lastBefore + 1, end: filled.to! }).rows;
    expect(rows.filter((r) => codeOf(r.status) === BadNoCommunication).map((r) => r.t)).toContain(filled.from);
    const backfilled = rows.filter((r) => (r.flags & Flag.Backfilled) !== 0);
    expect(backfilled.map((r) => [r.t, r.value])).toEqual(expected.map((r) => [r.t, r.v]));
  }, 300_000);
});
