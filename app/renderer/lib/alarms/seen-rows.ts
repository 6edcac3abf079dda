/**
 * Since when each row of a list has stood on screen as it is drawn now (same revision, wholly
 * visible), so that "ack visible page" takes only what the operator had time to see. In a flood
 * the page changes under the key: rows arriving above push others into view, a row escalates
 * (new revision) a moment before the press. Read at the press alone, the page acknowledged rows
 * drawn a few milliseconds earlier (seen at 1280x720: five P3 rows pushed into view by five new
 * P2 alarms, acknowledged 0 ms after they came).
 */
import type { ShownRow } from './selection.svelte.js';

/**
 * How long a row must have stood on screen, unchanged, to count as seen: a glance and a decision
 * take longer than a simple reaction (~250 ms); a row left out is only left unacknowledged.
 */
export const SEEN_MS = 1000;

export interface SeenSplit {
  /** On screen and unchanged for at least the minimum: what the operator saw. */
  seen: ShownRow[];
  /** On screen now, but came (or changed) too recently to have been read. */
  fresh: ShownRow[];
}

interface OnScreen {
  revision: number;
  /** Since when it has been drawn with this revision. */
  at: number;
  /** The revision it showed before this one changed on screen: the last that stood SEEN_MS, else the first shown. */
  before?: OnScreen;
}

export class SeenRows {
  private since = new Map<string, OnScreen>();

  /** The rows wholly on screen at `now` (ms, a monotonic clock): a row new or changed is timed from now. */
  update(shown: readonly ShownRow[], now: number, minMs = SEEN_MS): void {
    const next = new Map<string, OnScreen>();
    for (const s of shown) {
      const was = this.since.get(s.id);
      if (was && was.revision === s.revision) next.set(s.id, was);
      else next.set(s.id, { revision: s.revision, at: now, before: was && (now - was.at >= minMs ? { revision: was.revision, at: was.at } : (was.before ?? was)) });
    }
    this.since = next;
  }

  /**
   * The revision to acknowledge the selected row by (F10): the one the operator had time to see.
   * A row that changed on screen just before the key (H escalated to HH) is named by its revision
   * before, so the station refuses ("alarm changed — review") instead of acknowledging what was
   * not read. A row not watched on screen, only just come, or chosen (`chosenAt`: selected with the
   * arrows or a click) after it changed keeps its own: the operator picked it as it is drawn.
   */
  revisionSeen(row: ShownRow, now: number, chosenAt = -Infinity, minMs = SEEN_MS): number {
    const on = this.since.get(row.id);
    // Changed within this frame, not yet measured: the revision drawn before it.
    if (on && on.revision !== row.revision) return on.revision;
    if (!on || now - on.at >= minMs || chosenAt >= on.at) return row.revision;
    return on.before?.revision ?? row.revision;
  }

  /**
   * The rows on screen now, split into those seen (unchanged on screen for `minMs` up to `now`) and
   * those fresh. A change not yet observed (drawn within this frame) counts from now: fresh.
   */
  split(shown: readonly ShownRow[], now: number, minMs = SEEN_MS): SeenSplit {
    this.update(shown, now, minMs);
    const seen: ShownRow[] = [];
    const fresh: ShownRow[] = [];
    for (const s of shown) (now - this.since.get(s.id)!.at >= minMs ? seen : fresh).push(s);
    return { seen, fresh };
  }
}

/**
 * Keeps `seen` up to date with the rows of `root` on screen (`shownNow`): after every change of the
 * list, a scroll or a resize, measured once per frame (a flood changes the list many times a frame).
 * Returns the function that stops watching.
 */
export function watchShown(root: HTMLElement, seen: SeenRows, shownNow: (root: HTMLElement) => ShownRow[]): () => void {
  let frame: number | null = null;
  const measure = () => {
    frame = null;
    seen.update(shownNow(root), performance.now());
  };
  const schedule = () => {
    if (frame === null) frame = requestAnimationFrame(measure);
  };
  const mutations = new MutationObserver(schedule);
  mutations.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-revision', 'hidden'] });
  const resize = new ResizeObserver(schedule);
  resize.observe(root);
  // Scroll events do not bubble: caught on the way down, from whichever box scrolls the list.
  document.addEventListener('scroll', schedule, { capture: true, passive: true });
  window.addEventListener('resize', schedule);
  measure();
  return () => {
    if (frame !== null) cancelAnimationFrame(frame);
    mutations.disconnect();
    resize.disconnect();
    document.removeEventListener('scroll', schedule, { capture: true });
    window.removeEventListener('resize', schedule);
  };
}
