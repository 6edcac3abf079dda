/**
 * The selected alarm and the list the keys act on. The banner is always
 * there; the alarm summary, when open, takes over the arrows and "ack
 * visible page". What counts as visible is read from the screen itself at
 * the moment of the key press: only rows wholly inside their scroll box and
 * the window are acknowledged, with the revision each row showed.
 */
import { untrack } from 'svelte';
import { rowAfterAction } from '../focus-return.js';
import { moveSelection } from './order.js';
import { SeenRows, watchShown, type SeenSplit } from './seen-rows.js';

export interface ShownRow {
  id: string;
  /** The revision the row displayed (its data-revision). */
  revision: number;
}

export interface AlarmListView {
  /** Every row id of the list, in display order (scrolled away or not). */
  ids(): string[];
  /** The element whose rows (`[data-alarm-id][data-revision]`) are drawn, inside its scroll box. */
  element(): HTMLElement | null;
}

/** Rows of a list wholly visible now: inside every scrolling ancestor and the window. */
export function visibleRows(root: HTMLElement): ShownRow[] {
  const clips: DOMRect[] = [];
  for (let el = root.parentElement; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (/(auto|scroll|hidden)/.test(style.overflowY)) clips.push(el.getBoundingClientRect());
  }
  const inside = (r: DOMRect) =>
    r.height > 0 && r.top >= -0.5 && r.bottom <= innerHeight + 0.5 && clips.every((c) => r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5);
  const shown: ShownRow[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('[data-alarm-id][data-revision]')) {
    if (el.closest('[hidden]') || !inside(el.getBoundingClientRect())) continue;
    shown.push({ id: el.dataset.alarmId!, revision: Number(el.dataset.revision) });
  }
  return shown;
}

/** The revision a row shows in a list, if it is drawn there. */
export function shownRevision(root: HTMLElement | null, id: string): number | null {
  if (!root) return null;
  for (const el of root.querySelectorAll<HTMLElement>('[data-alarm-id][data-revision]')) {
    if (el.dataset.alarmId === id) return Number(el.dataset.revision);
  }
  return null;
}

/** The id of an alarm's row in the banner's listbox (its aria-activedescendant). */
export function bannerOptionId(alarmId: string): string {
  return `banner-alarm-${alarmId.replace(/\s/g, '_')}`;
}

class AlarmSelection {
  selected = $state<string | null>(null);
  // Raw: a deep $state would store a proxy of each list, which never equals the list `use` was given,
  // so unregistering removed nothing and every closed summary page (its whole DOM) stayed here.
  private lists = $state.raw<AlarmListView[]>([]);
  // Plain, not $state: prune() reads and clears it inside an effect, which must not depend on it.
  private acted: { id: string; index: number; list: AlarmListView; settled: () => boolean } | null = null;
  // Plain: since when each list's rows stand on screen (seen-rows.ts), for the ack keys.
  private readonly seen = new Map<AlarmListView, SeenRows>();
  /** When the operator last chose the selected row (arrows, click), on the clock SeenRows runs on. */
  private chosenAt = -Infinity;

  /** The list the keys act on: the last one opened that is drawn now (the banner always is). */
  get active(): AlarmListView | null {
    for (let i = this.lists.length - 1; i >= 0; i--) if (this.lists[i]!.element()) return this.lists[i]!;
    return null;
  }

  /** Registers a list while it is on screen; returns the unregister function. */
  use(list: AlarmListView): () => void {
    // Called from effects: must not make them depend on the list of lists.
    untrack(() => (this.lists = [...this.lists, list]));
    const root = list.element();
    const seen = new SeenRows();
    this.seen.set(list, seen);
    const unwatch = root && typeof MutationObserver !== 'undefined' ? watchShown(root, seen, visibleRows) : () => {};
    return () => {
      unwatch();
      this.seen.delete(list);
      untrack(() => (this.lists = this.lists.filter((l) => l !== list)));
    };
  }

  /**
   * The rows of the list the keys act on that are wholly on screen now, split into those the
   * operator had time to see (unchanged on screen for SEEN_MS) and those that came just now; null
   * when no list is drawn.
   */
  pageOnScreen(now = performance.now()): SeenSplit | null {
    const list = this.active;
    const root = list?.element();
    if (!list || !root) return null;
    const shown = visibleRows(root);
    return this.seen.get(list)?.split(shown, now) ?? { seen: [], fresh: shown };
  }

  move(step: 1 | -1): void {
    const list = this.active;
    this.acted = null;
    if (list) this.selected = moveSelection(list.ids(), this.selected, step);
    this.chosenAt = performance.now();
  }

  select(id: string | null): void {
    this.acted = null;
    this.selected = id;
    this.chosenAt = performance.now();
  }

  /**
   * Call as the operator acts on the selected row `id` (F10). If the station's answer takes the row
   * off the list (an RTN row acknowledged returns to normal), the row now in its place is selected,
   * as after Unshelve: during a flood each F10 had needed a ↓ first. `settled` says the answer
   * reached a row that stays (acknowledged, still active): the wait ends there, so an alarm pushing
   * the row out later does not hand the selection to a row the operator did not choose.
   */
  actOn(id: string, settled: () => boolean): void {
    const list = this.lists.findLast((l) => l.element() !== null && l.ids().includes(id));
    this.acted = list ? { id, index: list.ids().indexOf(id), list, settled } : null;
  }

  /** The action begun with actOn() was refused or failed: the row stays, and so does the selection. */
  actionDone(): void {
    this.acted = null;
  }

  /**
   * The selected row as drawn now in a list on screen (with the revision it shows), or null.
   * An alarm pushed out of the banner by newer ones is still in the station's list, but the
   * operator no longer sees it: a key must not act on it.
   */
  shownSelected(): ShownRow | null {
    if (this.selected === null) return null;
    for (const list of this.lists) {
      const revision = shownRevision(list.element(), this.selected);
      if (revision === null) continue;
      const shown = { id: this.selected, revision };
      // The revision the operator had time to see: a change drawn just before the key is refused by the station.
      return { id: this.selected, revision: this.seen.get(list)?.revisionSeen(shown, performance.now(), this.chosenAt) ?? revision };
    }
    return null;
  }

  /**
   * Drops the selection when its row left every list on screen, so a key never acts on a row no
   * longer shown; when the operator's own action took it off (actOn), selects the row now in its place.
   */
  prune(): void {
    const id = this.selected;
    const acted = this.acted;
    if (acted && acted.id !== id) this.acted = null;
    if (id === null) return;
    if (this.lists.some((l) => l.element() !== null && l.ids().includes(id))) {
      if (acted?.settled()) this.acted = null;
      return;
    }
    this.acted = null;
    this.selected = acted?.id === id && acted.list.element() !== null ? rowAfterAction(acted.list.ids(), id, acted.index) : null;
  }
}

export const selection = new AlarmSelection();
