/**
 * A permission as people read it: its catalog name ("Take alarms out of service"), never its id
 * ("alarms.outOfService"), wherever a refusal reaches someone (an action's answer, a page's error,
 * the audit trail). An id this console does not know (a newer station) is shown as it came.
 */
import { permissionMatrix, type Permission } from '../../shared/permissions.js';
import type { MessageKey, MessageParams } from '../../shared/i18n/index.js';

type Tr = (key: MessageKey, params?: MessageParams) => string;

export function isPermission(id: string): id is Permission {
  return Object.hasOwn(permissionMatrix, id);
}

/** "alarms.outOfService" -> "Take alarms out of service" in the console's language. */
export function permissionText(id: string, t: Tr): string {
  return isPermission(id) ? t(`permission.${id}`) : id;
}

/** A message's parameters with the permission among them (a refusal's) named. */
export function withPermissionNamed(params: Record<string, string | number> | undefined, t: Tr): Record<string, string | number> | undefined {
  const id = params?.['permission'];
  return typeof id === 'string' && isPermission(id) ? { ...params, permission: permissionText(id, t) } : params;
}
