/**
 * A gap whose history the archive refused is read again while the link stays up, not only at the
 * next connection or start (before: pending until then, days on a link that stays up, though the
 * server still held the history).
 *
 * Against a real OPC UA server that historizes its variable, with an old stretch of history (45
 * days ago), a station with a real archive backfills a gap the ledger holds from then. The archive
 * refuses those values: the volume file of that period cannot be made (a directory stands where it
 * goes, as a volume folder an engineer is repairing would). Once it can, the gap is filled, on the
 * same connection. The expectation is the test's own record of what the plant produced.
 *
 * And which failures of a server's history read leave a gap pending (tried again), by the status
 * OPC UA gives them (Part 4 7.34): those that say "not now", never those that say "never".
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceFault, StatusCodes, type StatusCode } from 'node-opcua-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/api.js';
import { periodOf, volumeFileName } from '../../../historian/store/periods.js';
import { isGood } from '../../../historian/status.js';
import { BACKFILL_NOT_ARCHIVED_LOG } from './acquisition.js';
import { transientHistoryFailure, transientNodeStatus } from './backfill-retry.js';
import { GapLedger } from './gap-ledger.js';
import { keyedNote } from '../../shared/gap-note.js';
import { levelStationYaml, startHeldHistoryLevel, type HeldHistoryLevel } from './testing/held-history-level.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';
import { fastBackfillRetry } from './testing/fast-retry.js';

const DAY = 86_400_000;

describe('a gap the archive refused, with the link kept up', () => {
  let dir: string;
  let plant: HeldHistoryLevel;
  let t: TestStation | null = null;
  let restoreRetry = (): void => {};
  // Ten values of the plant 45 days ago, a second apart: in a volume period of their own. The
  // server's history begins with the first (its StartOfOnlineArchive), where the gap begins.
  const t0 = Math.floor((Date.now() - 45 * DAY) / 60_000) * 60_000;
  const past = Array.from({ length: 10 }, (_, i) => ({ t: t0 + 1000 * i, v: 1000 + i }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-backfill-retry-'));
    plant = await startHeldHistoryLevel({ role: 'backfill-retry', dir, everyMs: 200, past });
    plant.release();
    restoreRetry = fastBackfillRetry();
  }, 240_000);

  afterAll(async () => {
    restoreRetry();
    await t?.stop();
    await plant?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = () => levelStationYaml(plant.server.endpoint);

  const gaps = async (station: TestStation) =>
    ((await station.call('gaps.list', {}, null)) as { result: LedgerEntry[] }).result.filter((g) => g.kind === 'gap');

  it('is archived once the archive takes values again, without a reconnection', async () => {
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    // The gap a run stopped 45 days ago left open (as GapLedger keeps it): the next start fills it.
    const ledger = new GapLedger(join(dataDir, 'acquisition.sqlite'));
    const id = ledger.openGap('plc', t0, 'station stopped', plant.server.endpoint).id;
    ledger.close();
    // Where the archive would make the volume of that time, whichever period it chooses.
    const volumes = join(dataDir, 'archive', 'volumes');
    const blocked = (['day', 'week', 'month'] as const).map((kind) => join(volumes, volumeFileName(kind, periodOf(kind, t0).start)));
    for (const b of blocked) mkdirSync(b, { recursive: true });

    t = await startTestStation({ dir, dataDir, yaml: yaml(), archive: true });
    const station = t;
    const refusals = () => station.logs.filter((l) => l.msg === BACKFILL_NOT_ARCHIVED_LOG).length;
    // Refused, and refused again by a retry on the same connection.
    await until('the backfill refused twice', () => refusals() >= 2, 60_000);
    const refused = await untilAsync('the gap pending, not archived', async () => {
      const g = (await gaps(station)).find((x) => x.id === id);
      return g?.backfill === 'pending' && keyedNote(g.note)?.key === 'gaps.note.notArchivedRetried' ? g : undefined;
    }, 30_000);
    expect(refused.to).not.toBeNull();
    // The note carries the retry interval in force, for the console to word.
    expect(keyedNote(refused.note)!.params).toEqual({ intervalMs: 1500 });
    // Said once per refusal, naming the sink and why (BackfillRefused); never "failed" for a gap left pending.
    const warned = station.logs.find((l) => l.msg === BACKFILL_NOT_ARCHIVED_LOG)!;
    expect(warned.sinks).toEqual([{ sink: 'archive', reason: expect.stringMatching(/^backfill not archived: .*(day|week|month)-.*\.sqlite: unable to open database file/) }]);
    expect(station.logs.filter((l) => l.msg === 'backfill failed')).toEqual([]);
    const session = station.station.acquisition.link('plc')!.session;
    expect(session).not.toBeNull();
    // In the gap: after its start (the last evidence, a value the station had), as backfill.ts reads it.
    const goodIn = () => station.archive!.readRaw({ tags: 'Level', start: t0, end: t0 + 60_000 }).rows.filter((r) => isGood(r.status) && r.t > t0);
    await station.archive!.flush();
    expect(goodIn()).toEqual([]);

    // The archive can make the volume again.
    for (const b of blocked) rmSync(b, { recursive: true, force: true });
    const done = await untilAsync('the gap filled', async () => {
      const g = (await gaps(station)).find((x) => x.id === id);
      return g?.backfill === 'done' ? g : undefined;
    }, 60_000);
    await station.archive!.flush();
    const produced = past.filter((r) => r.t > t0);
    expect(goodIn().map((r) => [r.t, r.value])).toEqual(produced.map((r) => [r.t, r.v]));
    expect(done.backfilledSamples).toBeGreaterThanOrEqual(produced.length);
    expect(done.note).toBeNull();

    // All on one connection: never lost, subscribed once, the same session, no other gap.
    expect(station.logs.filter((l) => l.msg === 'server lost')).toEqual([]);
    expect(station.logs.filter((l) => l.msg === 'subscribed').length).toBe(1);
    expect(station.station.acquisition.link('plc')!.session).toBe(session);
    expect((await gaps(station)).map((g) => g.id)).toEqual([id]);
  }, 300_000);
});

describe('which failures of a history read leave the gap pending', () => {
  /** As node-opcua rejects a request the server answered with a ServiceFault (client_secure_channel_layer.js). */
  const fault = (status: StatusCode) =>
    Object.assign(new Error(` serviceResult = ${status.toString()}`), { response: new ServiceFault({ responseHeader: { serviceResult: status } }) });

  it('those that pass: the server busy, timed out, out of continuation points, or not answering', () => {
    expect(transientHistoryFailure(fault(StatusCodes.BadTimeout))).toBe('BadTimeout');
    expect(transientHistoryFailure(fault(StatusCodes.BadCommunicationError))).toBe('BadCommunicationError');
    expect(transientHistoryFailure(fault(StatusCodes.BadTooManyOperations))).toBe('BadTooManyOperations');
    expect(transientHistoryFailure(fault(StatusCodes.BadServerTooBusy))).toBe('BadServerTooBusy');
    expect(transientHistoryFailure(fault(StatusCodes.BadNoContinuationPoints))).toBe('BadNoContinuationPoints');
    // node-opcua's own clock on a request never answered: no status, only its words.
    expect(transientHistoryFailure(new Error('Transaction has timed out ( timeout = 60000 ms , request = HistoryReadRequest)'))).toBe('no answer');
  });

  it('not those that last: a service the server lacks, an operation it does not support, the station\'s own errors', () => {
    expect(transientHistoryFailure(fault(StatusCodes.BadServiceUnsupported))).toBeNull();
    expect(transientHistoryFailure(fault(StatusCodes.BadHistoryOperationUnsupported))).toBeNull();
    expect(transientHistoryFailure(fault(StatusCodes.BadUserAccessDenied))).toBeNull();
    expect(transientHistoryFailure(new TypeError('Cannot read properties of null (reading \'session\')'))).toBeNull();
    expect(transientHistoryFailure('BadTimeout')).toBeNull();
  });

  it('on one node\'s own result: those that say "not now" for it, not those that say it has no history', () => {
    for (const s of [StatusCodes.BadTimeout, StatusCodes.BadTooManyOperations, StatusCodes.BadResourceUnavailable, StatusCodes.BadNoContinuationPoints]) {
      expect(transientNodeStatus(s.value), s.name).toBe(true);
    }
    for (const s of [StatusCodes.BadHistoryOperationUnsupported, StatusCodes.BadNodeIdUnknown, StatusCodes.BadUserAccessDenied, StatusCodes.BadHistoryOperationInvalid]) {
      expect(transientNodeStatus(s.value), s.name).toBe(false);
    }
  });
});
