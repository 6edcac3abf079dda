/** Pages by URL hash (#/trends), so a reload keeps the page and tests can deep-link. */

import { PAGES, pageForKey, type PageId } from './page-keys.js';

export { PAGES, type PageId };

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
    const page = pageForKey(e);
    if (!page) return false;
    this.go(page);
    return true;
  }
}

export const router = new Router();
