/**
 * Operator actions on alarms: each one call to the station (which checks the
 * permission, decides and audits), then a visible answer: what was done, or
 * the station's reason for refusing ("alarm changed — review", "sign in
 * first", "not shelvable", "condition still present").
 */
import type { Params } from '../../../shared/api.js';
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { ApiClient } from '../api-client.js';
import { ApiCallError } from '../api-base.js';
import { i18n, t } from '../i18n.svelte.js';
import { joined } from '../joined.js';
import { download } from './download.js';
import { notices } from './notices.svelte.js';
import { planPageAck, unsentAnswer } from './page-ack.js';
import type { ShownRow } from './selection.svelte.js';
import { changeCount, type SettingsEdit } from './settings-form.js';
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
      // Named as the language lists: "a, b, …" in English and Russian, "a、b、…" in Chinese.
      return joined(t, 'common.enumerated', done.length > 3 ? [...named, '…'] : named);
    };
  }

  /** Runs a call; a refusal becomes a notice and `false`. */
  private async attempt<T>(call: () => Promise<T>, done: (r: T) => string): Promise<boolean> {
    try {
      const result = await call();
      notices.show('done', () => done(result));
      return true;
    } catch (err) {
      notices.show('refused', () => i18n.errorText(this.named(err)));
      return false;
    }
  }

  /** A refusal naming an alarm by its id ("Area1.GD102.Concentration/limit") names it as the lists do: tag and condition. */
  private named(err: unknown): unknown {
    if (!(err instanceof ApiCallError) || !err.i18n) return err;
    const id = err.i18n.params?.alarm;
    const row = typeof id === 'string' ? this.alarms.rows.get(id) : undefined;
    if (!row) return err;
    return new ApiCallError(err.method, err.code, err.detail, { ...err.i18n, params: { ...err.i18n.params, alarm: alarmName(row) } });
  }

  /**
   * Acknowledgements asked for and not yet answered, by alarm id: a press of F10 or Shift+F10 while
   * one is on its way leaves its rows to it (sent again, with the revisions it was about to change,
   * the station refused the whole second request: "alarm changed — review").
   */
  private readonly asked = new Map<string, Promise<boolean>>();
  /** The acknowledgements one after another: a press waits for the answer to the one before, so the answers come in order. */
  private turn: Promise<unknown> = Promise.resolve();

  private unacked = (id: string) => this.alarms.rows.get(id)?.flags.acked === false;

  /** Runs `work` after the acknowledgements asked before; `rows` count as asked for until it ends. */
  private inTurn(rows: readonly ShownRow[], work: () => Promise<boolean>): Promise<boolean> {
    const run = this.turn.then(work);
    for (const s of rows) this.asked.set(s.id, run);
    this.turn = run.then(
      () => rows.forEach((s) => this.asked.get(s.id) === run && this.asked.delete(s.id)),
      () => rows.forEach((s) => this.asked.get(s.id) === run && this.asked.delete(s.id)),
    );
    return run;
  }

  /** Acks what the operator saw: the rows with the revisions they showed. */
  acknowledge(shown: readonly ShownRow[], scope: 'selected' | 'page', comment?: string): Promise<boolean> {
    // Asked for by the press before, not yet answered: that press's answer tells what became of it.
    const before = shown.length === 1 ? this.asked.get(shown[0]!.id) : undefined;
    if (before) return before;
    const wanted = shown.filter((s) => this.unacked(s.id) && !this.asked.has(s.id)).slice(0, MAX_IDS);
    return this.inTurn(wanted, async () => {
      // Acknowledged meanwhile (the press before, another console): not asked again.
      const unacked = wanted.filter((s) => this.unacked(s.id));
      if (unacked.length === 0) {
        notices.show('info', () => t(scope === 'page' ? 'alarmsUi.info.nothingVisible' : 'alarmsUi.info.alreadyAcked'));
        return false;
      }
      const names = this.namer(unacked.map((s) => s.id));
      return this.attempt(
        () => this.ackCall(unacked, scope, comment),
        (r) => t('alarmsUi.done.ack', { count: r.acknowledged.length, names: names(r.acknowledged) }),
      );
    });
  }

  /**
   * "Ack visible page": the rows the operator had time to see (`seen`, with the revisions they
   * showed). Unacknowledged rows that came on screen just now (`fresh`) are left, and the answer
   * says how many, so the operator looks and presses again. Rows a press before has asked for and
   * the station not yet answered are that press's (page-ack.ts).
   */
  acknowledgePage(seen: readonly ShownRow[], fresh: readonly ShownRow[], comment?: string): Promise<boolean> {
    const plan = planPageAck(seen, fresh, this.unacked, new Set(this.asked.keys()));
    const left = () => t('alarmsUi.info.notYetSeen', { count: plan.notYetSeen });
    return this.inTurn(plan.ack, async () => {
      const unacked = plan.ack.filter((s) => this.unacked(s.id));
      if (unacked.length === 0) {
        const say = unsentAnswer(plan);
        if (say === 'notYetSeen') notices.show('info', left);
        else if (say === 'nothingVisible') notices.show('info', () => t('alarmsUi.info.nothingVisible'));
        return false;
      }
      const names = this.namer(unacked.map((s) => s.id));
      const done = (r: { acknowledged: string[] }) => t('alarmsUi.done.ack', { count: r.acknowledged.length, names: names(r.acknowledged) });
      return this.attempt(
        () => this.ackCall(unacked, 'page', comment),
        (r) => (plan.notYetSeen > 0 ? t('alarmsUi.done.ackAndNotYetSeen', { done: done(r), notYet: left() }) : done(r)),
      );
    });
  }

  private ackCall(unacked: readonly ShownRow[], scope: 'selected' | 'page', comment?: string) {
    const ids = unacked.slice(0, MAX_IDS);
    return this.api.call('alarms.acknowledge', {
      ids: ids.map((s) => s.id),
      revisions: ids.map((s) => s.revision),
      scope,
      ...(comment?.trim() ? { comment: comment.trim() } : {}),
    });
  }

  /** Confirms an acknowledged server condition that asks for it (OPC UA ConfirmedState): the operator has seen it dealt with. */
  confirm(row: AlarmRow, comment?: string): Promise<boolean> {
    const names = this.namer([row.id]);
    return this.attempt(
      () => this.api.call('alarms.confirm', { ids: [row.id], revisions: [row.revision], ...(comment?.trim() ? { comment: comment.trim() } : {}) }),
      (r) => t('alarmsUi.done.confirm', { count: r.confirmed.length, names: names(r.confirmed) }),
    );
  }

  silence(): Promise<boolean> {
    return this.attempt(
      () => this.api.call('alarms.silence', {}),
      // The words say how many stay unacknowledged: the banner's counts, not how many were sounding.
      () => t('alarmsUi.done.silence', { count: (this.alarms.summary?.unacked ?? []).reduce((a, n) => a + n, 0) }),
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
   * An engineer's settings: every change in one edit, which the station checks as a whole and
   * keeps all or none of (and audits once). The refusal's text, or null when saved; the station
   * then pushes the new definitions.
   */
  async saveSettings(row: AlarmRow, edit: SettingsEdit): Promise<string | null> {
    try {
      await this.api.call('alarms.editSettings', edit);
    } catch (err) {
      notices.show('refused', () => i18n.errorText(err));
      return i18n.errorText(err);
    }
    notices.show('done', () => t('alarmsUi.settings.saved', { alarm: alarmName(row), count: changeCount(edit) }));
    return null;
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
