/**
 * What one press of "ack visible page" (Shift+F10) takes, and what its answer must say. Pressed
 * twice within a second, the second press came while the station had not yet answered the first:
 * the rows the first had sent were still unacknowledged in the console, so the second sent them
 * again with the revisions the first had just changed, and the station refused the whole request
 * ("alarm changed — review: …", 15 s): the operator, told his alarms had changed, was not told the
 * first press had acknowledged them. A row asked for by a press not yet answered is that press's:
 * the later one neither sends it again nor words an answer about it.
 */
import type { ShownRow } from './selection.svelte.js';

export interface PageAckPlan {
  /** Seen long enough, unacknowledged, asked for by no press before: sent now. */
  ack: ShownRow[];
  /** Unacknowledged rows come on screen too recently to have been read: left, and the answer says how many. */
  notYetSeen: number;
  /** Unacknowledged rows on the page a press before has asked for and the station not yet answered. */
  askedBefore: number;
}

/** `unacked`: the row is unacknowledged in the console now; `asked`: ids of acknowledgements not yet answered. */
export function planPageAck(
  seen: readonly ShownRow[],
  fresh: readonly ShownRow[],
  unacked: (id: string) => boolean,
  asked: ReadonlySet<string>,
): PageAckPlan {
  const waiting = (rows: readonly ShownRow[]) => rows.filter((s) => unacked(s.id));
  const ack = waiting(seen).filter((s) => !asked.has(s.id));
  const freshWaiting = waiting(fresh);
  return {
    ack,
    notYetSeen: freshWaiting.filter((s) => !asked.has(s.id)).length,
    askedBefore: [...waiting(seen), ...freshWaiting].filter((s) => asked.has(s.id)).length,
  };
}

/** What the answer to a page ack says when nothing is sent: that some came too recently, nothing at all, or nothing new (the press before answers). */
export function unsentAnswer(plan: PageAckPlan): 'notYetSeen' | 'nothingVisible' | null {
  if (plan.notYetSeen > 0) return 'notYetSeen';
  return plan.askedBefore > 0 ? null : 'nothingVisible';
}
