/**
 * The focus line (FocusDetailLine.svelte) is one line at the foot of the screen, over the room the
 * page keeps free below it (App.svelte: 40 px). Wrapped, a long detail (a frozen or failed value's
 * status, age and alarm) grew to three lines and covered the overview's last row. So it stays one
 * line: its parts give way with an ellipsis in this order, and its title holds the whole text.
 */

/** The parts of a value's focus line, in the order they are read. */
export type FocusPart = 'head' | 'name' | 'value' | 'detail' | 'age' | 'alarm';

/**
 * How readily each part gives way (CSS flex-shrink): the description first (the tag name beside it
 * says which value it is), then the status detail (its start, the status name, stays), then the
 * alarm. The tag name, the value and its age never give way: they are what was asked for.
 */
export const givesWay: Readonly<Record<FocusPart, number>> = { head: 100, detail: 10, alarm: 0.1, name: 0, value: 0, age: 0 };

/** The whole line as one text (its title, for the pointer): the parts shown, in order. */
export function focusLineTitle(parts: readonly (string | null | undefined)[]): string {
  return parts.map((p) => p?.trim() ?? '').filter((p) => p !== '').join(' · ');
}
