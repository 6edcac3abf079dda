/**
 * What a screen reader is told of new alarms: each annunciation once, in the console's language
 * (priority, tag, condition, message). The alarms standing when the console opens are on screen
 * already and are not read out.
 */
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { MessageKey, MessageParams } from '../../../shared/i18n/index.js';
import { byImportance } from './order.js';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A priority's name from the catalog ("Критический"); empty for a level it has no name for. */
export function priorityName(level: number, t: Translate): string {
  return t('alarmsUi.priority.name', { level: String(level) });
}

export function announcementOf(row: AlarmRow, message: string, t: Translate, key: 'alarmsUi.announce.new' | 'alarmsUi.announce.selected' = 'alarmsUi.announce.new'): string {
  return t(key, {
    acked: String(row.flags.acked),
    level: row.priority,
    priority: priorityName(row.priority, t),
    tag: row.tag ?? row.server ?? row.id,
    condition: t(`alarmsUi.condition.${row.condition}`),
    message,
  });
}

const keyOf = (row: AlarmRow) => `${row.id}@${row.annunciatedAt}`;

/** Tells which rows of the current list were annunciated since it last looked. */
export class AnnunciationWatch {
  /** The annunciations on the list when it last looked; null before the first look. */
  private seen: Set<string> | null = null;

  /** The rows newly annunciated and not yet acknowledged, most important first; none on the first look. */
  update(rows: readonly AlarmRow[]): AlarmRow[] {
    const before = this.seen;
    this.seen = new Set(rows.filter((r) => r.annunciatedAt !== null).map(keyOf));
    if (before === null) return [];
    return rows.filter((r) => r.annunciatedAt !== null && !r.flags.acked && !before.has(keyOf(r))).sort(byImportance);
  }
}
