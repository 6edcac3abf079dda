/**
 * Pages by URL hash (#/trends), so a reload keeps the page and tests can
 * deep-link. What follows a '?' is the page's query: `#/trends?tags=A,B&range=1h`
 * opens the trends page with those pens (shared/trend-link.ts; the alarm
 * list's "go to display"), `#/alarms?list=shelved` a list of the alarm page.
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
  /** The raw query (read-only: use go() to change it); trend links keep their own encoding in it. */
  query = $state<string>(fromHash().query);
  /** The query's parameters. */
  params = $derived(new URLSearchParams(this.query));

  constructor() {
    addEventListener('hashchange', () => {
      const { page, query } = fromHash();
      this.page = page;
      this.query = query;
    });
  }

  /** Opens a page, with parameters or a query already encoded (e.g. shared/trend-link.ts's). */
  go(id: PageId, params?: Record<string, string> | string): void {
    const query = typeof params === 'string' ? params.replace(/^\?/, '') : params ? new URLSearchParams(params).toString() : '';
    location.hash = `#/${id}${query ? `?${query}` : ''}`;
    this.page = id;
    this.query = query;
  }

  /**
   * Rewrites the open page's query in the address without a new history entry (a page saying its own state
   * there, trends' pens and view): Back still leaves the page, and the query read stays the address's, so a
   * link opened again with the query the page was opened with is seen as a change.
   */
  replace(query: string): void {
    history.replaceState(history.state, '', `#/${this.page}${query ? `?${query}` : ''}`);
    this.query = query;
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
