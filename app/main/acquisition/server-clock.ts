/**
 * The server's clock against the station's, measured apart from the network's delay: its
 * CurrentTime (Server_ServerStatus_CurrentTime, i=2258) read with the round trip timed. A stamp
 * older than its receipt says nothing by itself: a slow link and a clock behind look the same
 * (as do publishTimes: delay only adds to now − publishTime). The time T the server read lies
 * between the request's start t0 and the response's receipt t1 when its clock is right, so its
 * offset lies in [T − t1, T − t0] whatever the delay.
 */
import { AttributeIds, VariableIds, type ClientSession } from 'node-opcua-client';

/** The server's clock offset (server minus station, ms) as one read bounds it. */
export interface ServerClock {
  /** At least this (T − t1). */
  lowMs: number;
  /** At most this (T − t0): a clock behind by more, even allowing for the whole round trip, is behind. */
  highMs: number;
  roundTripMs: number;
  /** When it was measured (t1, station clock). */
  at: number;
}

const CURRENT_TIME = `ns=0;i=${VariableIds.Server_ServerStatus_CurrentTime}`;

/** 2000-01-01: a time before it is one the server left unset (OPC UA's DateTime minimum, 1601, or 0). */
const SET_AFTER = Date.UTC(2000, 0, 1);

/**
 * Reads the server's CurrentTime with the round trip timed; null when the server gives none usable
 * (a Bad status, unset, not a DateTime). One node: within any MaxNodesPerRead. maxAge 0: the
 * server's time now, not a cached one. A failed request throws, as other reads do.
 */
export async function measureServerClock(session: ClientSession): Promise<ServerClock | null> {
  const t0 = Date.now();
  const dv = await session.read({ nodeId: CURRENT_TIME, attributeId: AttributeIds.Value }, 0);
  const t1 = Date.now();
  const v: unknown = dv.value?.value;
  if (!dv.statusCode.isGood() || !(v instanceof Date)) return null;
  const T = v.getTime();
  if (!Number.isFinite(T) || T <= SET_AFTER) return null;
  return { lowMs: T - t1, highMs: T - t0, roundTripMs: t1 - t0, at: t1 };
}
