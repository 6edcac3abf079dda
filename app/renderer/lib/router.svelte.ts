/**
 * Pages by URL hash (#/trends), so a reload keeps the page and tests can
 * deep-link. What follows a '?' is the page's query (#/trends?tags=A,B&range=1h,
 * see shared/trend-link.ts).
 */

import { PAGES, pageForKey, type PageId } from './page-keys.js';

export { PAGES, type PageId };

function fromHash(): { page: PageId; query: string } {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const id = q < 0 ? hash : hash.slice(0, q);
  return { page: PAGES.find((p) => p.id === id)?.id ?? 'overview', query: q < 0 ? '' : hash.slice(q + 1) };
}

class Router {
  page = $state<PageId>(fromHash().page);
  query = $state<string>(fromHash().query);

  constructor() {
    addEventListener('hashchange', () => {
      const { page, query } = fromHash();
      this.page = page;
      this.query = query;
    });
  }

  go(id: PageId): void {
    location.hash = `#/${id}`;
    this.page = id;
    this.query = '';
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
