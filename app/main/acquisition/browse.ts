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
  type BrowseResult, type DataValue, type NodeId, type ReferenceDescription,
} from 'node-opcua-client';
import type { BrowseNode, NodeDetail } from '../../shared/api/acquisition.js';
import type { TagConfigEntry } from '../../shared/config.js';
import { refusalFor, suggestedKind, typeName } from './data-types.js';
import { NamespaceUnknownError, NodeIdTextError, portableText, readNamespaces, toServerNodeId } from './namespaces.js';
import { DEFAULT_LIMITS, inParts, readChunked } from './operation-limits.js';
import { readServerUnits } from './units-read.js';
import { convert } from './sample.js';
import { TypeReader } from './type-reader.js';
import { browseEndless, browseRefused, inTurn, isTimeout, NO_POINTS, whenPointFree } from './browse-points.js';

const OBJECTS_FOLDER = 'ns=0;i=85';
const HAS_PROPERTY = ReferenceTypeIds.HasProperty;
const ACCESS = ['CurrentRead', 'CurrentWrite', 'HistoryRead', 'HistoryWrite', 'SemanticChange', 'StatusWrite', 'TimestampWrite'];

/**
 * Children under hierarchical references, properties left out (they are shown as attributes). One
 * browse at a time per session (browse-points.ts): the consoles share the station's session and its
 * continuation points. A refusal is said in the console's words.
 */
export function browseChildren(session: ClientSession, nodeId: string | undefined): Promise<BrowseNode[]> {
  const what = nodeId ?? OBJECTS_FOLDER;
  return inTurn(session, () => saidRefused(what, () => childrenOf(session, nodeId)));
}

async function childrenOf(session: ClientSession, nodeId: string | undefined): Promise<BrowseNode[]> {
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
  const parents = await variablesWithChildren(session, children.filter((r) => r.nodeClass === NodeClass.Variable).map((r) => resolveNodeId(r.nodeId)), nodeId ?? OBJECTS_FOLDER);
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
async function variablesWithChildren(session: ClientSession, ids: NodeId[], what: string): Promise<Set<string>> {
  const parents = new Set<string>();
  // A server that takes fewer nodes per Browse than asked (BadTooManyOperations) is asked in halves.
  await inParts(ids, DEFAULT_LIMITS.maxNodesPerBrowse, async (part) => {
    let left = part;
    const answered = await whenPointFree(async () => {
      while (left.length > 0) {
        const before = left.length;
        left = await browseForChildren(session, left, parents);
        if (left.length === before) return 'busy';
      }
      return 'done';
    });
    if (answered === 'busy') throw browseRefused(what, NO_POINTS, `browsing ${what}: which variables have children: ${NO_POINTS}`);
  });
  return parents;
}

/**
 * One browse of these variables, adding those with children to parents. The server gives a node a
 * continuation point while it has one and refuses the rest (Part 4 §5.8.2): those are returned, to be
 * asked again once the points given are released, never taken for childless.
 */
async function browseForChildren(session: ClientSession, ids: NodeId[], parents: Set<string>): Promise<NodeId[]> {
  const results = await session.browse(ids.map((nodeId) => ({
    nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: resolveNodeId(ReferenceTypeIds.HierarchicalReferences),
    includeSubtypes: true, nodeClassMask: NodeClass.Object | NodeClass.Variable, resultMask: 0x01,
  })));
  results.forEach((r, k) => {
    if (r.statusCode.isGood() && (r.references ?? []).some((ref) => !isProperty(ref))) parents.add(ids[k]!.toString());
  });
  const points = results.map((r) => r.continuationPoint).filter((cp): cp is Buffer => !!cp && cp.length > 0);
  if (points.length > 0) await session.browseNext(points, true);
  return ids.filter((_, k) => results[k]?.statusCode.name === NO_POINTS);
}

/** One node's attributes and live value; in turn with the browses (its type and units are browsed too). */
export function nodeDetail(session: ClientSession, server: string, nodeId: string, tags: readonly TagConfigEntry[]): Promise<NodeDetail> {
  return inTurn(session, () => saidRefused(nodeId, () => detailOf(session, server, nodeId, tags)));
}

/** A session call that timed out, said as a refusal with BadTimeout (node-opcua's own text is English). */
async function saidRefused<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isTimeout(err)) throw browseRefused(what, 'BadTimeout', `browsing ${what}: ${(err as Error).message}`);
    throw err;
  }
}

