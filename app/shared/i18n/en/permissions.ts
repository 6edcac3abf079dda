/**
 * Each permission of app/shared/permissions.ts by the name people read where one is needed (a refusal,
 * the audit trail): "Take alarms out of service", never "alarms.outOfService". Every permission has
 * one (the type says so); a newer station's unknown one shows as its id.
 */
import type { Permission } from '../../permissions.js';

export const permissions = {
  'permission.alarms.acknowledge': 'Acknowledge alarms',
  'permission.alarms.silence': 'Silence the horn',
  'permission.alarms.shelve': 'Shelve alarms',
  'permission.alarms.shelveLong': 'Shelve alarms beyond the operator’s limit',
  'permission.alarms.reset': 'Reset latched alarms',
  'permission.alarms.outOfService': 'Take alarms out of service',
  'permission.alarms.returnToService': 'Return alarms to service',
  'permission.alarms.configure': 'Change alarm settings',
  'permission.alarms.kpi': 'Alarm performance reports',
  'permission.tags.configure': 'Configure tags',
  'permission.servers.configure': 'Configure OPC UA servers',
  'permission.certificates.manage': 'Trust server certificates',
  'permission.accounts.manage': 'Manage user accounts',
  'permission.audit.view': 'View the audit trail',
  'permission.data.export': 'Export data',
  'permission.trends.saveGroup': 'Save shared trend groups',
  'permission.sync.manage': 'Manage upstream transfer',
} as const satisfies Record<`permission.${Permission}`, string>;
