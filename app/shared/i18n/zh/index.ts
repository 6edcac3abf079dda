/** 中文目录：键与英文目录相同；缺少的条目以英文显示。 */
import type { Catalog } from '../catalog.js';
import { accounts } from './accounts.js';

export const zh: Catalog = {
  'error.forbidden.signIn': '请先登录：此操作需要“{permission}”权限。',
  'error.forbidden.permission': '{user} 无权执行此操作：需要“{permission}”权限。',
  'error.unavailable': '本站不提供此功能。',
  'error.internal': '站点执行失败；请查看其日志。',
  'alarms.refused.changed': '报警已变化——请复核。',
  'alarms.refused.unknownAlarm': '没有报警“{alarm}”。',
  'alarms.refused.notShelvable': '{alarm} 是安全报警，不能搁置。',
  'alarms.refused.shelveTooLong': '您最多可搁置 {max, plural, other {# 分钟}}；请求了 {requested, plural, other {# 分钟}}。',
  'alarms.refused.shelveNotAllowed': '您的角色不能搁置报警。',
  'alarms.refused.notShelved': '{alarm} 未被搁置。',
  'alarms.refused.notLatched': '{alarm} 未锁存。',
  'alarms.refused.ackFirst': '请先确认 {alarm}，再复位。',
  'alarms.refused.conditionPresent': '无法复位 {alarm}：报警条件仍然存在。',
  'alarms.refused.suspect': '无法复位 {alarm}：数据不是实时的，无法核实报警条件。',
  'alarms.refused.alreadyOutOfService': '{alarm} 已停用。',
  'alarms.refused.notOutOfService': '{alarm} 未停用。',
  'alarms.refused.noSuchCondition': '{alarm} 没有 {condition} 条件。',
  'alarms.refused.notConfigurable': '{alarm} 由其 OPC UA 服务器定义，不能在此修改。',
  'alarms.refused.invalidChange': '修改未保存：{problem}',
  'alarms.refused.notConfirmable': '{alarm} 没有确认步骤。',
  'alarms.refused.serverUnavailable': '服务器 {server} 未连接；连接恢复后再试。',
  'alarms.refused.serverRefused': '服务器 {server} 拒绝了请求：{status}。',
  'alarms.comm.lost': '与服务器 {server} 通信中断',
  'alarms.quality.bad': '{tag}：质量差',
  ...accounts,
};