async function detailOf(session: ClientSession, server: string, nodeId: string, tags: readonly TagConfigEntry[]): Promise<NodeDetail> {
  const namespaces = await readNamespaces(session);
  const id = toServerNodeId(nodeId, namespaces);
  const attrs = [AttributeIds.BrowseName, AttributeIds.DisplayName, AttributeIds.Description, AttributeIds.NodeClass, AttributeIds.Historizing];
  const [browseName, displayName, description, nodeClass, historizing] = await readChunked(session, attrs.map((attributeId) => ({ nodeId: id, attributeId })), DEFAULT_LIMITS.maxNodesPerRead);
  if (!nodeClass!.statusCode.isGood()) throw browseRefused(nodeId, nodeClass!.statusCode.name, `${nodeId}: ${nodeClass!.statusCode.name}`);
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
  const [access, userAccess, value] = await readChunked(session, [AttributeIds.AccessLevel, AttributeIds.UserAccessLevel, AttributeIds.Value].map((attributeId) => ({ nodeId: id, attributeId })), DEFAULT_LIMITS.maxNodesPerRead, 0);
  const level = typeof access!.value.value === 'number' ? access!.value.value : 0;
  detail.accessLevel = ACCESS.filter((_, bit) => (level & (1 << bit)) !== 0);
  const unreadable = unreadableBy(access!, userAccess!);
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
  // A variable the station may not read would be a tag without a value, ever: refused as an array is.
  if (unreadable) detail.refusal = { key: 'acquisition.issue.notReadable', params: { attribute: unreadable } };
  const converted = convert(detail.suggestedKind ?? 'text', value!.value, value!.statusCode.value);
  detail.value = converted.value;
  detail.status = value!.statusCode.value >>> 0;
  detail.sourceTime = value!.sourceTimestamp?.getTime() ?? null;
  return detail;
}

const CURRENT_READ = 1;

/**
 * Which attribute keeps the station from reading the variable's value (Part 3 §5.6.2): its AccessLevel
 * without CurrentRead, or its UserAccessLevel (for the station's user) without it; null when neither.
 * An attribute the server does not give says nothing.
 */
function unreadableBy(access: DataValue, userAccess: DataValue): 'AccessLevel' | 'UserAccessLevel' | null {
  const lacksRead = (dv: DataValue) => dv.statusCode.isGood() && typeof dv.value.value === 'number' && (dv.value.value & CURRENT_READ) === 0;
  if (lacksRead(access)) return 'AccessLevel';
  return lacksRead(userAccess) ? 'UserAccessLevel' : null;
}

/** EngineeringUnits and EURange properties (Part 8 AnalogItemType), when the variable has them; read with maxAge 0. */
export async function unitAndRange(session: ClientSession, id: NodeId): Promise<Pick<NodeDetail, 'unit' | 'range'>> {
  // The same read the station makes of every watched tag at each connection (units-read.ts).
  const [units] = await readServerUnits(session, [id], DEFAULT_LIMITS);
  return { unit: units!.unit, range: units!.range };
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
 * (Part 4 lets it return fewer references than asked, a large folder comes in many parts). A bad
 * status, or a server that keeps paging without anything new, is an error: never a cut-short list.
 * A browse refused for want of a continuation point waits for one (browse-points.ts); a point held
 * is released whenever the browse ends early, a request that failed or timed out included, so an
 * abandoned browse does not leave the server one point fewer for the session.
 */
export async function browseAll(session: ClientSession, description: BrowseDescriptionOptions, what: string): Promise<ReferenceDescription[]> {
  const first = await whenPointFree(async () => {
    const r = await session.browse(description);
    return r.statusCode.name === NO_POINTS ? 'busy' : r;
  });
  if (first === 'busy') throw browseRefused(what, NO_POINTS, `browsing ${what}: ${NO_POINTS}`);
  if (!first.statusCode.isGood()) throw browseRefused(what, first.statusCode.name, `browsing ${what}: ${first.statusCode.name}`);
  const refs = [...(first.references ?? [])];
  const seen = new Set(refs.map(refKey));
  let cp = first.continuationPoint;
  for (let stalled = 0; cp && cp.length > 0;) {
    const held: Buffer = cp;
    let page: BrowseResult;
    try {
      page = await session.browseNext(held, false);
    } catch (err) {
      throw await released(session, held, err as Error);
    }
    const status = page.statusCode.name;
    if (!page.statusCode.isGood()) throw await released(session, held, browseRefused(what, status, `browsing ${what} (next part): ${status}`));
    const fresh = (page.references ?? []).filter((r) => !seen.has(refKey(r)));
    for (const r of fresh) seen.add(refKey(r));
    refs.push(...fresh);
    stalled = fresh.length === 0 ? stalled + 1 : 0;
    if (stalled >= STALLED_PAGES && page.continuationPoint?.length) {
      throw await released(session, page.continuationPoint, browseEndless(what, STALLED_PAGES, `browsing ${what}: the server sent ${STALLED_PAGES} parts in a row with nothing new and did not end`));
    }
    cp = page.continuationPoint;
  }
  return refs;
}

const refKey = (r: ReferenceDescription): string => `${r.referenceTypeId.toString()}|${r.isForward}|${r.nodeId.toString()}`;

/** Frees the server's continuation point before giving up with err; a failure to free it is logged with the error. */
async function released(session: ClientSession, cp: Buffer, err: Error): Promise<Error> {
  let also: string;
  try {
    const r = await session.browseNext(cp, true);
    // A point the server already dropped (the usual case after a bad status) needs no release.
    if (r.statusCode.isGood() || r.statusCode.name === 'BadContinuationPointInvalid') return err;
    also = r.statusCode.name;
  } catch (e) {
    also = (e as Error).message;
  }
  err.message = `${err.message} (releasing its continuation point: ${also})`;
  return err;
}
