/**
 * The focus kept in the page when what had it is taken away under the operator by no act of
 * theirs: the alarm whose detail had the focus shelved, acknowledged or taken out of service at
 * another console, or returned to normal. Chromium leaves the focus on <body> then, without an
 * event, where Tab starts again from the top of the screen. The page (main) takes it instead.
 */

import { keptFocusOn } from './focus-return.js';

/** Watches `page` (the main region) until the returned function is called. */
export function keepFocusIn(page: HTMLElement): () => void {
  let last: HTMLElement | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const onFocusIn = (e: FocusEvent) => {
    keptFocusOn(null);
    last = e.target instanceof HTMLElement && page.contains(e.target) ? e.target : null;
  };
  const observer = new MutationObserver(() => {
    if (!last || last.isConnected || timer !== null) return;
    // A macrotask later: the handlers that place the focus themselves after their own action (an
    // unshelved alarm's row, a dialog's opener, the next action after Ack) run first, in microtasks.
    timer = setTimeout(() => {
      timer = null;
      const gone = last;
      if (!gone || gone.isConnected) return;
      last = null;
      const a = document.activeElement;
      if (a !== null && a !== document.body) return;
      page.focus({ preventScroll: true });
      // Still lost for the handler of an action whose answer comes later (focus-return.ts).
      keptFocusOn(page);
    }, 0);
  });
  document.addEventListener('focusin', onFocusIn);
  observer.observe(page, { childList: true, subtree: true });
  return () => {
    document.removeEventListener('focusin', onFocusIn);
    observer.disconnect();
    if (timer !== null) clearTimeout(timer);
    keptFocusOn(null);
  };
}
