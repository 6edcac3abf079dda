/**
 * What a tag's alarm says beside its value, whole: the mark's tooltip and accessible name
 * (TagAlarm), and what a keyboard operator reads on the value itself (its accessible name and the
 * focus line), since the mark takes no focus.
 */
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { MessageKey, MessageParams } from '../../../shared/i18n/index.js';
import { priorityName } from './announce.js';
import { badgesOf } from './badges.js';
import { isCurrent } from './order.js';
import { joined } from '../joined.js';
import type { Alarms } from './store.svelte.js';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The state words of the row, without the warnings (its value already says when its data is not good). */
export const stateBadges = (row: AlarmRow) => badgesOf(row).filter((b) => !b.warning);

export function tagAlarmText(row: AlarmRow, alarms: Pick<Alarms, 'messageOf'>, t: Translate): string {
  return t(isCurrent(row) ? 'alarmsUi.tagAlarm.label' : 'alarmsUi.tagAlarm.setAside', {
    condition: t(`alarmsUi.condition.${row.condition}` as MessageKey),
    level: row.priority,
    priority: priorityName(row.priority, t),
    // A state word cut with a full stop (ru «НЕ КВИТ.») ends the sentence too: not two stops.
    state: joined(t, 'common.enumerated', stateBadges(row).map((b) => t(`alarmsUi.badge.${b.key}` as MessageKey))).replace(/\.$/u, ''),
    message: alarms.messageOf(row),
  });
}
