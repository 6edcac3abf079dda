/**
 * Reads what each variable holds before it is subscribed: DataType,
 * ValueRank and AccessLevel, in reads within the server's MaxNodesPerRead,
 * and each DataType resolved to its built-in type by walking HasSubtype up
 * to the standard types (a vendor's "Percent" is a Double, "Duration" too,
 * an enumeration is an Int32, its states named by its EnumStrings or EnumValues).
 * A type the server refuses to browse for want of a continuation point is not
 * known yet (firstParts asks again), never taken for 'any type' or nameless.
 */
import {
  AttributeIds, BrowseDirection, DataType, ReferenceTypeIds, resolveNodeId, type BrowseDescriptionOptions, type ClientSession, type NodeId,
} from 'node-opcua-client';
import { NodeIdType } from 'node-opcua-nodeid';
import { isBad } from '../../../historian/status.js';
import { browseAll } from './browse.js';
import { firstParts, inTurn } from './browse-points.js';
import type { EnumState, NodeType } from './data-types.js';
import { inParts, readChunked } from './operation-limits.js';

const ENUMERATION = 29;
const STRUCTURE = 22;
const BASE_DATA_TYPE = 24;
/** Abstract numeric types: their values are checked one by one on arrival. */
const ABSTRACT_NUMBERS: Record<number, DataType> = { 26: DataType.Double, 27: DataType.Int64, 28: DataType.UInt64 };
const HAS_SUBTYPE = resolveNodeId(ReferenceTypeIds.HasSubtype);
const HAS_PROPERTY = resolveNodeId(ReferenceTypeIds.HasProperty);
const HISTORY_READ = 0x04;

/** Per node: its type, or the server's own status for why it could not be read. */
export type NodeTypeResult = { ok: true; type: NodeType } | { ok: false; status: number; statusName: string };

interface Resolved {
  builtIn: DataType;
  enumeration: boolean;
  structure: boolean;
}

/** Caches DataType resolutions for one session (types do not change under a session). */
export class TypeReader {
  private readonly resolved = new Map<string, Resolved>();
  private readonly names = new Map<string, string>();
  private readonly states = new Map<string, EnumState[] | null>();

  constructor(
    private readonly session: ClientSession,
    private readonly maxNodesPerRead: number,
    private readonly maxNodesPerBrowse: number,
  ) {}

  /** Enumeration names are read again at the next read: a value came with SemanticsChanged (Part 4 §7.39.1), its names may differ now. */
  forgetStates(): void {
    this.states.clear();
  }

  async read(nodeIds: readonly NodeId[]): Promise<NodeTypeResult[]> {
    const attrs = [AttributeIds.DataType, AttributeIds.ValueRank, AttributeIds.AccessLevel];
    // Each attribute counts as one node of MaxNodesPerRead (a limit of 1 or 2 cannot take one node's three).
    const values = await readChunked(this.session, nodeIds.flatMap((nodeId) => attrs.map((attributeId) => ({ nodeId, attributeId }))), this.maxNodesPerRead);
    const dataTypes: NodeId[] = [];
    for (let i = 0; i < nodeIds.length; i++) {
      const dv = values[i * 3]!;
      if (!isBad(dv.statusCode.value)) dataTypes.push(dv.value.value as NodeId);
    }
    await this.resolve(dataTypes);
    await this.readNames(dataTypes);
    await this.readStates(dataTypes.filter((id) => this.resolved.get(id.toString())?.enumeration === true));
    return nodeIds.map((_, i) => {
      const [dt, rank, access] = [values[i * 3]!, values[i * 3 + 1]!, values[i * 3 + 2]!];
      if (isBad(dt.statusCode.value)) return { ok: false, status: dt.statusCode.value >>> 0, statusName: dt.statusCode.name };
      const id = dt.value.value as NodeId;
      const r = this.resolved.get(id.toString()) ?? { builtIn: DataType.Variant, enumeration: false, structure: false };
      const valueRank = rank.statusCode.isGood() && typeof rank.value.value === 'number' ? rank.value.value : -1;
      const accessLevel = access.statusCode.isGood() && typeof access.value.value === 'number' ? access.value.value : 0;
      return {
        ok: true,
        type: {
          ...r, name: this.names.get(id.toString()) ?? '', valueRank, historyReadable: (accessLevel & HISTORY_READ) !== 0,
          states: r.enumeration ? (this.states.get(id.toString()) ?? null) : null,
        },
      };
    });
  }

  /** Walks HasSubtype (inverse) from each unknown DataType until a standard one decides it. */
  private async resolve(ids: readonly NodeId[]): Promise<void> {
    const any: Resolved = { builtIn: DataType.Variant, enumeration: false, structure: false };
    // origin type -> the supertype reached so far
    let climbing = new Map<string, NodeId>();
    for (const id of ids) {
      const key = id.toString();
      if (this.resolved.has(key) || climbing.has(key)) continue;
      const known = standard(id);
      if (known) this.resolved.set(key, known);
      else climbing.set(key, id);
    }
    // Each round climbs one level for every type still undecided; plant types are a few levels deep.
    for (let depth = 0; climbing.size > 0 && depth < 16; depth++) {
      const current = [...new Map([...climbing.values()].map((id) => [id.toString(), id])).values()];
      const parentOf = new Map<string, NodeId | null>();
      await inParts(current, this.maxNodesPerBrowse, async (part) => {
        // A type refused for want of a continuation point is asked again, never taken for one without a supertype (firstParts).
        const parts = await firstParts(this.session, part.map((nodeId) => ({
          nodeId, browseDirection: BrowseDirection.Inverse, referenceTypeId: HAS_SUBTYPE, includeSubtypes: false, nodeClassMask: 0, resultMask: 0x3f,
        })));
        part.forEach((id, k) => parentOf.set(id.toString(), parts[k]?.result.references?.[0]?.nodeId ?? null));
      });
      const next = new Map<string, NodeId>();
      for (const [origin, at] of climbing) {
        const parent = parentOf.get(at.toString()) ?? null;
        // No supertype: not a type the station knows how to read; each value is checked on arrival.
        const known = parent === null ? any : (standard(parent) ?? this.resolved.get(parent.toString()));
        if (known) this.resolved.set(origin, known);
        else next.set(origin, parent!);
      }
      climbing = next;
    }
    for (const origin of climbing.keys()) this.resolved.set(origin, any);
  }

