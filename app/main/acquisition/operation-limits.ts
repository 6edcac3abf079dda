/**
 * The server's operation limits (Part 5 ServerCapabilities.OperationLimits
 * and its capabilities): every large request the station makes is cut to
 * fit them. A limit the server does not give (0 or unreadable) means "no
 * limit"; the station then still cuts at a size that keeps one request small.
 */
import { AttributeIds, VariableIds, type ClientSession } from 'node-opcua-client';

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

export async function readOperationLimits(session: ClientSession): Promise<OperationLimits> {
  const keys = Object.keys(IDS) as (keyof OperationLimits)[];
  const values = await session.read(keys.map((k) => ({ nodeId: `ns=0;i=${IDS[k]}`, attributeId: AttributeIds.Value })));
  const limits = { ...DEFAULT_LIMITS };
  keys.forEach((k, i) => {
    const dv = values[i];
    const v = dv?.statusCode.isGood() ? Number(dv.value.value) : 0;
    if (!Number.isInteger(v) || v <= 0) return;
    // A per-call limit above the default is honoured up to the default: one request stays small.
    limits[k] = k === 'maxMonitoredItemsPerSubscription' || k === 'maxMonitoredItemsQueueSize' ? v : Math.min(v, DEFAULT_LIMITS[k]);
  });
  return limits;
}

/** Cuts a list into parts of at most size items (size < 1 counts as 1). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
