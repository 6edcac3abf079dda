/** 上级服务器缺少的数据，以及对其所存数据的核对（见 en/sync-texts.ts）。 */
import type { Catalog } from '../catalog.js';

export const syncTexts: Catalog = {
  'sync.check.restarted': '上级服务器 {upstream} 于 {startedAt} 重启',
  'sync.check.notHeld': '上级服务器 {upstream} 已不再保存其确认接收的部分数据（检查于 {checkedAt}）',
  'sync.check.holds': '它保存着截至 {upToAt} 确认接收的数据',
  'sync.check.lostAfter': '它已不再保存 {afterAt} 之后确认接收的数据',
  'sync.check.holdsNothing': '它没有保存自 {sinceAt}（保留的最早检查点）以来确认接收的任何数据',
  'sync.check.nothingYet': '尚无可用于核对其所存数据的检查点',
  'sync.check.cannot': '无法核对其所存数据：最近确认接收的行都无法在其上查到',
  'sync.check.couldNot': '未能核对其所存数据（{error}）',
  'sync.check.gaps': '自上次此类检查以来，它缺少 {count} 个检查点时确认接收的数据（{missingAts}），但{around, select, checks {其前后的检查点仍在} other {{anchorAt} 的检查点仍在}}',
  'sync.check.result': '{reason}：{found}；已重新发送 {ranges} 个区间和 {lines} 条重试的行',
  'sync.check.unwitnessed': '上级服务器 {upstream}：无法核对其所存数据：其最近确认接收的 {count} 行都无法在其上查到（{line}）；其重启或丢失数据后，只重新发送最近 {windowSec} 秒的数据',
  'sync.check.witnessedAgain': '上级服务器 {upstream}：又可以核对其所存数据了（其确认接收的行可以在其上查到）',
  'sync.loss.holdsNothing': '{reason}，自 {sinceAt}（保留的最早检查点）以来确认接收的数据一概没有：这些数据正在重新发送；更早确认接收的数据也可能缺失，本站无法核对（npm run sync -- resend）',
  'sync.loss.cannotCheck': '{reason}，且无法核对其仍保存的数据（最近确认接收的行都无法在其上查到）：最近 {windowSec} 秒的数据已重新发送，更早确认接收的数据可能缺失；请重新发送（npm run sync -- resend）',
  'sync.loss.couldNotCheck': '{reason}，且未能核对其仍保存的数据（{error}）：最近 {windowSec} 秒的数据已重新发送，更早确认接收的数据可能缺失；请为本站账户授予读取权限，或重新发送（npm run sync -- resend）',
  'sync.loss.gaps': '{reason}：{found}：两者之间确认接收的数据正在重新发送（{ranges} 个区间）',
  'sync.loss.deleted': '{count} 条记录（{stream} {single, select, yes {{first, number, ::group-off}} other {{first, number, ::group-off}–{last, number, ::group-off}}}）{again, select, yes {在重新发送前} other {在发送前}}已在本站删除',
  'sync.loss.restored': '{stream}：本站记录现止于 {head, number, ::group-off}，低于已发送的 {from, number, ::group-off}（从较旧的副本恢复或末尾被截断）；从头重新发送',
  'sync.loss.station': '{detail}',
  'sync.loss.resending': '重新发送时（{reason}）：{detail}',
  'sync.loss.list': '{parts}',
  'sync.restartCheck': '上级服务器所存数据的核对，{at}：{text}',
};
