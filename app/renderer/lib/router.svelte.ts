/**
 * Pages by URL hash (#/trends), so a reload keeps the page and tests can
 * deep-link. A page may take parameters after "?": `#/trends?tags=A,B`
 * opens the trends page with those tags (the alarm list's "go to display").
 */

import { PAGES, pageForKey, type PageId } from './page-keys.js';

export { PAGES, type PageId };

function fromHash(): { page: PageId; params: URLSearchParams } {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { page: PAGES.find((p) => p.id === path)?.id ?? 'overview', params: new URLSearchParams(query) };
}

class Router {
  page = $state<PageId>(fromHash().page);
  /** The current page's parameters (read-only: use go() to change them). */
  params = $state.raw<URLSearchParams>(fromHash().params);

  constructor() {
    addEventListener('hashchange', () => {
      const { page, params } = fromHash();
      this.page = page;
      this.params = params;
    });
  }

  go(id: PageId, params?: Record<string, string>): void {
    const query = params ? new URLSearchParams(params).toString() : '';
    location.hash = `#/${id}${query ? `?${query}` : ''}`;
    this.page = id;
    this.params = new URLSearchParams(query);
  }

  /** F1..F4 or Alt+digit; returns true when the key was a navigation key. */
  handleKey(e: KeyboardEvent): boolean {
    const page = pageForKey(e);
    if (!page) return false;
    this.go(page);
    return true;
  }
}

export const router = new Router();
