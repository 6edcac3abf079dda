/** 各项权限（app/shared/permissions.ts）在拒绝提示和审计记录中显示的名称。 */
import type { Catalog } from '../catalog.js';

export const permissions: Catalog = {
  'permission.alarms.acknowledge': '确认报警',
  'permission.alarms.silence': '蜂鸣消音',
  'permission.alarms.shelve': '搁置报警',
  'permission.alarms.shelveLong': '超出操作员时限搁置报警',
  'permission.alarms.reset': '复位锁存报警',
  'permission.alarms.outOfService': '停用报警',
  'permission.alarms.returnToService': '恢复报警投用',
  'permission.alarms.configure': '修改报警设置',
  'permission.alarms.kpi': '报警绩效报告',
  'permission.tags.configure': '配置位号',
  'permission.servers.configure': '配置 OPC UA 服务器',
  'permission.certificates.manage': '信任服务器证书',
  'permission.accounts.manage': '管理用户账户',
  'permission.audit.view': '查看审计记录',
  'permission.data.export': '导出数据',
  'permission.trends.saveGroup': '保存共享趋势组',
  'permission.sync.manage': '管理数据上传',
};
