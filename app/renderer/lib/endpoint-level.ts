/**
 * The ServiceLevel an endpoint of a redundant server shows (the `level` of the message
 * server.endpointState): its number; `unknown` when the endpoint answers without a usable one (the
 * node absent, a Bad status, another type: not healthy, acquisition/failover.ts unknownLevel); `none`
 * when it was not read (not reachable, not probed yet).
 */
import type { ServerState } from '../../shared/api.js';
import type { MessageKey, MessageParams } from '../../shared/i18n/index.js';
import { joined } from './joined.js';

type EndpointState = NonNullable<ServerState['endpoints']>[number];

export const endpointLevel = (e: Pick<EndpointState, 'reachable' | 'serviceLevel'>): string =>
  e.serviceLevel !== null ? String(e.serviceLevel) : e.reachable === true ? 'unknown' : 'none';

/**
 * The parameters of server.partnerNotConfigured for a partner the server names that is not
 * configured (`none`: no endpoint found); its endpoints listed as the language lists things.
 */
export const partnerParams = (p: NonNullable<ServerState['partners']>[number], t: (key: MessageKey, params?: MessageParams) => string): { uri: string; endpoints: string } =>
  ({ uri: p.uri, endpoints: p.endpoints.length > 0 ? joined(t, 'common.enumerated', p.endpoints) : 'none' });
