/**
 * An endpoint of a redundant server as the server chip words it (the message server.endpointState):
 * whether it is in use, and otherwise what its ServiceLevel says of it (Part 4 §6.6.2.4.2: 0 is
 * maintenance, 1 no data; a standby in maintenance was shown "standby, ServiceLevel 0"), its level,
 * and, in maintenance, when it expects to be back (its EstimatedReturnTime, acquisition/probe.ts) in
 * the station's local time with its offset, as the chip gives the state's since.
 */
import type { ServerState } from '../../shared/api.js';
import type { Formats, MessageKey, MessageParams } from '../../shared/i18n/index.js';
import { joined } from './joined.js';

type EndpointState = NonNullable<ServerState['endpoints']>[number];

/**
 * Its level: the number; `unknown` when the endpoint answers without a usable one (the node absent, a
 * Bad status, another type: not healthy, acquisition/failover.ts unknownLevel); `none` when it was not
 * read (not reachable, not probed yet).
 */
export const endpointLevel = (e: Pick<EndpointState, 'reachable' | 'serviceLevel'>): string =>
  e.serviceLevel !== null ? String(e.serviceLevel) : e.reachable === true ? 'unknown' : 'none';

/** The parameters of server.endpointState for an endpoint. */
export const endpointStateParams = (
  e: Pick<EndpointState, 'url' | 'active' | 'reachable' | 'serviceLevel' | 'estimatedReturn'>, fmt: Pick<Formats, 'dateTime' | 'offset'>,
): { url: string; state: string; level: string; back: string } => {
  const state = e.active ? 'active'
    : e.reachable === false ? 'unreachable'
    : e.serviceLevel === 0 ? 'maintenance'
    : e.serviceLevel === 1 ? 'noData'
    : e.reachable === true ? 'reachable'
    : 'unknown';
  const back = state === 'maintenance' && e.estimatedReturn ? `${fmt.dateTime(e.estimatedReturn)} UTC${fmt.offset(e.estimatedReturn)}` : 'none';
  return { url: e.url, state, level: endpointLevel(e), back };
};

/**
 * The parameters of server.partnerNotConfigured for a partner the server names that is not
 * configured (`none`: no endpoint found); its endpoints listed as the language lists things.
 */
export const partnerParams = (p: NonNullable<ServerState['partners']>[number], t: (key: MessageKey, params?: MessageParams) => string): { uri: string; endpoints: string } =>
  ({ uri: p.uri, endpoints: p.endpoints.length > 0 ? joined(t, 'common.enumerated', p.endpoints) : 'none' });
