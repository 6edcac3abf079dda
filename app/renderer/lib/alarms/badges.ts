/**
 * The words a row carries beside its priority: its state (UNACK, ACK, RTN,
 * RESET REQUIRED, ...) and its warnings (COMMS LOST, SUSPECT). Only
 * unacknowledged rows flash, and only their state word and priority mark.
 */
import type { AlarmRow } from '../../../shared/api/alarms.js';

export type BadgeKey =
  | 'unack'
  | 'ack'
  | 'rtn'
  | 'resetRequired'
  | 'shelved'
  | 'suppressed'
  | 'outOfService'
  | 'commsLost'
  | 'suspect'
  | 'unconfirmed';

export interface Badge {
  key: BadgeKey;
  flash: boolean;
  /** Drawn as a warning (dark, hatched), not as an alarm state. */
  warning: boolean;
}

const b = (key: BadgeKey, flash = false, warning = false): Badge => ({ key, flash, warning });

export function flashes(row: AlarmRow): boolean {
  return !row.flags.acked;
}

export function badgesOf(row: AlarmRow): Badge[] {
  const out: Badge[] = [];
  const unacked = !row.flags.acked;
  switch (row.state) {
    case 'B':
      out.push(b('unack', true));
      break;
    case 'C':
      out.push(b('ack'));
      break;
    case 'D':
      out.push(b('rtn', true));
      break;
    case 'E':
      if (unacked) out.push(b('unack', true));
      out.push(b('resetRequired'));
      break;
    case 'F':
      out.push(b('shelved'));
      break;
    case 'G':
      out.push(b('suppressed'));
      break;
    case 'H':
      out.push(b('outOfService'));
      break;
    case 'A':
      break;
  }
  if (row.flags.confirmed === false && row.flags.acked) out.push(b('unconfirmed'));
  if (row.condition === 'COMM' && row.flags.active) out.push(b('commsLost', false, true));
  else if (row.suspect) out.push(b('suspect', false, true));
  return out;
}

/**
 * A row's value is drawn as not good (grey and italic, as the overview draws one) when the row is
 * suspect (the last usable value of a bad, lost or uncertain sample) or the console's link to the
 * station is down (every value it holds is old then): never as a live reading.
 */
export function valueNotLive(row: AlarmRow, linkUp: boolean): boolean {
  return row.suspect || !linkUp;
}
