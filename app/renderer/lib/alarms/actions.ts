/**
 * Operator actions on alarms: each one call to the station (which checks the
 * permission, decides and audits), then a visible answer: what was done, or
 * the station's reason for refusing ("alarm changed — review", "sign in
 * first", "not shelvable", "condition still present").
 */
import type { Params } from '../../../shared/api.js';
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { ApiClient } from '../api-client.js';
import { i18n, t } from '../i18n.svelte.js';
import { download } from './download.js';
import { notices } from './notices.svelte.js';
import type { ShownRow } from './selection.svelte.js';
import type { SettingsCall } from './settings-form.js';
import type { Alarms } from './store.svelte.js';

const MAX_IDS = 200;

/** "Area1.TK101.Level HIGH": how notices name an alarm. */
export function alarmName(row: AlarmRow): string {
  return `${row.tag ?? row.server ?? row.id} ${t(`alarmsUi.condition.${row.condition}`)}`;
}

export type ShelveLength = { minutes: number } | { oneShot: true };

export class AlarmActions {
  constructor(
    private readonly api: ApiClient,
    private readonly alarms: Alarms,
  ) {}

  /**
   * How the answer will name the alarms an action asks for, taken before the call: an alarm that
   * an ack or a reset returns to normal leaves the list before the answer comes (the notice then
   * read "Acknowledged: Area1.TK101.HighLevelSwitch/state").
   */
  private namer(ids: readonly string[]): (done: readonly string[]) => string {
    const known = new Map<string, string>();
    for (const id of ids) {
      const row = this.alarms.rows.get(id);
      if (row) known.set(id, alarmName(row));
    }
    return (done) => {
      const named = done.slice(0, 3).map((id) => known.get(id) ?? id);
      return done.length > 3 ? `${named.join(', ')}, …` : named.join(', ');
    };
  }

  /** Runs a call; a refusal becomes a notice and `false`. */
  private async attempt<T>(call: () => Promise<T>, done: (r: T) => string): Promise<boolean> {
    try {
      notices.show('done', done(await call()));
      return true;
    } catch (err) {
      notices.show('refused', i18n.errorText(err));
      return false;
    }
  }

  /** Acks what the operator saw: the rows with the revisions they showed. */
  async acknowledge(shown: readonly ShownRow[], scope: 'selected' | 'page', comment?: string): Promise<boolean> {
    const unacked = shown.filter((s) => this.alarms.rows.get(s.id)?.flags.acked === false).slice(0, MAX_IDS);
    if (unacked.length === 0) {
      notices.show('info', t(scope === 'page' ? 'alarmsUi.info.nothingVisible' : 'alarmsUi.info.alreadyAcked'));
      return false;
    }
    const names = this.namer(unacked.map((s) => s.id));
    return this.attempt(
      () =>
        this.api.call('alarms.acknowledge', {
          ids: unacked.map((s) => s.id),
          revisions: unacked.map((s) => s.revision),
          scope,
          ...(comment?.trim() ? { comment: comment.trim() } : {}),
        }),
      (r) => t('alarmsUi.done.ack', { count: r.acknowledged.length, names: names(r.acknowledged) }),
    );
  }

  silence(): Promise<boolean> {
    return this.attempt(
      () => this.api.call('alarms.silence', {}),
      (r) => t('alarmsUi.done.silence', { count: r.silenced }),
    );
  }

  shelve(row: AlarmRow, length: ShelveLength, reason: string): Promise<boolean> {
    return this.attempt(
      () => this.api.call('alarms.shelve', { id: row.id, reason, ...length }),
      (r) =>
        'oneShot' in length
          ? r.until === null
            ? t('alarmsUi.done.shelveOneShot', { alarm: alarmName(row) })
            : t('alarmsUi.done.shelveOneShotLimit', { alarm: alarmName(row), until: i18n.fmt.dateTime(r.until) })
          : t('alarmsUi.done.shelve', { alarm: alarmName(row), until: i18n.fmt.dateTime(r.until ?? 0) }),
    );
  }

  unshelve(row: AlarmRow): Promise<boolean> {
    return this.attempt(
      () => this.api.call('alarms.unshelve', { id: row.id }),
      () => t('alarmsUi.done.unshelve', { alarm: alarmName(row) }),
    );
  }

  reset(row: AlarmRow): Promise<boolean> {
    const names = this.namer([row.id]);
    return this.attempt(
      () => this.api.call('alarms.reset', { ids: [row.id] }),
      (r) => t('alarmsUi.done.reset', { count: r.reset.length, names: names(r.reset) }),
    );
  }

  outOfService(row: AlarmRow, reason: string): Promise<boolean> {
    return this.attempt(
      () => this.api.call('alarms.outOfService', { id: row.id, reason }),
      () => t('alarmsUi.done.outOfService', { alarm: alarmName(row) }),
    );
  }

  returnToService(row: AlarmRow, comment: string): Promise<boolean> {
    return this.attempt(
      () => this.api.call('alarms.returnToService', { id: row.id, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
      () => t('alarmsUi.done.returnToService', { alarm: alarmName(row) }),
    );
  }

  /**
   * An engineer's settings, one edit at a time in the order given (each is checked and audited alone).
   * Stops at the first refusal: its text, and how many were saved before it (those stay in effect);
   * null when all were saved. The station then pushes the new definitions.
   */
  async saveSettings(row: AlarmRow, calls: readonly SettingsCall[]): Promise<string | null> {
    let saved = 0;
    try {
      for (const c of calls) {
        await this.edit(c);
        saved++;
      }
    } catch (err) {
      const refusal = i18n.errorText(err);
      const text = saved === 0 ? refusal : t('alarmsUi.settings.partlySaved', { count: saved, refusal });
      notices.show('refused', text);
      return text;
    }
    notices.show('done', t('alarmsUi.settings.saved', { alarm: alarmName(row), count: saved }));
    return null;
  }

  private edit(c: SettingsCall): Promise<unknown> {
    switch (c.name) {
      case 'alarms.setLimit':
        return this.api.call('alarms.setLimit', c.params);
      case 'alarms.setPriority':
        return this.api.call('alarms.setPriority', c.params);
      case 'alarms.setDelays':
        return this.api.call('alarms.setDelays', c.params);
      case 'alarms.setDeadband':
        return this.api.call('alarms.setDeadband', c.params);
    }
  }

  /** The journal as CSV, filtered as the journal shows it: saved as a file the browser downloads. */
  exportJournal(query: Params<'alarms.journalExport'>): Promise<boolean> {
    return this.attempt(
      () => this.api.call('alarms.journalExport', query),
      (r) => {
        download(r.filename, r.csv, 'text/csv');
        return t('alarmsUi.journal.exported', { file: r.filename });
      },
    );
  }
}
