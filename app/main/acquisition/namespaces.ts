/**
 * Node ids against one server's NamespaceArray (Server_NamespaceArray,
 * i=2255): a `nsu=` id becomes the index the server gives its URI today, and
 * a node the server hands out becomes `nsu=` text, which stays true when the
 * server registers its namespaces in another order after a restart.
 */
import { AttributeIds, NodeId, VariableIds, coerceNodeId, type ClientSession } from 'node-opcua-client';
import { formatNodeId, parseNodeId, type ParsedNodeId } from '../../shared/config/node-id.js';

const NAMESPACE_ARRAY = `ns=0;i=${VariableIds.Server_NamespaceArray}`;

/** URIs by index, as the server lists them now; an error when it does not give them. */
export async function readNamespaces(session: ClientSession): Promise<string[]> {
  const dv = await session.read({ nodeId: NAMESPACE_ARRAY, attributeId: AttributeIds.Value });
  if (!dv.statusCode.isGood() || !Array.isArray(dv.value.value)) {
    throw new Error(`the server did not give its NamespaceArray (i=2255): ${dv.statusCode.name}`);
  }
  return (dv.value.value as unknown[]).map(String);
}

export class NodeIdTextError extends Error {}
export class NamespaceUnknownError extends Error {
  constructor(readonly uri: string) {
    super(`the server has no namespace ${uri}`);
  }
}

/** Parses node id text (either form); NodeIdTextError when it is not a node id. */
export function parseNodeIdText(text: string): ParsedNodeId {
  const parsed = parseNodeId(text);
  if (!parsed) throw new NodeIdTextError(`"${text}" is not an OPC UA node id (ns=<index>;<id> or nsu=<namespace URI>;<id>)`);
  return parsed;
}

/** The index the node's namespace has on this server now; NamespaceUnknownError when it lists no such URI. */
export function namespaceIndex(parsed: ParsedNodeId, namespaces: readonly string[]): number {
  if ('index' in parsed.namespace) return parsed.namespace.index;
  const index = namespaces.indexOf(parsed.namespace.uri);
  if (index < 0) throw new NamespaceUnknownError(parsed.namespace.uri);
  return index;
}

/** Node id text (ns= or nsu=) as this server's NodeId. */
export function toServerNodeId(text: string, namespaces: readonly string[]): NodeId {
  const parsed = parseNodeIdText(text);
  return coerceNodeId(parsed.identifier, namespaceIndex(parsed, namespaces));
}

/** A node of this server as text that survives a renumbering: nsu= for any namespace but 0 (the standard's own). */
export function portableText(id: NodeId, namespaces: readonly string[]): string {
  const identifier = new NodeId(id.identifierType, id.value, 0).toString({ namespaceArray: [] });
  const uri = namespaces[id.namespace];
  if (id.namespace === 0 || uri === undefined) return id.toString();
  return formatNodeId({ namespace: { uri }, identifier });
}
