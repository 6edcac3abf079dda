/**
 * Browsing a server's address space for the Tags page: the children of a
 * node (objects, folders and variables, one level at a time), and one node's
 * attributes with its live value, unit, EU range and the tag kind it fits.
 * Reads only. Node ids go out as `nsu=<namespace URI>;…` (namespace 0 aside):
 * a tag added from them survives a server that renumbers its namespaces.
 * Either form comes back in.
 */
import {
  AttributeIds, BrowseDirection, type BrowseDescriptionOptions, DataType, NodeClass, ReferenceTypeIds, resolveNodeId, type ClientSession,
  type NodeId, type ReferenceDescription,
} from 'node-opcua-client';
import type { BrowseNode, NodeDetail } from '../../shared/api/acquisition.js';
import type { TagConfigEntry } from '../../shared/config.js';
import { refusalFor, suggestedKind, typeName } from './data-types.js';
import { NamespaceUnknownError, NodeIdTextError, portableText, readNamespaces, toServerNodeId } from './namespaces.js';
import { DEFAULT_LIMITS, readChunked } from './operation-limits.js';
import { readServerUnits } from './units-read.js';
import { convert } from './sample.js';
import { TypeReader } from './type-reader.js';

const OBJECTS_FOLDER = 'ns=0;i=85';
const HAS_PROPERTY = ReferenceTypeIds.HasProperty;
const ACCESS = ['CurrentRead', 'CurrentWrite', 'HistoryRead', 'HistoryWrite', 'SemanticChange', 'StatusWrite', 'TimestampWrite'];

/** Children under hierarchical references, properties left out (they are shown as attributes). */
export async function browseChildren(session: ClientSession, nodeId: string | undefined): Promise<BrowseNode[]> {
  const namespaces = await readNamespaces(session);
  const refs = await browseAll(session, {
    nodeId: toServerNodeId(nodeId ?? OBJECTS_FOLDER, namespaces),
    browseDirection: BrowseDirection.Forward,
    referenceTypeId: resolveNodeId(ReferenceTypeIds.HierarchicalReferences),
    includeSubtypes: true,
    nodeClassMask: NodeClass.Object | NodeClass.Variable,
    resultMask: 0x3f,
  }, nodeId ?? OBJECTS_FOLDER);
  // A child reached by two hierarchical references (HasComponent and HasNotifier, say) is one node.
  const seen = new Set<string>();
  const children = refs
    .filter((r) => !isProperty(r))
    .filter((r) => {
      const id = r.nodeId.toString();
      return !seen.has(id) && (seen.add(id), true);
    });
  const parents = await variablesWithChildren(session, children.filter((r) => r.nodeClass === NodeClass.Variable).map((r) => resolveNodeId(r.nodeId)));
  return children.map((r) => ({
    nodeId: portableText(resolveNodeId(r.nodeId), namespaces),
    browseName: r.browseName.toString(),
    // DisplayName is optional in practice (Part 3 makes it mandatory, servers leave it empty): the BrowseName names the node then.
    displayName: r.displayName.text || r.browseName.name || '',
    nodeClass: NodeClass[r.nodeClass] ?? String(r.nodeClass),
    hasChildren: r.nodeClass === NodeClass.Object || parents.has(resolveNodeId(r.nodeId).toString()),
  }));
}

const isProperty = (r: ReferenceDescription): boolean => r.referenceTypeId.namespace === 0 && r.referenceTypeId.value === HAS_PROPERTY;

/**
 * Which of these variables have children the tree would show (a structure's members, an array's
 * elements, ServerStatus's parts: HasComponent and other hierarchical references but properties,
 * which are shown as attributes). One browse per MaxNodesPerBrowse variables; a continuation point
 * (more references than asked for) is released at once, the first part answers the question.
 */
async function variablesWithChildren(session: ClientSession, ids: NodeId[]): Promise<Set<string>> {
  const parents = new Set<string>();
  for (let i = 0; i < ids.length; i += DEFAULT_LIMITS.maxNodesPerBrowse) {
    const chunk = ids.slice(i, i + DEFAULT_LIMITS.maxNodesPerBrowse);
    const results = await session.browse(chunk.map((nodeId) => ({
      nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: resolveNodeId(ReferenceTypeIds.HierarchicalReferences),
      includeSubtypes: true, nodeClassMask: NodeClass.Object | NodeClass.Variable, resultMask: 0x01,
    })));
    results.forEach((r, k) => {
      if (r.statusCode.isGood() && (r.references ?? []).some((ref) => !isProperty(ref))) parents.add(chunk[k]!.toString());
    });
    const points = results.map((r) => r.continuationPoint).filter((cp): cp is Buffer => !!cp && cp.length > 0);
    if (points.length > 0) await session.browseNext(points, true);
  }
  return parents;
}

