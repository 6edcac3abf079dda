/**
 * What a screen reader is told of new alarms: each annunciation once, in the console's language
 * (priority, tag, condition, message). The alarms standing when the console opens are on screen
 * already and are not read out.
 */
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { MessageKey, MessageParams } from '../../../shared/i18n/index.js';
import { byImportance } from './order.js';
import { badgesOf } from './badges.js';

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
    condition: t(`alarmsUi.conditionSpoken.${row.condition}`),
    message,
  });
}

/** The row's state and warning words (its badges, and SERVER DROPPED as Badges.svelte draws it). */
function stateKeys(row: AlarmRow): string[] {
  const keys: string[] = badgesOf(row).map((b) => b.key);
  if (row.source === 'server' && row.text?.key === 'alarms.server.gone') keys.push('serverGone');
  return keys;
}

/** What a row shows, as drawn (the console's value and time formats, its state words): the parts of its spoken name. */
export interface RowShown {
  message: string;
  /** The value as the row shows it ('—' or '' for none). */
  value: string;
  /** When it was annunciated, as the row shows it ('' or '—' where the list has no such column). */
  time: string;
}

/**
 * A row of the banner or an alarm list as a screen reader names it (its aria-label): one sentence,
 * priority, tag, condition and value, message, state (written out), time. Read from its cells it was a string of
 * fragments: the area apart from the rest of the tag where the cell shows it short ("Area2. TK201.Level"),
 * the condition's abbreviation, the state words run into the time.
 */
export function spokenRow(row: AlarmRow, shown: RowShown, t: Translate): string {
  const none = (s: string) => s === '' || s === '—';
  return t('alarmsUi.announce.row', {
    level: row.priority,
    priority: priorityName(row.priority, t),
    tag: row.tag ?? row.server ?? row.id,
    condition: t(`alarmsUi.conditionSpoken.${row.condition}`),
    hasValue: String(!none(shown.value)),
    value: shown.value,
    message: shown.message,
    state: stateKeys(row).map((key) => t('alarmsUi.announce.state', { key })).join(t('alarmsUi.announce.stateSeparator')),
    time: none(shown.time) ? '' : shown.time,
  }).replace(/[,，]\s*$/u, '');
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
