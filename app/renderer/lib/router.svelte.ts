/** Pages by URL hash (#/trends), so a reload keeps the page and tests can deep-link. */

export const PAGES = [
  { id: 'overview', label: 'Overview', key: 'F1' },
  { id: 'alarms', label: 'Alarms', key: 'F2' },
  { id: 'trends', label: 'Trends', key: 'F3' },
  { id: 'tags', label: 'Tags', key: 'F4' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

function fromHash(): PageId {
  const id = location.hash.replace(/^#\/?/, '');
  return PAGES.find((p) => p.id === id)?.id ?? 'overview';
}

class Router {
  page = $state<PageId>(fromHash());

  constructor() {
    addEventListener('hashchange', () => (this.page = fromHash()));
  }

  go(id: PageId): void {
    location.hash = `#/${id}`;
    this.page = id;
  }

  /** F1..F4 or Alt+1..4; returns true when the key was a navigation key. */
  handleKey(e: KeyboardEvent): boolean {
    let index = -1;
    if (/^F[1-4]$/.test(e.key) && !e.altKey && !e.ctrlKey && !e.metaKey) index = Number(e.key.slice(1)) - 1;
    else if (e.altKey && /^Digit[1-4]$/.test(e.code)) index = Number(e.code.slice(5)) - 1;
    if (index < 0) return false;
    this.go(PAGES[index].id);
    return true;
  }
}

export const router = new Router();
