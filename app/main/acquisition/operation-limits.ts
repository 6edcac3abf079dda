/**
 * The server's operation limits (Part 5 ServerCapabilities.OperationLimits
 * and its capabilities): every large request the station makes is cut to
 * fit them. A limit the server does not give (0 or unreadable) means "no
 * limit"; the station then still cuts at a size that keeps one request small.
 */
import { AttributeIds, StatusCodes, VariableIds, type ClientSession, type DataValue, type ReadValueIdOptions } from 'node-opcua-client';

export interface OperationLimits {
  maxNodesPerRead: number;
  maxNodesPerBrowse: number;
  maxMonitoredItemsPerCall: number;
  maxNodesPerHistoryReadData: number;
  /** 0: no limit. */
  maxMonitoredItemsPerSubscription: number;
  /** 0: no limit. */
  maxMonitoredItemsQueueSize: number;
}

/** What one request carries at most when the server sets no limit. */
export const DEFAULT_LIMITS: OperationLimits = {
  maxNodesPerRead: 1000,
  maxNodesPerBrowse: 500,
  maxMonitoredItemsPerCall: 1000,
  maxNodesPerHistoryReadData: 100,
  maxMonitoredItemsPerSubscription: 0,
  maxMonitoredItemsQueueSize: 0,
};

const IDS: Record<keyof OperationLimits, number> = {
  maxNodesPerRead: VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerRead,
  maxNodesPerBrowse: VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerBrowse,
  maxMonitoredItemsPerCall: VariableIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall,
  maxNodesPerHistoryReadData: VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerHistoryReadData,
  maxMonitoredItemsPerSubscription: VariableIds.Server_ServerCapabilities_MaxMonitoredItemsPerSubscription,
  maxMonitoredItemsQueueSize: VariableIds.Server_ServerCapabilities_MaxMonitoredItemsQueueSize,
};

/**
 * MaxNodesPerRead is read alone first: the six limits in one request would break a limit below six
 * (BadTooManyOperations, the server never connected). The others are then read within it.
 */
export async function readOperationLimits(session: ClientSession): Promise<OperationLimits> {
  const limits = { ...DEFAULT_LIMITS };
  const [first] = await session.read([valueOf('maxNodesPerRead')]);
  const maxRead = limitOf(first);
  const rest = (Object.keys(IDS) as (keyof OperationLimits)[]).filter((k) => k !== 'maxNodesPerRead');
  const values = await readChunked(session, rest.map(valueOf), maxRead || DEFAULT_LIMITS.maxNodesPerRead);
  const set = (k: keyof OperationLimits, v: number) => {
    if (v <= 0) return;
    // A per-call limit above the default is honoured up to the default: one request stays small.
    limits[k] = k === 'maxMonitoredItemsPerSubscription' || k === 'maxMonitoredItemsQueueSize' ? v : Math.min(v, DEFAULT_LIMITS[k]);
  };
  set('maxNodesPerRead', maxRead);
  rest.forEach((k, i) => set(k, limitOf(values[i])));
  return limits;
}

const valueOf = (k: keyof OperationLimits): ReadValueIdOptions => ({ nodeId: `ns=0;i=${IDS[k]}`, attributeId: AttributeIds.Value });

/** A positive integer limit, else 0 (none given). */
function limitOf(dv: DataValue | undefined): number {
  const v = dv?.statusCode.isGood() ? Number(dv.value.value) : 0;
  return Number.isInteger(v) && v > 0 ? v : 0;
}

/** The server refused a request as too large for it (a limit it did not advertise, or a smaller one than it did). */
export function tooMany(err: unknown): boolean {
  const result = (err as { response?: { responseHeader?: { serviceResult?: { value?: number } } } }).response?.responseHeader?.serviceResult?.value;
  return result === StatusCodes.BadTooManyOperations.value || /BadTooManyOperations/.test((err as Error).message ?? '');
}

/**
 * Runs `run` on parts of at most max items, in order. A part the server refuses as too large
 * (BadTooManyOperations: a limit it did not advertise, or a smaller one than it did) is run again
 * in halves, down to one item, and the smaller size kept for the rest. `run` keeps nothing of a
 * part that failed. Returns the size the last part was run at (what the server took).
 */
export async function inParts<T>(items: readonly T[], max: number, run: (part: T[]) => Promise<void>): Promise<number> {
  let size = Math.max(1, Math.floor(max));
  for (let i = 0; i < items.length;) {
    const part = items.slice(i, i + size);
    try {
      await run(part);
      i += part.length;
    } catch (err) {
      if (part.length === 1 || !tooMany(err)) throw err;
      size = Math.ceil(part.length / 2);
    }
  }
  return size;
}

/** Reads in requests of at most max nodes (inParts), results in the order asked. */
export async function readChunked(session: ClientSession, nodes: readonly ReadValueIdOptions[], max: number, maxAge?: number): Promise<DataValue[]> {
  const out: DataValue[] = [];
  await inParts(nodes, max, async (part) => {
    out.push(...(await session.read(part, maxAge)));
  });
  return out;
}

/** Cuts a list into parts of at most size items (size < 1 counts as 1). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
