/**
 * The alarm side of the console put together: the station's list, the
 * horn, the selection, the dialogs, and the keys (F9 silence, F10/Space ack
 * selected, Shift+F10 ack visible page, F8 summary, F7 shelve, arrows,
 * Enter), wherever the operator is. Only what the signed-in user may do is offered; a key for an
 * action they may not do is answered at once with the permission it needs (permits.ts).
 */
import { getContext, setContext } from 'svelte';
import type { Params } from '../../../shared/api.js';
import type { AlarmRow } from '../../../shared/api/alarms.js';
import type { ApiClient } from '../api-client.js';
import { can, type Role } from '../../../shared/permissions.js';
import { t } from '../i18n.svelte.js';
import { router } from '../router.svelte.js';
import { AlarmActions, alarmName } from './actions.js';
import { alarmTrendQuery } from './display-link.js';
import { Horn } from './horn.svelte.js';
import { notices } from './notices.svelte.js';
import { keyActions, mayDo, refusalOf, type AlarmAction, type Who } from './permits.js';
import { selection } from './selection.svelte.js';
import { Alarms } from './store.svelte.js';

export type AlarmDialog =
  | { kind: 'shelve'; row: AlarmRow }
  | { kind: 'outOfService'; row: AlarmRow }
  | { kind: 'returnToService'; row: AlarmRow }
  | { kind: 'settings'; row: AlarmRow };

/**
 * Widgets whose arrows, Enter and Space are their own (the audit table, the browse tree, a box
 * that scrolls: the journal, whose ↓ and Space had selected and acknowledged a banner alarm);
 * elsewhere they walk the alarms.
 */
function ownsKeys(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('[role="grid"], [role="tree"]') || scrollsItself(el);
}

/** A focused box other than the page that scrolls (Chromium puts a scrolling box on the Tab path). */
function scrollsItself(el: HTMLElement | null): boolean {
  if (!el || el === document.body || el.id === 'page' || typeof getComputedStyle !== 'function') return false;
  const overflow = getComputedStyle(el).overflowY;
  return (overflow === 'auto' || overflow === 'scroll') && el.scrollHeight > el.clientHeight;
}

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('input, textarea, select, [contenteditable="true"]');
}

/** A control Enter or Space acts on, or a widget with a focus of its own (a value, the server chip): not the selected alarm's display. */
function activatable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el?.closest?.('button, a[href], summary, [role="button"], [role="tab"], [tabindex="0"]');
}

export class AlarmConsole {
  readonly alarms: Alarms;
  readonly actions: AlarmActions;
  readonly horn = new Horn();
  readonly selection = selection;
  dialog = $state<AlarmDialog | null>(null);
  /** The comment the next acknowledgement carries (typed on the summary page); cleared once used. */
  ackComment = $state('');

  /**
   * autoLoad false: the console's session says when to load (see main.ts). who: the signed-in user
   * (the session's, read each time, so what is offered follows sign-in and handover); without it
   * nobody is signed in and no action is offered.
   */
  constructor(
    api: ApiClient,
    autoLoad = true,
    private readonly who: () => Who | null = () => null,
  ) {
    this.alarms = new Alarms(api, autoLoad);
    this.actions = new AlarmActions(api, this.alarms);
  }

  /** Whether the signed-in user may do an action: what the console offers (buttons, key hints). */
  may(action: AlarmAction): boolean {
    return mayDo(this.who(), action);
  }

  /** For an action the user may not do: says so at once, naming the permission it needs, and true. */
  private refuse(action: AlarmAction): boolean {
    const refusal = refusalOf(this.who(), action, t);
    if (refusal !== null) notices.show('refused', () => refusalOf(this.who(), action, t) ?? refusal);
    return refusal !== null;
  }

  /**
   * The longest timed shelve to offer the signed-in user (roles): the station's own rule
   * (app/main/alarms/handlers.ts), so nothing offered is refused: the largest of the roles'
   * maxima, capped at the operator's without alarms.shelveLong. Without roles: the largest configured.
   */
  maxShelveMinutes(roles?: readonly Role[]): number {
    const table = this.alarms.definitions?.shelveMaxMinutes ?? {};
    const allowed = Object.entries(table).filter(([role]) => !roles || (roles as readonly string[]).includes(role)).map(([, m]) => m);
    const own = allowed.length ? Math.max(...allowed) : 480;
    return roles && !can(roles, 'alarms.shelveLong') ? Math.min(own, table.operator ?? own) : own;
  }

  get selectedRow(): AlarmRow | null {
    const id = this.selection.selected;
    return id === null ? null : (this.alarms.rows.get(id) ?? null);
  }

  /**
   * Handles an alarm key; true when the key was one (the caller prevents its default).
   * Silence works from anywhere; the rest waits while a dialog (this one's or another's) has the keyboard.
   */
  onKey(e: KeyboardEvent, otherDialog = false): boolean {
    const action = this.alarms.keys.actionFor(e);
    if (!action) return false;
    if (action === 'silence') return this.run(() => this.silence());
    if (this.dialog || otherDialog) return false;
    const fnKey = /^F\d+$/.test(e.key);
    // Space, Enter and arrows type or press in fields and buttons; function keys act from anywhere.
    if (!fnKey && (typingIn(e.target) || ((e.key === ' ' || e.key === 'Enter') && activatable(e.target)))) return false;
    // On every page: the banner is always there, and its hint says "↑ ↓" (the trends and tags pages had none).
    if (!fnKey && ownsKeys(e.target)) return false;
    // A key for what this user may not do: the answer at once, before any dialog asks for a reason.
    const needs = keyActions[action];
    if (needs && this.refuse(needs)) return true;
    switch (action) {
      case 'summary':
        router.go('alarms');
        return true;
      case 'selectUp':
      case 'selectDown':
        this.selection.move(action === 'selectUp' ? -1 : 1);
        return true;
      case 'ackSelected':
        return this.run(() => this.ackSelected());
      case 'ackPage':
        return this.run(() => this.ackPage());
      case 'shelve':
        this.openShelve();
        return true;
      case 'goToDisplay':
        this.goToDisplay();
        return true;
    }
  }

