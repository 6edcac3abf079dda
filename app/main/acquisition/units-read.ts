/**
 * The EngineeringUnits and EURange properties (Part 8 AnalogItemType) of many variables at once:
 * their properties browsed within MaxNodesPerBrowse and their values read within MaxNodesPerRead,
 * not a browse and a read per tag (a connection of 10,000 analog tags checks them in a few dozen
 * requests). A request the server refuses as too large is made again in halves (inParts). A node
 * refused for want of a continuation point (a server keeping one per session, a console's browse
 * holding it) is asked again when one is free: its units are not known until then, not none.
 */
import { AttributeIds, BrowseDirection, NodeClass, ReferenceTypeIds, resolveNodeId, type BrowseDescriptionOptions, type ClientSession, type NodeId } from 'node-opcua-client';
import { isBad } from '../../../historian/status.js';
import { browseAll } from './browse.js';
import { firstParts, inTurn } from './browse-points.js';
import { uneceCode, type ServerUnits } from './engineering-units.js';
import { inParts, readChunked, type OperationLimits } from './operation-limits.js';

const HAS_PROPERTY = resolveNodeId(ReferenceTypeIds.HasProperty);
/** Part 8 §5.6.3: the namespace of UNECE Recommendation 20's codes in EUInformation. */
const UNECE_URI = 'http://www.opcfoundation.org/UA/units/un/cefact';

const propertiesOf = (nodeId: NodeId): BrowseDescriptionOptions => ({
  nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: HAS_PROPERTY, includeSubtypes: true, nodeClassMask: NodeClass.Variable, resultMask: 0x3f,
});

interface Property {
  at: number;
  which: 'unit' | 'range';
  nodeId: NodeId;
}

/**
 * Per node, in the order given: what its server says of its units. A node the server will not
 * browse (unknown, access denied) or without those properties says nothing ({ unit: null, range:
 * null }): nothing to compare. A failed request (a timeout, a lost session, no continuation point
 * free within POINT_WAIT_MS) throws: the units are then not known, which is not the same as none.
 */
export async function readServerUnits(
  session: ClientSession, nodeIds: readonly NodeId[], limits: Pick<OperationLimits, 'maxNodesPerRead' | 'maxNodesPerBrowse'>,
): Promise<ServerUnits[]> {
  const out: ServerUnits[] = nodeIds.map(() => ({ unit: null, range: null }));
  const found: Property[] = [];
  await inParts(nodeIds.map((nodeId, at) => ({ nodeId, at })), limits.maxNodesPerBrowse, async (part) => {
    // A node refused for want of a continuation point is asked again, never taken for one without units (firstParts).
    const results = await firstParts(session, part.map((p) => propertiesOf(p.nodeId)));
    const inPart: Property[] = [];
    for (const [k, p] of part.entries()) {
      const r = results[k]!;
      if (isBad(r.result.statusCode.value)) continue;
      // A server that pages a node's few properties: every point of the part released, the node browsed to the end.
      const refs = r.more
        ? await inTurn(session, () => browseAll(session, propertiesOf(p.nodeId), p.nodeId.toString()), true)
        : (r.result.references ?? []);
      for (const ref of refs) {
        if (ref.browseName.namespaceIndex !== 0) continue;
        if (ref.browseName.name === 'EngineeringUnits') inPart.push({ at: p.at, which: 'unit', nodeId: ref.nodeId });
        else if (ref.browseName.name === 'EURange') inPart.push({ at: p.at, which: 'range', nodeId: ref.nodeId });
      }
    }
    // inParts may run a part again in halves: only a part that succeeded adds its properties.
    found.push(...inPart);
  });
  const values = await readChunked(session, found.map((f) => ({ nodeId: f.nodeId, attributeId: AttributeIds.Value })), limits.maxNodesPerRead, 0);
  found.forEach((f, k) => {
    const dv = values[k];
    if (!dv || isBad(dv.statusCode.value)) return;
    const v = dv.value.value as { displayName?: { text?: string | null }; unitId?: number; namespaceUri?: string | null; low?: number; high?: number } | null;
    if (!v) return;
    if (f.which === 'unit') {
      out[f.at]!.unit = v.displayName?.text ?? null;
      // A unitId is a UNECE code under UNECE's namespace, which Part 8 makes the default (none given).
      const code = !v.namespaceUri || v.namespaceUri === UNECE_URI ? uneceCode(v.unitId ?? -1) : null;
      if (code !== null) out[f.at]!.unece = code;
    } else if (typeof v.low === 'number' && typeof v.high === 'number' && v.low < v.high) out[f.at]!.range = [v.low, v.high];
  });
  return out;
}
