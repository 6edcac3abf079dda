/**
 * PageDown / PageUp in the browse tree: the focus moves a screenful of rows at once, so a folder of
 * 5,000 variables is paged through, not walked row by row (the browser's own paging would scroll the
 * list and leave the focused row behind, out of view). One row of the last screenful stays in view.
 */
export function pageTarget(rows: readonly { key: string }[], focused: string | null, key: string, perPage: number): string | null {
  if ((key !== 'PageDown' && key !== 'PageUp') || rows.length === 0) return null;
  const at = Math.max(0, rows.findIndex((r) => r.key === focused));
  const step = Math.max(1, Math.floor(perPage) - 1);
  const to = key === 'PageDown' ? Math.min(rows.length - 1, at + step) : Math.max(0, at - step);
  return rows[to]!.key;
}
