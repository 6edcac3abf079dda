/** A whole alarm row for renderer unit tests, valid against the API schema; override what a test is about. */
import { alarmRow, type AlarmRow } from '../../../shared/api/alarms.js';

export function row(over: Partial<AlarmRow> & { id: string }): AlarmRow {
  const state = over.state ?? 'B';
  const active = state === 'B' || state === 'C';
  const acked = !(state === 'B' || state === 'D');
  return alarmRow.parse({
    source: 'station',
    kind: 'limit',
    tag: over.id.split('/')[0],
    server: 'sim',
    area: 'Area1',
    equipment: null,
    condition: 'H',
    state,
    flags: { active, acked, confirmed: null, latched: state === 'E', shelving: 'Unshelved', suppressed: false, outOfService: false },
    priority: 2,
    message: 'High level',
    text: null,
    limit: 80,
    valueAtActivation: 81,
    value: 81,
    unit: '%',
    activatedAt: 0,
    annunciatedAt: 0,
    ackedAt: null,
    ackUser: null,
    ackComment: null,
    returnedAt: null,
    shelve: null,
    serverShelved: null,
    outOfService: null,
    latched: state === 'E',
    suspect: false,
    suppressed: false,
    shelvable: true,
    audible: state === 'B',
    revision: 1,
    ...over,
  });
}
