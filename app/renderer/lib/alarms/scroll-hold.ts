/**
 * Keeps the alarm summary still under the operator's eyes while rows come and go above: in a
 * flood, alarms of a higher priority (or newer, of the same) are sorted in above the row being
 * read, and acknowledged returns leave above it. Measured at 1280x720: 50 P3 alarms arriving
 * above a selected P4 row, scrolled 200 px down, moved it 1600 px, out of the box, and the page
 * under the eyes became other alarms (Chromium's own scroll anchoring did not hold the table).
 */

export interface RowBox {
  id: string;
  /** Top and bottom of the row, on the same axis as the box's. */
  top: number;
  bottom: number;
}

export interface Hold {
  /** Rows to hold, in order of preference: the first still listed after the change is held. */
  ids: string[];
  /** Each row's top minus the box's top before the change. */
  offsets: Map<string, number>;
}

/**
 * What to hold before a change: the selected row while it is wholly in the box, then the first
 * row wholly in it, while the list is scrolled down. At the very top with no selected row in view
 * nothing is held, so new alarms show at the top of the list as they come.
 */
export function holdOf(rows: readonly RowBox[], box: { top: number; bottom: number }, scrollTop: number, selected: string | null): Hold | null {
  const inside = rows.filter((r) => r.bottom > r.top && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5);
  const ids: string[] = [];
  const sel = selected === null ? undefined : inside.find((r) => r.id === selected);
  if (sel) ids.push(sel.id);
  if (scrollTop > 0) for (const r of inside) if (r.id !== sel?.id) ids.push(r.id);
  if (ids.length === 0) return null;
  return { ids, offsets: new Map(inside.map((r) => [r.id, r.top - box.top])) };
}

/**
 * The scroll position that puts the held row back where it was after the change (`topOf`: a row's
 * top now, or undefined if it left the list); null when none of the held rows is listed any more.
 */
export function heldScrollTop(hold: Hold, topOf: (id: string) => number | undefined, boxTop: number, scrollTop: number): number | null {
  for (const id of hold.ids) {
    const top = topOf(id);
    if (top === undefined) continue;
    return Math.max(0, scrollTop + (top - boxTop) - hold.offsets.get(id)!);
  }
  return null;
}
