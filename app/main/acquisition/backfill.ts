/**
 * Fills a gap from the server's own history: HistoryRead (raw values) over
 * the gap for every tag whose variable the server historizes, in requests of
 * at most MaxNodesPerHistoryReadData nodes, following continuation points.
 * What comes back is converted exactly as live data is (a value that does not
 * fit its tag becomes bad) and handed to the archive as backfilled.
 */
import {
  HistoryData, HistoryReadRequest, ReadRawModifiedDetails, TimestampsToReturn, type ClientSession, type DataValue,
} from 'node-opcua-client';
import type { TagConfigEntry } from '../../shared/config.js';
import { isGood } from '../../../historian/status.js';
import { transientNodeStatus } from './backfill-retry.js';
import { inParts } from './operation-limits.js';
import { convert, givenTime, type AcquiredSample } from './sample.js';

export interface BackfillResult {
  samples: AcquiredSample[];
  /** Tags the server gave history for (possibly empty: nothing changed). */
  read: number;
  /** Tags whose history the server refused, with its status name. */
  refused: { tag: string; status: string }[];
  /**
   * Tags the server answered with a status that passes (backfill-retry.ts transientNodeStatus):
   * nothing of theirs is in `samples`, and they are read again later, alone.
   */
  putOff: { tag: string; status: string }[];
}

/** Values per node per request: a continuation point fetches the rest. */
const VALUES_PER_REQUEST = 1000;
/** A server that keeps answering with continuation points must still end. */
const MAX_ROUNDS = 1000;

/** How far before a gap's start a tag's history is read, after its last value received (ms). */
export const EDGE_MS = 60_000;

/**
 * History of tags in (from, to]: what the station did not receive live. `after`, per tag, its last
 * value received before the gap: from there on (at most EDGE_MS before `from`), as values stamped
 * before the gap's start may never have arrived (queued on the server when the link died).
 * `wrongStamps`: tags whose own source stamps were seen wrong while the server's clock was right
 * (subscription.ts restamp): their history is dated by its ServerTimestamps, as their live values
 * were, and a value without one is left out (its device time would place it where it never was).
 */
export async function readGap(
  session: ClientSession, tags: readonly TagConfigEntry[], from: number, to: number, maxNodes: number, after?: ReadonlyMap<string, number>,
  wrongStamps: ReadonlySet<string> = new Set(),
): Promise<BackfillResult> {
  const result: BackfillResult = { samples: [], read: 0, refused: [], putOff: [] };
  const startOf = (tag: TagConfigEntry) => {
    const last = after?.get(tag.name);
    return last === undefined ? from : Math.min(from, Math.max(last, from - EDGE_MS));
  };
  // A part the server refuses as too large (a limit it did not advertise) is read again in halves.
  await inParts(tags, maxNodes, async (part) => {
    const got: BackfillResult = { samples: [], read: 0, refused: [], putOff: [] };
    await readPart(session, part, startOf, to, got, wrongStamps);
    result.samples.push(...got.samples);
    result.read += got.read;
    result.refused.push(...got.refused);
    result.putOff.push(...got.putOff);
  });
  return result;
}

/** One request's tags, following continuation points: into `result`. */
async function readPart(
  session: ClientSession, part: readonly TagConfigEntry[], startOf: (tag: TagConfigEntry) => number, to: number, result: BackfillResult,
  wrongStamps: ReadonlySet<string>,
): Promise<void> {
  const from = Math.min(...part.map(startOf));
  const values = new Map<string, AcquiredSample[]>();
  let pending = part.map((tag) => ({ tag, continuationPoint: null as Buffer | null }));
  for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
    const response = await session.historyRead(new HistoryReadRequest({
      historyReadDetails: new ReadRawModifiedDetails({
        isReadModified: false, startTime: new Date(from), endTime: new Date(to), numValuesPerNode: VALUES_PER_REQUEST, returnBounds: false,
      }),
      timestampsToReturn: TimestampsToReturn.Both,
      releaseContinuationPoints: false,
      nodesToRead: pending.map((p) => ({ nodeId: p.tag.nodeId, continuationPoint: p.continuationPoint ?? undefined })),
    }));
    const next: typeof pending = [];
    (response.results ?? []).forEach((r, i) => {
      const p = pending[i]!;
      // GoodNoData and GoodMoreData are good (severity 00): nothing changed, or more to come.
      if (!isGood(r.statusCode.value)) {
        if (!transientNodeStatus(r.statusCode.value)) {
          result.refused.push({ tag: p.tag.name, status: r.statusCode.name });
          return;
        }
        // Put off, on a later round too: it is read again whole, so nothing of its earlier rounds is kept.
        values.delete(p.tag.name);
        result.putOff.push({ tag: p.tag.name, status: r.statusCode.name });
        return;
      }
      const got = values.get(p.tag.name) ?? [];
      values.set(p.tag.name, got);
      for (const dv of r.historyData instanceof HistoryData ? (r.historyData.dataValues ?? []) : []) {
        const s = sampleOf(p.tag, dv, wrongStamps.has(p.tag.name));
        if (s !== null && s.t > startOf(p.tag) && s.t <= to) got.push(s);
      }
      if (r.continuationPoint && r.continuationPoint.length > 0) next.push({ tag: p.tag, continuationPoint: r.continuationPoint });
    });
    pending = next;
  }
  for (const got of values.values()) result.samples.push(...got);
  result.read += values.size;
}

function sampleOf(tag: TagConfigEntry, dv: DataValue, byServer: boolean): AcquiredSample | null {
  const { value, status } = convert(tag.kind, dv.value, dv.statusCode.value);
  // A history value has no receive time: a value without a source time is dated by the server's
  // (no bound ahead here: readGap keeps only values inside the gap and its edge, which the station's clock dated).
  const t = byServer ? serverTime(dv) : givenTime(dv);
  return t === null ? null : { tag: tag.name, t, value, status };
}

function serverTime(dv: DataValue): number | null {
  const t = dv.serverTimestamp?.getTime();
  return t !== undefined && Number.isFinite(t) && t > 0 ? t : null;
}
