/**
 * OPC UA node ids in their text form (Part 6 §5.1.12, §5.3.1.10):
 * `ns=<index>;<id>`, `nsu=<namespace URI>;<id>`, or `<id>` alone (namespace 0),
 * <id> being i=<UInt32>, s=<string>, g=<GUID> or b=<base64>.
 * An index is only where the server lists the URI in its NamespaceArray today:
 * a server restart may change it. A URI names the namespace for good.
 * Pure (no node-opcua): the config schema and the console use it too.
 */

export type NodeNamespace = { index: number } | { uri: string };

export interface ParsedNodeId {
  namespace: NodeNamespace;
  /** The identifier part as written: "i=1001", "s=TK101.Level", "g=…", "b=…". */
  identifier: string;
}

export const NODE_ID_EXPECTED =
  'expected an OPC UA node id: ns=<index>;<id> or nsu=<namespace URI>;<id>, <id> being i=<number>, s=<text>, g=<GUID> or b=<base64> (e.g. "nsu=urn:vendor:tanks;s=TK101.Level")';

const IDENTIFIER = /^(?:i=\d{1,10}|s=[\s\S]+|g=[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|b=[A-Za-z0-9+/]+={0,2})$/;
const MAX_UINT32 = 4294967295;
const MAX_NAMESPACE = 65535;

/** The parts of a node id in text form; null when it is not one. */
export function parseNodeId(text: string): ParsedNodeId | null {
  let namespace: NodeNamespace = { index: 0 };
  let rest = text;
  const ns = /^ns=(\d{1,5});/.exec(text);
  if (ns) {
    const index = Number(ns[1]);
    if (index > MAX_NAMESPACE) return null;
    namespace = { index };
    rest = text.slice(ns[0].length);
  } else if (text.startsWith('nsu=')) {
    // The URI ends at the first ';' (a URI's own ';' and '%' are written %3B and %25).
    const end = text.indexOf(';');
    if (end < 0) return null;
    const uri = unescapeUri(text.slice(4, end));
    if (uri === '') return null;
    namespace = { uri };
    rest = text.slice(end + 1);
  }
  if (!IDENTIFIER.test(rest)) return null;
  if (rest.startsWith('i=') && Number(rest.slice(2)) > MAX_UINT32) return null;
  return { namespace, identifier: rest };
}

/** The text form: `nsu=` for a URI (its ';' and '%' escaped), `ns=` for an index. */
export function formatNodeId(p: ParsedNodeId): string {
  return 'uri' in p.namespace ? `nsu=${escapeUri(p.namespace.uri)};${p.identifier}` : `ns=${p.namespace.index};${p.identifier}`;
}

const escapeUri = (uri: string): string => uri.replace(/%/g, '%25').replace(/;/g, '%3B');
const unescapeUri = (s: string): string => s.replace(/%(25|3[Bb])/g, (_, c: string) => (c === '25' ? '%' : ';'));