export async function nodeDetail(session: ClientSession, server: string, nodeId: string, tags: readonly TagConfigEntry[]): Promise<NodeDetail> {
  const namespaces = await readNamespaces(session);
  const id = toServerNodeId(nodeId, namespaces);
  const attrs = [AttributeIds.BrowseName, AttributeIds.DisplayName, AttributeIds.Description, AttributeIds.NodeClass, AttributeIds.Historizing];
  const [browseName, displayName, description, nodeClass, historizing] = await readChunked(session, attrs.map((attributeId) => ({ nodeId: id, attributeId })), DEFAULT_LIMITS.maxNodesPerRead);
  if (!nodeClass!.statusCode.isGood()) throw new Error(`${nodeId}: ${nodeClass!.statusCode.name}`);
  const cls = nodeClass!.value.value as NodeClass;
  const name = browseName!.value.value as { name?: string } | null;
  const detail: NodeDetail = {
    server, nodeId: portableText(id, namespaces),
    browseName: String(browseName!.value.value ?? ''),
    // An empty DisplayName (a server's omission) would give a tag added from here no description: its BrowseName does.
    displayName: (displayName!.value.value as { text?: string } | null)?.text || name?.name || '',
    description: (description!.value.value as { text?: string } | null)?.text ?? '',
    nodeClass: NodeClass[cls] ?? String(cls),
    dataType: null, builtIn: null, valueRank: null, accessLevel: [], historizing: historizing!.value.value === true,
    unit: null, range: null, value: null, status: 0, sourceTime: null, suggestedKind: null, refusal: null,
    tags: tags.filter((t) => t.server === server && sameNode(t.nodeId, id, namespaces)).map((t) => t.name),
  };
  if (cls !== NodeClass.Variable) return detail;
  const [typeResult] = await new TypeReader(session, 100, 100).read([id]);
  const [access, value] = await readChunked(session, [{ nodeId: id, attributeId: AttributeIds.AccessLevel }, { nodeId: id, attributeId: AttributeIds.Value }], DEFAULT_LIMITS.maxNodesPerRead, 0);
  const level = typeof access!.value.value === 'number' ? access!.value.value : 0;
  detail.accessLevel = ACCESS.filter((_, bit) => (level & (1 << bit)) !== 0);
  Object.assign(detail, await unitAndRange(session, id));
  if (typeResult?.ok) {
    const type = typeResult.type;
    detail.dataType = typeName(type);
    detail.builtIn = DataType[type.builtIn] ?? null;
    detail.valueRank = type.valueRank;
    detail.suggestedKind = suggestedKind(type);
    const refusal = detail.suggestedKind ? null : refusalFor('analog', type);
    detail.refusal = refusal ? { key: refusal.key, params: refusal.params } : null;
  }
  const converted = convert(detail.suggestedKind ?? 'text', value!.value, value!.statusCode.value);
  detail.value = converted.value;
  detail.status = value!.statusCode.value >>> 0;
  detail.sourceTime = value!.sourceTimestamp?.getTime() ?? null;
  return detail;
}

/** EngineeringUnits and EURange properties (Part 8 AnalogItemType), when the variable has them; read with maxAge 0. */
export async function unitAndRange(session: ClientSession, id: NodeId): Promise<Pick<NodeDetail, 'unit' | 'range'>> {
  // The same read the station makes of every watched tag at each connection (units-read.ts).
  const [units] = await readServerUnits(session, [id], DEFAULT_LIMITS);
  return units!;
}

/** A tag's node id (either form) names this node on the server now. */
function sameNode(tagNodeId: string, id: NodeId, namespaces: readonly string[]): boolean {
  try {
    return toServerNodeId(tagNodeId, namespaces).toString() === id.toString();
  } catch (err) {
    // A tag this server cannot resolve (bad text, a namespace it lacks) reads no node of it; tags.sources says why.
    if (err instanceof NodeIdTextError || err instanceof NamespaceUnknownError) return false;
    throw err;
  }
}

/** Pages in a row that bring no reference not seen before: a server that does that is not going to end. */
const STALLED_PAGES = 10;

/**
 * Every reference of one browse, following continuation points until the server has none left
 * (Part 4 lets it return fewer references than asked, a large folder comes in many pages). A bad
 * status, or a server that keeps paging without anything new, is an error: never a cut-short list.
 */
export async function browseAll(session: ClientSession, description: BrowseDescriptionOptions, what: string): Promise<ReferenceDescription[]> {
  const first = await session.browse(description);
  if (!first.statusCode.isGood()) throw new Error(`browsing ${what}: ${first.statusCode.name}`);
  const refs = [...(first.references ?? [])];
  const seen = new Set(refs.map(refKey));
  let cp = first.continuationPoint;
  for (let stalled = 0; cp && cp.length > 0;) {
    const page = await session.browseNext(cp, false);
    if (!page.statusCode.isGood()) throw await released(session, cp, `browsing ${what} (next part): ${page.statusCode.name}`);
    const fresh = (page.references ?? []).filter((r) => !seen.has(refKey(r)));
    for (const r of fresh) seen.add(refKey(r));
    refs.push(...fresh);
    stalled = fresh.length === 0 ? stalled + 1 : 0;
    if (stalled >= STALLED_PAGES && page.continuationPoint?.length) {
      throw await released(session, page.continuationPoint, `browsing ${what}: the server sent ${STALLED_PAGES} parts in a row with nothing new and did not end`);
    }
    cp = page.continuationPoint;
  }
  return refs;
}

const refKey = (r: ReferenceDescription): string => `${r.referenceTypeId.toString()}|${r.isForward}|${r.nodeId.toString()}`;

/** Frees the server's continuation point before giving up; a failure to free it is told with the error. */
async function released(session: ClientSession, cp: Buffer, message: string): Promise<Error> {
  try {
    const r = await session.browseNext(cp, true);
    // A point the server already dropped (the usual case after a bad status) needs no release.
    if (r.statusCode.isGood() || r.statusCode.name === 'BadContinuationPointInvalid') return new Error(message);
    return new Error(`${message} (releasing its continuation point: ${r.statusCode.name})`);
  } catch (err) {
    return new Error(`${message} (releasing its continuation point: ${(err as Error).message})`);
  }
}

