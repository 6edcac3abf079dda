/**
 * The line of the server chip for an endpoint in maintenance (ServiceLevel 0) that gives its
 * EstimatedReturnTime (acquisition/probe.ts): when it expects to be back, in the station's local time
 * with its offset, as the chip gives the state's since. Empty when it gives none.
 */
import type { ServerState } from '../../shared/api.js';
import type { Formats, MessageParams } from '../../shared/i18n/index.js';

type EndpointState = NonNullable<ServerState['endpoints']>[number];

export const endpointReturnLine = (
  e: Pick<EndpointState, 'url' | 'estimatedReturn'>, t: (key: 'server.endpointReturn', params: MessageParams) => string, fmt: Pick<Formats, 'dateTime' | 'offset'>,
): string => (e.estimatedReturn ? t('server.endpointReturn', { url: e.url, time: `${fmt.dateTime(e.estimatedReturn)} UTC${fmt.offset(e.estimatedReturn)}` }) : '');