  /**
   * Each enumeration DataType's state names: its EnumStrings or EnumValues property (Part 3 §5.8.3),
   * found by browsing its properties. A type that has neither, or a server that cannot say, names none.
   */
  private async readStates(ids: readonly NodeId[]): Promise<void> {
    const missing = [...new Map(ids.map((id) => [id.toString(), id])).values()].filter((id) => !this.states.has(id.toString()));
    const found: { type: string; property: 'EnumStrings' | 'EnumValues'; nodeId: NodeId }[] = [];
    const propertiesOf = (nodeId: NodeId): BrowseDescriptionOptions => ({
      nodeId, browseDirection: BrowseDirection.Forward, referenceTypeId: HAS_PROPERTY, includeSubtypes: true, nodeClassMask: 0, resultMask: 0x3f,
    });
    await inParts(missing, this.maxNodesPerBrowse, async (part) => {
      const parts = await firstParts(this.session, part.map(propertiesOf));
      const inPart: typeof found = [];
      for (const [k, id] of part.entries()) {
        const first = parts[k]!.result;
        if (isBad(first.statusCode.value)) continue;
        // A server that pages a type's few properties: its point was released, the type is browsed to the end.
        const refs = parts[k]!.more
          ? await inTurn(this.session, () => browseAll(this.session, propertiesOf(id), id.toString()), true)
          : (first.references ?? []);
        const ref = refs.find((r) => r.browseName.namespaceIndex === 0 && (r.browseName.name === 'EnumStrings' || r.browseName.name === 'EnumValues'));
        if (ref) inPart.push({ type: id.toString(), property: ref.browseName.name as 'EnumStrings' | 'EnumValues', nodeId: ref.nodeId });
      }
      // inParts may run a part again in halves: only a part that succeeded adds its properties.
      found.push(...inPart);
    });
    const values = await readChunked(this.session, found.map((f) => ({ nodeId: f.nodeId, attributeId: AttributeIds.Value })), this.maxNodesPerRead);
    // Kept only once every type was answered: a read that failed part way is made again at the next read.
    for (const id of missing) this.states.set(id.toString(), null);
    found.forEach((f, k) => {
      const dv = values[k];
      if (dv && !isBad(dv.statusCode.value)) this.states.set(f.type, statesOf(f.property, dv.value.value));
    });
  }

  private async readNames(ids: readonly NodeId[]): Promise<void> {
    const missing = [...new Map(ids.map((id) => [id.toString(), id])).values()].filter((id) => !this.names.has(id.toString()));
    const names = await readChunked(this.session, missing.map((nodeId) => ({ nodeId, attributeId: AttributeIds.BrowseName })), this.maxNodesPerRead);
    missing.forEach((id, k) => {
      const qn = names[k]?.value.value as { name?: string } | null | undefined;
      this.names.set(id.toString(), qn?.name ?? '');
    });
  }
}

/** An Int64 as node-opcua gives it ([high, low] words), or a number; null when it is no safe integer. */
function int64Of(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  if (Array.isArray(v) && v.length === 2) {
    const [hi, lo] = v as [number, number];
    const n = (hi | 0) * 2 ** 32 + (lo >>> 0);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

/**
 * An enumeration's states from its EnumStrings (LocalizedText[], value = index) or EnumValues
 * (EnumValueType[]: value, displayName); null when the value is neither, or names nothing.
 */
export function statesOf(property: 'EnumStrings' | 'EnumValues', value: unknown): EnumState[] | null {
  if (!Array.isArray(value)) return null;
  const states: EnumState[] = [];
  value.forEach((item: unknown, i) => {
    if (property === 'EnumStrings') {
      const text = (item as { text?: unknown } | null)?.text;
      if (typeof text === 'string' && text !== '') states.push({ value: i, name: text });
      return;
    }
    const e = item as { value?: unknown; displayName?: { text?: unknown } } | null;
    const n = int64Of(e?.value);
    const text = e?.displayName?.text;
    if (n !== null && typeof text === 'string' && text !== '') states.push({ value: n, name: text });
  });
  return states.length > 0 ? states : null;
}

/** The standard types (namespace 0) that decide a DataType; null for any other. */
function standard(id: NodeId): Resolved | null {
  if (id.namespace !== 0 || id.identifierType !== NodeIdType.NUMERIC) return null;
  const n = id.value as number;
  if (n === ENUMERATION) return { builtIn: DataType.Int32, enumeration: true, structure: false };
  if (n === STRUCTURE) return { builtIn: DataType.ExtensionObject, enumeration: false, structure: true };
  if (n === BASE_DATA_TYPE) return { builtIn: DataType.Variant, enumeration: false, structure: false };
  if (ABSTRACT_NUMBERS[n] !== undefined) return { builtIn: ABSTRACT_NUMBERS[n]!, enumeration: false, structure: false };
  if (n >= 1 && n <= 25) return { builtIn: n as DataType, enumeration: false, structure: n === DataType.ExtensionObject };
  return null;
}

