/**
 * The server's product (ServerStatus.BuildInfo) and what the station knows of products that do
 * not follow the standard where it matters to what the station is sent. Read once per connection;
 * a server that gives none is taken to follow the standard.
 */
import { AttributeIds, VariableIds, type ClientSession } from 'node-opcua-client';
import { readChunked } from './operation-limits.js';

export interface BuildInfo {
  productUri: string;
  manufacturerName: string;
  productName: string;
  softwareVersion: string;
}

const IDS = [
  VariableIds.Server_ServerStatus_BuildInfo_ProductUri,
  VariableIds.Server_ServerStatus_BuildInfo_ManufacturerName,
  VariableIds.Server_ServerStatus_BuildInfo_ProductName,
  VariableIds.Server_ServerStatus_BuildInfo_SoftwareVersion,
];

/** The server's BuildInfo; a part it does not give is ''. */
export async function readBuildInfo(session: ClientSession, maxNodesPerRead: number): Promise<BuildInfo> {
  const values = await readChunked(session, IDS.map((i) => ({ nodeId: `ns=0;i=${i}`, attributeId: AttributeIds.Value })), maxNodesPerRead);
  const text = (i: number): string => {
    const v: unknown = values[i]?.value?.value;
    return typeof v === 'string' ? v : '';
  };
  return { productUri: text(0), manufacturerName: text(1), productName: text(2), softwareVersion: text(3) };
}

/**
 * Why the server's DataChangeFilter deadband cannot be trusted, or null. FreeOpcUa's servers
 * (python-opcua and asyncua: their monitored_item_service.py) compare each value with the one
 * sampled before it, not with the last one reported (Part 4, 7.22.2): a value drifting by less than
 * the band per change is never sent, however far it goes, and a status that changes while the
 * value moves less than the band is never sent either (a Good value shown for a failed sensor).
 * Their percent deadband is accepted and not applied. The station then asks them for every change
 * and applies the tag's deadband itself, as the standard says.
 */
export function deadbandMisapplied(info: BuildInfo): string | null {
  const freeOpcUa = /freeopcua/i.test(info.productUri) || /^freeopcua$/i.test(info.manufacturerName.trim());
  return freeOpcUa ? 'FreeOpcUa (python-opcua, asyncua) compares a value with the last one sampled, not the last one sent' : null;
}
