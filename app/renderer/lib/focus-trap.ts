/**
 * Tab kept inside a modal dialog. A native <dialog> opened with showModal() makes the page
 * behind it inert, but Tab past its last control still leaves it (to the browser's own UI, or
 * <body> where there is none): a keyboard operator is then lost outside the dialog. The
 * dialog wraps Tab from its last stop to its first and Shift+Tab from its first to its last.
 */

/** What the wrap needs to know of a focusable control. */
export interface TabCandidate {
  /** The name of its radio group ('' for a radio without one); null when it is no radio. */
  radio: string | null;
  checked: boolean;
}

/**
 * The Tab stops among focusable controls in document order: a named radio group is one stop
 * (its checked radio, or its first when none is checked), as the browser moves through it.
 */
export function tabStops<T extends TabCandidate>(candidates: readonly T[]): T[] {
  const stopOf = new Map<string, T>();
  for (const c of candidates) {
    if (!c.radio) continue;
    const held = stopOf.get(c.radio);
    if (!held || (c.checked && !held.checked)) stopOf.set(c.radio, c);
  }
  return candidates.filter((c) => !c.radio || stopOf.get(c.radio) === c);
}

/**
 * Where Tab (or Shift+Tab, `back`) from `current` must go to stay in the dialog; null when the
 * browser's own move stays inside. Focus not on a stop (the dialog itself, an unchecked radio
 * a click focused) counts at its group's stop, or before the first.
 */
export function wrapTarget<T extends TabCandidate>(stops: readonly T[], current: T | null, back: boolean): T | null {
  if (stops.length === 0) return null;
  let at = current === null ? -1 : stops.indexOf(current);
  if (at < 0 && current?.radio) at = stops.findIndex((s) => s.radio === current.radio);
  if (at < 0) return back ? stops.at(-1)! : stops[0]!;
  if (back) return at === 0 ? stops.at(-1)! : null;
  return at === stops.length - 1 ? stops[0]! : null;
}

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

interface DomCandidate extends TabCandidate {
  el: HTMLElement;
}

function candidateOf(el: HTMLElement): DomCandidate {
  const radio = el instanceof HTMLInputElement && el.type === 'radio' ? el.name : null;
  return { el, radio, checked: el instanceof HTMLInputElement && el.checked };
}

/** The controls of `root` that Tab reaches: enabled, shown, not taken out of the order. */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && !(el instanceof HTMLInputElement && el.type === 'hidden') && el.getClientRects().length > 0,
  );
}

/** The dialog's keydown: wraps Tab at its ends. */
export function trapTab(dialog: HTMLElement, e: KeyboardEvent): void {
  if (e.key !== 'Tab' || e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
  const all = focusables(dialog).map(candidateOf);
  const active = document.activeElement;
  const current = all.find((c) => c.el === active) ?? null;
  const target = wrapTarget(tabStops(all), current, e.shiftKey);
  if (!target) return;
  e.preventDefault();
  target.el.focus();
}
