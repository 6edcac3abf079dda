/**
 * The pages and their keys: F1..F4, or Alt+digit where function keys are
 * taken (browsers, remote desktops). Pages that need a permission are listed
 * in the navigation only for those who hold it; their key still opens them
 * and the page says what it needs (allocated console-wide: 5 Audit, 6 KPI,
 * 7 Sync, 8 Accounts).
 */
import type { MessageKey } from '../../shared/i18n/index.js';
import type { Permission } from '../../shared/permissions.js';

interface PageDef {
  readonly id: string;
  readonly label: string;
  /** The label's catalog key when it is not nav.<id>. */
  readonly labelKey?: MessageKey;
  readonly key?: string;
  /** Alt + this digit opens the page. */
  readonly alt: number;
  readonly permission?: Permission;
}

export const PAGES = [
  { id: 'overview', label: 'Overview', key: 'F1', alt: 1 },
  { id: 'alarms', label: 'Alarms', key: 'F2', alt: 2 },
  { id: 'trends', label: 'Trends', key: 'F3', alt: 3 },
  { id: 'tags', label: 'Tags', key: 'F4', alt: 4 },
  { id: 'audit', label: 'Audit', alt: 5, permission: 'audit.view' },
  { id: 'kpi', label: 'Alarm KPIs', labelKey: 'alarmsUi.page.kpi', alt: 6, permission: 'alarms.kpi' },
  { id: 'sync', label: 'Sync', alt: 7 },
  { id: 'accounts', label: 'Accounts', alt: 8, permission: 'accounts.manage' },
] as const satisfies readonly PageDef[];
export type PageId = (typeof PAGES)[number]['id'];

type KeyInfo = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** The page a key press asks for, or null. Alt+digit goes by physical key so keyboard layouts do not matter. */
export function pageForKey(e: KeyInfo): PageId | null {
  const pages: readonly PageDef[] = PAGES;
  if (/^F\d+$/.test(e.key) && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) return (pages.find((p) => p.key === e.key)?.id as PageId) ?? null;
  const digit = /^Digit(\d)$/.exec(e.code);
  if (e.altKey && !e.ctrlKey && !e.metaKey && digit) return (pages.find((p) => p.alt === Number(digit[1]))?.id as PageId) ?? null;
  return null;
}

/** F12 or Alt+0: sign in, or switch user (shift handover). */
export function isSignInKey(e: KeyInfo): boolean {
  if (e.ctrlKey || e.metaKey) return false;
  return (e.key === 'F12' && !e.altKey && !e.shiftKey) || (e.altKey && e.code === 'Digit0');
}

/**
 * The Latin letter of the key pressed, by its place on the keyboard ("KeyR" -> "r"), so a
 * one-letter shortcut works whatever the layout types there (Russian ЙЦУКЕН gives "к" on R).
 */
export function letterOf(e: Pick<KeyboardEvent, 'code'> & { isComposing?: boolean }): string | null {
  // A key an input method is composing with (Chinese pinyin) belongs to the input method.
  if (e.isComposing) return null;
  return /^Key([A-Z])$/.exec(e.code)?.[1]?.toLowerCase() ?? null;
}

/** The "/" (find) key, unmodified: by its place (Russian gives "." there), or wherever a layout has "/"; never while an input method composes. */
export function isFindKey(e: KeyInfo & { isComposing?: boolean }): boolean {
  if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return false;
  return (e.code === 'Slash' && !e.shiftKey) || e.key === '/';
}
