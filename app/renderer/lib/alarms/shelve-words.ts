/**
 * Who shelved an alarm and why, as the console says them. A shelve made at an OPC UA server by its
 * own operators (Part 9 ShelvingState) reaches the station with nobody's typed reason: the station
 * keeps the server's state name (TimedShelved, OneShotShelved) as the reason and "<server> (OPC UA)"
 * as who (main: alarms/engine/server-condition.ts serverShelveBy). Shown as stored, the alarm detail
 * and the shelved list read Part 9's identifiers in every language; here they are the console's
 * words for a timed and a one-shot shelve, and the server as the catalog names one.
 */
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { MessageKey, MessageParams } from '../../../shared/i18n/index.js';

type Tr = (key: MessageKey, params?: MessageParams) => string;

/** Part 9's state names, as the station keeps them for a shelve its server made. */
const AT_SERVER: Readonly<Record<string, 'timed' | 'oneShot'>> = { TimedShelved: 'timed', OneShotShelved: 'oneShot' };

export interface ShelveWords {
  by: string;
  reason: string;
  /** An operator's own words: shown quoted, as theirs. */
  typed: boolean;
}

/** The shelve's who and why in the console's language; null when the row is not shelved. */
export function shelveWords(row: Pick<AlarmRow, 'kind' | 'server' | 'shelve'>, t: Tr): ShelveWords | null {
  const s = row.shelve;
  if (!s) return null;
  const kind = Object.hasOwn(AT_SERVER, s.reason) ? AT_SERVER[s.reason] : undefined;
  if (row.kind === 'server' && row.server !== null && kind && s.by === `${row.server} (OPC UA)`) {
    return { by: t('alarmsUi.shelve.byServer', { server: row.server }), reason: t('alarmsUi.shelve.reasonAtServer', { kind }), typed: false };
  }
  return { by: s.by, reason: s.reason, typed: true };
}
