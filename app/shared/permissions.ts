/**
 * Roles and the permission matrix: one table, read by the dispatcher (which
 * refuses a request before its handler runs), the console (which greys out
 * what the signed-in user may not do) and the README (printed from here).
 *
 * Viewing the plant needs no permission: a control-room screen always shows
 * the plant. Every action does. Duties are separated: an administrator
 * manages accounts but does not operate the plant.
 */

export const roles = ['operator', 'supervisor', 'engineer', 'administrator'] as const;
export type Role = (typeof roles)[number];

const O = 'operator', S = 'supervisor', E = 'engineer', A = 'administrator';

/** permission -> the roles that hold it, with what it allows. */
export const permissionMatrix = {
  'alarms.acknowledge': { roles: [O, S], what: 'acknowledge alarms and server conditions (selected or visible page)' },
  'alarms.silence': { roles: [O, S], what: 'silence the horn' },
  'alarms.shelve': { roles: [O, S], what: 'shelve and unshelve alarms, up to the role\'s maximum time' },
  'alarms.shelveLong': { roles: [S], what: 'shelve beyond the operator maximum, up to the supervisor maximum' },
  'alarms.reset': { roles: [O, S], what: 'reset latched alarms once the condition has cleared' },
  'alarms.outOfService': { roles: [S, E], what: 'take an alarm out of service' },
  // specs/alarms.md, H: "manual return to service only (engineer)".
  'alarms.returnToService': { roles: [E], what: 'return an out-of-service alarm to service' },
  'alarms.configure': { roles: [E], what: 'change alarm limits, priorities, delays and deadbands' },
  'alarms.kpi': { roles: [S, E], what: 'alarm performance (KPI) reports' },
  'tags.configure': { roles: [E], what: 'add and change tags and their compression' },
  'servers.configure': { roles: [E], what: 'change OPC UA servers and endpoints' },
  'certificates.manage': { roles: [E], what: 'trust or reject OPC UA server certificates' },
  'accounts.manage': { roles: [A], what: 'create, change and disable accounts' },
  'audit.view': { roles: [S, E, A], what: 'read and export the audit trail' },
  'data.export': { roles: [O, S, E], what: 'export trends, the alarm journal and reports' },
  'trends.saveGroup': { roles: [O, S, E], what: 'save trend groups for every user' },
  'sync.manage': { roles: [E], what: 're-send data upstream and retry quarantined lines' },
} as const satisfies Record<string, { roles: readonly Role[]; what: string }>;

export type Permission = keyof typeof permissionMatrix;
export const permissionNames = Object.keys(permissionMatrix) as Permission[];

export function can(held: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = permissionMatrix[permission].roles;
  return held.some((r) => allowed.includes(r));
}

/** Every permission the given roles hold, in the matrix's order. */
export function permissionsOf(held: readonly Role[]): Permission[] {
  return permissionNames.filter((p) => can(held, p));
}
