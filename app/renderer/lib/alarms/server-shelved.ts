/**
 * A shelve made at a condition's OPC UA server that the station ended and the server still holds
 * (row.serverShelved: it refused the Unshelve, or is not connected): why, in the console's words. The
 * station shows the alarm while the server, and the DCS display beside the console, hide it.
 */
import type { ServerShelvedInfo } from '../../../shared/api/alarms.js';
import type { MessageKey, MessageParams } from '../../../shared/i18n/index.js';

type Tr = (key: MessageKey, params?: MessageParams) => string;

export function serverShelvedWords(s: ServerShelvedInfo, t: Tr): string {
  return t('alarmsUi.serverShelved.reason', { reason: s.reason, server: s.server, status: s.status ?? '' });
}
