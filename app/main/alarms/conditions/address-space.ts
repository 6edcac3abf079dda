/**
 * A server's conditions read from its address space, for a server that refuses ConditionRefresh
 * (BadNotSupported, BadMethodInvalid, no Call service…): without this, conditions already active
 * when the station connected were never shown. Condition instances hang under their sources
 * (Part 9 §5.12: HasCondition from the ConditionSource, or a component of it), the sources under
 * the Server object's notifier hierarchy (Part 3: HasNotifier / HasEventSource). Each instance's
 * fields are read as a refresh would send them (the event's fields are the instance's properties),
 * in the client's field order, so the same code turns them into rows.
 */
import {
  AttributeIds, BrowseDirection, DataType, NodeClass, NodeClassMask, ObjectIds, ObjectTypeIds, ReferenceTypeIds, Variant, coerceNodeId, makeBrowsePath,
  type BrowseDescriptionLike, type BrowseResult, type ClientSession, type NodeId,
} from 'node-opcua-client';

/** Requests at most this many operations: under the operation limits servers commonly announce. */
const CHUNK = 100;
/** Nodes of the notifier hierarchy walked at most (a plant's sources; more is a server to fix, not to crawl). */
const MAX_SOURCES = 5000;

export interface ConditionInstances {
  /** Each instance's fields in the order asked ('ConditionId' the instance, 'BranchId' null: the trunk). */
  conditions: Variant[][];
  /** Event sources below the Server object: a server that has them raises conditions, even if none is browsable. */
  sources: number;
}

async function inChunks<T, R>(items: readonly T[], fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await fn(items.slice(i, i + CHUNK))));
  return out;
}

/** Browses each description to its end (continuation points followed). */
async function browseAll(session: ClientSession, descriptions: BrowseDescriptionLike[]): Promise<BrowseResult[]> {
  return inChunks(descriptions, async (chunk) => {
    const results = await session.browse(chunk);
    for (const r of results) {
      let cp = r.continuationPoint;
      while (cp && cp.length > 0) {
        const more = await session.browseNext(cp, false);
        r.references = [...(r.references ?? []), ...(more.references ?? [])];
        cp = more.continuationPoint;
      }
    }
    return results;
  });
}

const forward = (nodeId: NodeId, referenceTypeId: number, nodeClassMask = 0) => ({
  nodeId, referenceTypeId, includeSubtypes: true, browseDirection: BrowseDirection.Forward, nodeClassMask, resultMask: 0x3f,
});

/** Whether an object type is ConditionType or a subtype of it (a vendor's type walked up to the standard one). */
class ConditionTypes {
  private readonly known = new Map<string, boolean>([[`ns=0;i=${ObjectTypeIds.ConditionType}`, true]]);
  constructor(private readonly session: ClientSession) {}
  async is(type: NodeId): Promise<boolean> {
    const chain: string[] = [];
    let at: NodeId | null = type;
    for (let depth = 0; at && depth < 16; depth++) {
      const key = at.toString();
      const known = this.known.get(key);
      if (known !== undefined) return this.remember(chain, known);
      chain.push(key);
      const [r] = await browseAll(this.session, [{ ...forward(at, ReferenceTypeIds.HasSubtype), browseDirection: BrowseDirection.Inverse }]);
      at = r?.references?.[0]?.nodeId ?? null;
    }
    return this.remember(chain, false);
  }
  private remember(chain: readonly string[], v: boolean): boolean {
    for (const k of chain) this.known.set(k, v);
    return v;
  }
}

/** The condition instances the server shows, and their fields (fields: the client's names, '.' between browse names). */
export async function readConditionInstances(session: ClientSession, fields: readonly string[]): Promise<ConditionInstances> {
  // The notifier hierarchy, breadth first from the Server object.
  const server = coerceNodeId(ObjectIds.Server);
  const seen = new Set<string>([server.toString()]);
  const sources: NodeId[] = [];
  for (let level: NodeId[] = [server]; level.length > 0 && sources.length < MAX_SOURCES;) {
    sources.push(...level);
    const results = await browseAll(session, level.map((n) => forward(n, ReferenceTypeIds.HasEventSource)));
    const next: NodeId[] = [];
    for (const ref of results.flatMap((r) => r.references ?? [])) {
      const key = ref.nodeId.toString();
      if (seen.has(key)) continue;
      seen.add(key);
      next.push(ref.nodeId);
    }
    level = next;
  }
  // The conditions of each source: by HasCondition, or components of a condition type.
  const found = new Map<string, NodeId>();
  const types = new ConditionTypes(session);
  const byCondition = await browseAll(session, sources.map((n) => forward(n, ReferenceTypeIds.HasCondition)));
  for (const ref of byCondition.flatMap((r) => r.references ?? [])) found.set(ref.nodeId.toString(), ref.nodeId);
  const components = await browseAll(session, sources.map((n) => forward(n, ReferenceTypeIds.HasComponent, NodeClassMask.Object)));
  for (const ref of components.flatMap((r) => r.references ?? [])) {
    if (ref.nodeClass !== NodeClass.Object || found.has(ref.nodeId.toString()) || ref.typeDefinition.isEmpty()) continue;
    if (await types.is(ref.typeDefinition)) found.set(ref.nodeId.toString(), ref.nodeId);
  }
  const nodes = [...found.values()];
  // Each field a property (or a state's Id) of the instance: translated, then read.
  const paths = nodes.flatMap((n) => fields.map((f) => ({ n, f })));
  const readable = paths.filter((p) => p.f !== 'ConditionId' && p.f !== 'BranchId');
  const targets = await inChunks(readable, (chunk) => session.translateBrowsePath(chunk.map((p) => makeBrowsePath(p.n, `/${p.f.split('.').join('/')}`))));
  const resolved = readable.map((p, i) => ({ ...p, target: targets[i]?.statusCode.isGood() ? targets[i]!.targets?.[0]?.targetId ?? null : null }));
  const wanted = resolved.filter((p) => p.target !== null);
  const values = await inChunks(wanted, (chunk) => session.read(chunk.map((p) => ({ nodeId: p.target!, attributeId: AttributeIds.Value }))));
  const byPath = new Map<string, Variant>();
  wanted.forEach((p, i) => {
    const dv = values[i];
    if (dv && !dv.statusCode.isNotGood()) byPath.set(`${p.n.toString()}|${p.f}`, dv.value);
  });
  const none = () => new Variant({ dataType: DataType.Null });
  const conditions = nodes.map((n) => fields.map((f) => {
    if (f === 'ConditionId') return new Variant({ dataType: DataType.NodeId, value: n });
    if (f === 'BranchId') return none();
    return byPath.get(`${n.toString()}|${f}`) ?? none();
  }));
  return { conditions, sources: sources.length - 1 };
}
