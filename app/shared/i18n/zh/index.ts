/** 中文目录：键与英文目录相同；缺少的条目以英文显示。 */
import type { Catalog } from '../catalog.js';
import { acquisition } from './acquisition.js';

export const zh: Catalog = {
  'error.forbidden.signIn': '请先登录：此操作需要“{permission}”权限。',
  'error.forbidden.permission': '{user} 无权执行此操作：需要“{permission}”权限。',
  'error.unavailable': '本站不提供此功能。',
  'error.internal': '站点执行失败；请查看其日志。',
  ...acquisition,
};
