/**
 * Which alarm actions the signed-in user may do, read from the table the station enforces: each
 * action is a console-API request, and the request's declared permission (app/shared/api/alarms.ts,
 * checked by the dispatcher before any handler runs) is the one the console asks for. So the
 * console offers an action only where the station would run it, and an action key pressed without
 * the permission is answered at once, naming it, before any dialog asks for a reason. The station
 * still checks and audits every call: this only keeps the console from offering what it refuses.
 */
import { requests, type RequestName } from '../../../shared/api.js';
import type { AlarmKeyAction } from '../../../shared/api/alarms.js';
import { can, type Permission, type Role } from '../../../shared/permissions.js';
import type { MessageKey, MessageParams } from '../../../shared/i18n/index.js';
import { permissionText } from '../permission-text.js';

type Tr = (key: MessageKey, params?: MessageParams) => string;

/** The alarm actions the console offers, each by the request it makes. */
export const alarmActionRequests = {
  acknowledge: 'alarms.acknowledge',
  silence: 'alarms.silence',
  shelve: 'alarms.shelve',
  unshelve: 'alarms.unshelve',
  reset: 'alarms.reset',
  /** An acknowledged OPC UA server condition waiting for confirmation (ConfirmedState false). */
  confirm: 'alarms.confirm',
  outOfService: 'alarms.outOfService',
  returnToService: 'alarms.returnToService',
  /** The engineer's settings editor: limits, priorities, delays and deadband in one edit (alarms.configure). */
  configure: 'alarms.editSettings',
  /** The journal's CSV export (the Alarms page's Journal tab). */
  exportJournal: 'alarms.journalExport',
} as const satisfies Record<string, RequestName>;

export type AlarmAction = keyof typeof alarmActionRequests;
export const alarmActions = Object.keys(alarmActionRequests) as AlarmAction[];

/** The alarm keys that act on the plant, by the action they ask for (the others only move or show). */
export const keyActions: Partial<Record<AlarmKeyAction, AlarmAction>> = {
  silence: 'silence',
  ackSelected: 'acknowledge',
  ackPage: 'acknowledge',
  shelve: 'shelve',
};

/** Who is at the console, as far as permissions go; null: nobody signed in. */
export interface Who {
  user: string;
  roles: readonly Role[];
}

/** The permission the station asks of an action: its request's. */
export function permissionFor(action: AlarmAction): Permission {
  return requests[alarmActionRequests[action]].permission;
}

export function mayDo(who: Who | null, action: AlarmAction): boolean {
  return who !== null && can(who.roles, permissionFor(action));
}

/**
 * Why the console will not do an action for this user, in the station's words for the same refusal
 * (sign in first, or this user lacks it) with the permission named; null when the user may.
 */
export function refusalOf(who: Who | null, action: AlarmAction, t: Tr): string | null {
  return refusalFor(who, permissionFor(action), t);
}

/** The same answer for any permission (a page's own action, e.g. the trends' CSV export). */
export function refusalFor(who: Who | null, needed: Permission, t: Tr): string | null {
  if (who !== null && can(who.roles, needed)) return null;
  const permission = permissionText(needed, t);
  return who === null ? t('error.forbidden.signIn', { permission }) : t('error.forbidden.permission', { user: who.user, permission });
}
