/**
 * The redundant partners a server names (Part 5 NonTransparentRedundancyType ServerUriArray,
 * Server_ServerRedundancy_ServerUriArray, i=11314: the ServerUris of the servers of its redundant
 * set) that the station's config does not list. An engineer who configured one endpoint of a pair
 * got no failover and no word of it. They are reported (log, the server's state in the console),
 * with the endpoints where the server can tell them (FindServers with the partner's URI, then
 * GetEndpoints on its discovery URL), never used on their own: a control room connects to the
 * servers it configured, and a partner nobody configured may not be one to trust (README).
 */
import { AttributeIds, OPCUAClient, VariableIds, type ClientSession } from 'node-opcua-client';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';

const SERVER_URI_ARRAY = `ns=0;i=${VariableIds.Server_ServerRedundancy_ServerUriArray}`;

export interface Partner {
  /** Its ServerUri (application URI). */
  uri: string;
  /** Its endpoint URLs where the server told them (FindServers, GetEndpoints), else none. */
  endpoints: string[];
}

/** The ServerUris the server names in its redundant set; [] when it names none (no such node, Bad, not a String array). */
export async function readServerUris(session: ClientSession): Promise<string[]> {
  const dv = await session.read({ nodeId: SERVER_URI_ARRAY, attributeId: AttributeIds.Value });
  const v: unknown = dv.value?.value;
  if (!dv.statusCode.isGood() || !(Array.isArray(v) || ArrayBuffer.isView(v))) return [];
  return Array.from(v as ArrayLike<unknown>).filter((u): u is string => typeof u === 'string' && u.length > 0);
}

/** A URL as compared with the config's: host names are case-blind, a trailing slash says nothing. */
export const sameUrl = (a: string, b: string): boolean => a.trim().replace(/\/+$/, '').toLowerCase() === b.trim().replace(/\/+$/, '').toLowerCase();

/**
 * Where the partner `uri` can be reached, as the connected server knows it: FindServers filtered on
 * it gives its discovery URLs, GetEndpoints on the first that answers its endpoint URLs (the
 * discovery URLs themselves when none answers). [] when the server does not know it (most servers
 * list only themselves). Each step bounded by `timeoutMs`; a failure is no partner found.
 */
export async function locatePartner(client: OPCUAClient, uri: string, manager: OPCUACertificateManager, timeoutMs: number): Promise<string[]> {
  const found = await client.findServers({ serverUris: [uri] }).catch(() => []);
  const discovery = found.filter((a) => a.applicationUri === uri).flatMap((a) => a.discoveryUrls ?? []).filter((u): u is string => typeof u === 'string' && u.length > 0);
  for (const url of discovery) {
    const endpoints = await endpointsAt(url, manager, timeoutMs);
    if (endpoints.length > 0) return endpoints;
  }
  return [...new Set(discovery)];
}

/** GetEndpoints over an unsecured discovery channel, as session.ts describeEndpoint asks it (the station's own certificate store). */
async function endpointsAt(url: string, manager: OPCUACertificateManager, timeoutMs: number): Promise<string[]> {
  const client = OPCUAClient.create({
    applicationName: 'Vigil', endpointMustExist: false, connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    clientCertificateManager: manager, transportTimeout: timeoutMs,
  });
  try {
    await client.connect(url);
    const endpoints = await client.getEndpoints();
    return [...new Set(endpoints.map((e) => e.endpointUrl).filter((u): u is string => typeof u === 'string' && u.length > 0))];
  } catch {
    // An unreachable discovery URL: the partner is reported without it.
    return [];
  } finally {
    await client.disconnect().catch(() => undefined);
  }
}
