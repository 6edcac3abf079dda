/** The pages and their keys: F1..F4, or Alt+1..4 where function keys are taken (browsers, remote desktops). */

export const PAGES = [
  { id: 'overview', label: 'Overview', key: 'F1' },
  { id: 'alarms', label: 'Alarms', key: 'F2' },
  { id: 'trends', label: 'Trends', key: 'F3' },
  { id: 'tags', label: 'Tags', key: 'F4' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

type KeyInfo = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** The page a key press asks for, or null. Alt+digit goes by physical key so keyboard layouts do not matter. */
export function pageForKey(e: KeyInfo): PageId | null {
  let index = -1;
  if (/^F[1-4]$/.test(e.key) && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) index = Number(e.key.slice(1)) - 1;
  else if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-4]$/.test(e.code)) index = Number(e.code.slice(5)) - 1;
  return index < 0 ? null : PAGES[index].id;
}
