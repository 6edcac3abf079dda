/**
 * The pages and their keys: F1..F4, or Alt+digit where function keys are taken
 * (browsers, remote desktops). Pages past the fourth have only their Alt+digit
 * (allocated console-wide: 5 Audit, 6 KPI, 7 Sync, 8 Accounts).
 */

export const PAGES = [
  { id: 'overview', label: 'Overview', key: 'F1', alt: 1 },
  { id: 'alarms', label: 'Alarms', key: 'F2', alt: 2 },
  { id: 'trends', label: 'Trends', key: 'F3', alt: 3 },
  { id: 'tags', label: 'Tags', key: 'F4', alt: 4 },
  { id: 'sync', label: 'Sync', key: null, alt: 7 },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

type KeyInfo = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** The page a key press asks for, or null. Alt+digit goes by physical key so keyboard layouts do not matter. */
export function pageForKey(e: KeyInfo): PageId | null {
  if (e.ctrlKey || e.metaKey) return null;
  if (/^F\d+$/.test(e.key) && !e.altKey && !e.shiftKey) return PAGES.find((p) => p.key === e.key)?.id ?? null;
  if (e.altKey && /^Digit[1-9]$/.test(e.code)) return PAGES.find((p) => p.alt === Number(e.code.slice(5)))?.id ?? null;
  return null;
}
