/**
 * A server whose clock is right (its CurrentTime, its ServerTimestamps) with two historized tags, one
 * of which a field device stamps five minutes ahead (a gateway passing its device's wrong clock on),
 * then a cut. Before, that one device's stamp ahead was taken for the server's clock off and every
 * gap of the next quarter hour refused ("not filled: the server clock is off"): the history of every
 * tag of the server lost. Now the device's fault is its tag's: its stamps judged wrong (its history
 * dated by the server's timestamps, as stamp-memory's tags are), the other tags' gap filled. The
 * device's own history of the gap lies after it: the gap ends partial, its note naming that tag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry, TagSource } from '../../shared/api.js';
import { keyedNote } from '../../shared/gap-note.js';
import { clockPlant, type ClockPlantOptions } from './testing/clock-plant.js';
import { until, type TestStation } from './testing/harness.js';

const AHEAD_MS = 5 * 60_000;
const logged = (t: TestStation, start: string) => t.logs.filter((l) => String(l.msg).startsWith(start));
const DEVICE_AHEAD = 'source timestamp ahead of the station clock while the server clock is right';

describe('a server whose clock is right, one of whose devices stamps its values five minutes ahead, then a cut', () => {
  const o: ClockPlantOptions = { time: { currentTime: 'given', stamps: { offsetMs: 0 } }, offsetMs: 0, device: { aheadMs: AHEAD_MS } };
  const p = clockPlant('device-ahead', o);
  let gap: LedgerEntry;
  let madeWhileCut: { t: number; v: number }[];
  beforeAll(async () => {
    await p.setup();
    ({ gap, madeWhileCut } = await p.cut({
      before: () => p.station().samples.filter((s) => s.tag === 'Device' && s.status === 0).length >= 3,
      stillAfter: true,
    }));
  }, 400_000);
  afterAll(p.teardown);

  it('fills the other tag\'s gap from the server history at the times the plant gave its values', async () => {
    const t = p.station();
    expect(logged(t, 'gap not backfilled')).toEqual([]);
    // The last value made while cut came live at the reconnection (the item's current value).
    const live = new Set(p.good().map((s) => s.value));
    const inGap = madeWhileCut.filter((r) => r.t > gap.from && r.t < gap.to! && !live.has(r.v));
    expect(inGap.length).toBeGreaterThanOrEqual(1);
    await until('backfill archived', () => t.backfills.length >= gap.backfilledSamples);
    const filled = new Map(t.backfills.filter((s) => s.tag === 'Level').map((s) => [s.value, s.t]));
    for (const r of inGap) expect(filled.get(r.v), String(r.v)).toBe(r.t);
  });

  it('dates the device\'s live values by the server\'s timestamps, never by its own stamps ahead', () => {
    const server = new Map(p.deviceRecord.map((d) => [d.v, d.server]));
    const marker = p.station().samples.find((s) => s.tag === 'Device' && s.status !== 0)!;
    // After its first (the item's current value) and before the cut.
    const live = p.station().samples.filter((s) => s.tag === 'Device' && s.status === 0 && s.at < marker.at).slice(1);
    expect(live.length).toBeGreaterThanOrEqual(2);
    for (const s of live) expect(s.t, String(s.value)).toBe(server.get(s.value as number));
  });

  it('archives none of the device\'s history of the gap: its device stamped it five minutes after the gap', () => {
    expect(p.station().backfills.filter((x) => x.tag === 'Device')).toEqual([]);
  });

  it('ends the gap partial, its note naming the device\'s tag whose history could not be placed (the ledger said done, only the log why)', () => {
    expect(gap.backfill).toBe('partial');
    expect(keyedNote(gap.note)).toEqual({ key: 'gaps.note.deviceAhead', params: { tags: ['Device'], count: 1 } });
  });

  it('names the device\'s tag once in the log, with its stamp ahead', () => {
    const told = logged(p.station(), DEVICE_AHEAD);
    expect(told.map((l) => l.tag)).toEqual(['Device']);
    expect(told[0]!.aheadMs as number).toBeGreaterThan(AHEAD_MS - 60_000);
  });

  it('shows the device\'s stamps wrong on the Tags page, the other tag\'s right', async () => {
    const sources = ((await p.station().call('tags.sources', {})) as { result: TagSource[] }).result;
    const since = (tag: string) => sources.find((x) => x.tag === tag)?.stampsWrongSince ?? null;
    expect(since('Device')).not.toBeNull();
    expect(since('Level')).toBeNull();
  });
});
