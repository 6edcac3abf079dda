/**
 * How far back a server's history reaches, by the server's own word: each historized variable's
 * HistoricalDataConfiguration ("HA Configuration", Part 11 §5.2.3: StartOfArchive, the date before
 * which it holds nothing, and StartOfOnlineArchive) and the Server's ServerStatus.StartTime. A
 * restarted server, or one whose archive begins after a gap's start, answers GoodNoData for the
 * time it never saw, which reads like "nothing changed": this tells the two apart.
 */
import {
  AttributeIds, BrowsePath, ReferenceTypeIds, VariableIds, resolveNodeId, type ClientSession, type DataValue, type NodeId,
} from 'node-opcua-client';
import type { TagConfigEntry } from '../../shared/config.js';
import { inParts, readChunked } from './operation-limits.js';

export interface ArchiveStarts {
  /** ServerStatus.StartTime (ms, the server's clock); null when it gives none. */
  serverStart: number | null;
  /** Per tag name: the earliest its server says its history holds (StartOfArchive or StartOfOnlineArchive). */
  tags: Map<string, number>;
}

const PROPERTIES = ['StartOfArchive', 'StartOfOnlineArchive'] as const;
const SERVER_START_TIME = `ns=0;i=${VariableIds.Server_ServerStatus_StartTime}`;
/** Before this a DateTime is "unset" (node-opcua's minDate is 1601; OPC UA's null DateTime is 0). */
const NO_DATE_BEFORE = Date.UTC(1980, 0, 1);

/**
 * Reads the evidence once (TranslateBrowsePathsToNodeIds, then one batched Read). Whatever the
 * server lacks or refuses is simply absent: a server without these properties backfills as before.
 */
export async function readArchiveStarts(
  session: ClientSession, tags: readonly Pick<TagConfigEntry, 'name' | 'nodeId'>[], limits: { maxNodesPerRead: number; maxNodesPerBrowse: number },
): Promise<ArchiveStarts> {
  const paths = tags.flatMap((tag) => PROPERTIES.map((name) => ({ tag: tag.name, path: browsePath(tag.nodeId, name) })));
  const targets: { tag: string; nodeId: NodeId }[] = [];
  try {
    await inParts(paths, limits.maxNodesPerBrowse, async (part) => {
      const results = await session.translateBrowsePath(part.map((p) => p.path));
      results.forEach((r, i) => {
        const nodeId = r.statusCode.isGood() ? r.targets?.[0]?.targetId : undefined;
        if (nodeId) targets.push({ tag: part[i]!.tag, nodeId: nodeId as NodeId });
      });
    });
  } catch {
    // No translation service, or a refusal: no per-tag evidence, the server's start time still counts.
    targets.length = 0;
  }
  const values = await readChunked(session, [
    { nodeId: SERVER_START_TIME, attributeId: AttributeIds.Value },
    ...targets.map((x) => ({ nodeId: x.nodeId, attributeId: AttributeIds.Value })),
  ], limits.maxNodesPerRead);
  const starts = new Map<string, number>();
  targets.forEach((x, i) => {
    const t = dateOf(values[i + 1]);
    if (t !== null) starts.set(x.tag, Math.min(t, starts.get(x.tag) ?? Infinity));
  });
  return { serverStart: dateOf(values[0]), tags: starts };
}

/**
 * From when the server's history of these tags can hold values, when that is after the gap's
 * start (the latest such time among them); null when its history reaches back to the gap. A tag
 * whose archive start is unknown is judged by the server's start: a server started after the gap
 * began holds nothing from before its start unless its archive says otherwise. So is a tag whose own
 * stamps are wrong (`wrongStamps`, stamp-memory.ts): its archive starts by its device's clock (one
 * five minutes ahead had the whole gap of every tag marked partial, its start in the future).
 */
export function historyStartsAfter(evidence: ArchiveStarts, tags: readonly string[], gapFrom: number, wrongStamps: ReadonlySet<string> = new Set()): number | null {
  let latest: number | null = null;
  for (const tag of tags) {
    const start = (wrongStamps.has(tag) ? undefined : evidence.tags.get(tag)) ?? evidence.serverStart;
    if (start !== null && start > gapFrom && (latest === null || start > latest)) latest = start;
  }
  return latest;
}

/** The ledger's note for a gap the server's history reaches only partly (worded by the console: station-causes.ts). */
export function historyFromNote(start: number): string {
  return `partly filled: the server's history begins at ${new Date(start).toISOString()}; before that the gap stays without communication`;
}

function browsePath(nodeId: string, property: string): BrowsePath {
  // HasHistoricalConfiguration and HasProperty are both Aggregates: one path for any server that nests them so.
  const step = (name: string) => ({
    referenceTypeId: resolveNodeId(ReferenceTypeIds.Aggregates), isInverse: false, includeSubtypes: true, targetName: { namespaceIndex: 0, name },
  });
  return new BrowsePath({ startingNode: resolveNodeId(nodeId), relativePath: { elements: [step('HA Configuration'), step(property)] } });
}

function dateOf(dv: DataValue | undefined): number | null {
  if (!dv?.statusCode.isGood()) return null;
  const v = dv.value.value as unknown;
  if (!(v instanceof Date)) return null;
  const t = v.getTime();
  return Number.isFinite(t) && t > NO_DATE_BEFORE ? t : null;
}
