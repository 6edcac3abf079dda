/**
 * The pages and their keys: F1..F4, or Alt+digit where function keys are taken
 * (browsers, remote desktops). The digit is the page's own, not its position,
 * so pages added by different parts keep the keys NOTES.md allocates.
 */

export const PAGES = [
  { id: 'overview', label: 'Overview', key: 'F1', digit: 1 },
  { id: 'alarms', label: 'Alarms', key: 'F2', digit: 2 },
  { id: 'trends', label: 'Trends', key: 'F3', digit: 3 },
  { id: 'tags', label: 'Tags', key: 'F4', digit: 4 },
  { id: 'kpi', label: 'Alarm KPIs', key: null, digit: 6 },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

type KeyInfo = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** The page a key press asks for, or null. Alt+digit goes by physical key so keyboard layouts do not matter. */
export function pageForKey(e: KeyInfo): PageId | null {
  const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
  if (plain && /^F\d+$/.test(e.key)) return PAGES.find((p) => p.key === e.key)?.id ?? null;
  if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit\d$/.test(e.code)) return PAGES.find((p) => p.digit === Number(e.code.slice(5)))?.id ?? null;
  return null;
}

/** "F2 or Alt+2", for titles. */
export function keysOf(page: (typeof PAGES)[number]): string {
  return page.key ? `${page.key} Alt+${page.digit}` : `Alt+${page.digit}`;
}
