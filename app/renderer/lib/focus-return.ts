/**
 * The focus given back when a dialog or a form goes: to what had it when it opened, or, when that
 * is gone (a row that left its list, a button replaced), to the page's main region: never to
 * <body>, where a keyboard operator would have to start again from the top of the screen.
 */

// The page, when keepFocusIn (focus-keeper.ts) gave it the focus because what had it went: the
// focus is still lost for a handler that places it after its own action (an unshelved alarm's
// row, whose button went with the station's change before the answer came).
let keptOn: HTMLElement | null = null;

/** focus-keeper.ts: `el` took the focus only because what had it went (null: no longer). */
export function keptFocusOn(el: HTMLElement | null): void {
  keptOn = el;
}

/** Whether the focus is lost: on <body>, nowhere, on an element gone from the page, or only kept on the page. */
export function focusLost(): boolean {
  const a = document.activeElement;
  return a === null || a === document.body || !a.isConnected || (keptOn !== null && a === keptOn);
}

/** What has the focus now (not <body>), to give it back later. */
export function focusedElement(): HTMLElement | null {
  const a = document.activeElement;
  return a instanceof HTMLElement && a !== document.body ? a : null;
}

/**
 * Gives the focus back to `opener` (or the main region) if it was lost: on <body>, nowhere, or
 * inside `leaving` (the dialog on its way out). Focus placed elsewhere on purpose is left alone.
 */
export function returnFocus(opener: HTMLElement | null, leaving?: Element | null): void {
  const a = document.activeElement;
  const lost = focusLost() || (a !== null && (leaving?.contains(a) ?? false));
  if (!lost) return;
  if (opener?.isConnected && !leaving?.contains(opener)) {
    opener.focus({ preventScroll: true });
    if (document.activeElement === opener) return;
  }
  document.getElementById('page')?.focus({ preventScroll: true });
}

/**
 * The row to take the focus after an action on alarm `id` (or a trend pen removed by its ×), which
 * was at `index` of a list (ids in display order, read after the action): its own row while the list
 * still holds it, else the row now in its place (the last one when it was the last), null when the
 * list is empty.
 */
export function rowAfterAction(ids: readonly string[], id: string, index: number): string | null {
  if (ids.includes(id)) return id;
  if (ids.length === 0) return null;
  return ids[Math.min(Math.max(index, 0), ids.length - 1)]!;
}

/** Focuses the row of alarm `id` drawn in `root` (`[data-alarm-id]`); false when it is not there. */
export function focusRow(root: HTMLElement | null, id: string | null): boolean {
  if (!root || id === null) return false;
  const row = [...root.querySelectorAll<HTMLElement>('[data-alarm-id]')].find((e) => e.dataset.alarmId === id);
  row?.focus({ preventScroll: false });
  return row !== undefined && document.activeElement === row;
}

/**
 * After a control's list or form was drawn again (a row that moved, a button replaced): focuses
 * `target` if the focus was lost on the way (on <body>, or on an element no longer in the page).
 * Focus placed elsewhere meanwhile, on purpose, is left alone.
 */
export function regainFocus(target: HTMLElement | null | undefined): void {
  if (!focusLost()) return;
  target?.focus({ preventScroll: true });
}