  private run(action: () => Promise<unknown>): true {
    void action();
    return true;
  }

  async silence(): Promise<void> {
    if (this.refuse('silence')) return;
    await this.actions.silence();
  }

  async ackSelected(): Promise<void> {
    if (this.refuse('acknowledge')) return;
    // Only a row the operator sees, with the revision it shows: never one scrolled or pushed off the lists.
    const shown = this.selection.shownSelected();
    if (!shown) {
      notices.show('info', () => t('alarmsUi.info.selectFirst'));
      return;
    }
    const comment = this.ackComment;
    // The row may leave the list once acknowledged (RTN): the selection then goes to the row in its place.
    this.selection.actOn(shown.id, () => this.alarms.rows.get(shown.id)?.flags.acked !== false);
    if (await this.actions.acknowledge([shown], 'selected', comment)) this.ackComment = '';
    else this.selection.actionDone();
  }

  async ackPage(): Promise<void> {
    if (this.refuse('acknowledge')) return;
    // Only rows that stood on screen unchanged long enough to be read: in a flood the page moves under the key.
    const page = this.selection.pageOnScreen();
    if (!page) {
      notices.show('info', () => t('alarmsUi.info.nothingVisible'));
      return;
    }
    if (await this.actions.acknowledgePage(page.seen, page.fresh, this.ackComment)) this.ackComment = '';
  }

  /** Without a row (the shelve key): the selected one, only while it is drawn in a list on screen. */
  openShelve(row = this.selection.shownSelected() ? this.selectedRow : null): void {
    if (this.refuse('shelve')) return;
    if (!row) {
      notices.show('info', () => t('alarmsUi.info.selectFirst'));
      return;
    }
    // Not offered for safety alarms (spec case 15): say why instead of opening the dialog.
    if (!row.shelvable) {
      notices.show('refused', () => t('alarms.refused.notShelvable', { alarm: alarmName(row) }));
      return;
    }
    if (!this.shelveAllowed()) {
      notices.show('refused', () => t('alarms.refused.shelveNotAllowed'));
      return;
    }
    this.dialog = { kind: 'shelve', row };
  }

  /**
   * The station's rule (app/main/alarms/handlers.ts): a user none of whose roles has a configured
   * shelve maximum above zero may not shelve, whatever the permission says. Before the definitions
   * have come, the permission alone decides (the station still refuses).
   */
  private shelveAllowed(): boolean {
    const table = this.alarms.definitions?.shelveMaxMinutes;
    return !table || (this.who()?.roles ?? []).some((r) => (table[r] ?? 0) > 0);
  }

  /** Whether to offer shelving at all (the Shelve button): the permission and a shelve maximum the station would grant. */
  mayShelve(): boolean {
    return this.may('shelve') && this.shelveAllowed();
  }

  /** The journal's CSV export, for a user holding data.export; anyone else is told which permission it needs. */
  async exportJournal(query: Params<'alarms.journalExport'>): Promise<void> {
    if (this.refuse('exportJournal')) return;
    await this.actions.exportJournal(query);
  }

  /** True once the station has unshelved it (the list learns of it by its own event, before or after). */
  unshelve(row: AlarmRow): Promise<boolean> {
    return this.refuse('unshelve') ? Promise.resolve(false) : this.actions.unshelve(row);
  }

  reset(row: AlarmRow): void {
    if (!this.refuse('reset')) void this.actions.reset(row);
  }

  /** Confirms an acknowledged server condition waiting for it, with the comment typed for the acknowledgement. */
  async confirm(row: AlarmRow): Promise<void> {
    if (this.refuse('confirm')) return;
    if (await this.actions.confirm(row, this.ackComment)) this.ackComment = '';
  }

  /** Opens the reason dialog only for a user who may take the alarm out of service. */
  openOutOfService(row: AlarmRow): void {
    if (!this.refuse('outOfService')) this.dialog = { kind: 'outOfService', row };
  }

  openReturnToService(row: AlarmRow): void {
    if (!this.refuse('returnToService')) this.dialog = { kind: 'returnToService', row };
  }

  /** The engineer's settings editor, for an alarm the station defines (not an OPC UA server's condition). */
  openSettings(row: AlarmRow): void {
    if (this.refuse('configure')) return;
    if (!this.alarms.definition(row.id)) {
      notices.show('refused', () => t('alarms.refused.notConfigurable', { alarm: alarmName(row) }));
      return;
    }
    this.dialog = { kind: 'settings', row };
  }

  goToDisplay(row = this.selectedRow): void {
    if (!row) {
      notices.show('info', () => t('alarmsUi.info.selectFirst'));
      return;
    }
    if (!row.tag) {
      notices.show('info', () => t('alarmsUi.info.noDisplay', { alarm: alarmName(row) }));
      return;
    }
    // Around the alarm, not whatever range the trend page last had (it may not hold the alarm).
    router.go('trends', alarmTrendQuery({ tag: row.tag, activatedAt: row.activatedAt }, this.alarms.stationNow()));
  }

  dispose(): void {
    this.alarms.dispose();
  }
}

const KEY = Symbol('alarm-console');
export const provideAlarmConsole = (c: AlarmConsole): AlarmConsole => setContext(KEY, c);
export const useAlarmConsole = (): AlarmConsole => getContext<AlarmConsole>(KEY);
