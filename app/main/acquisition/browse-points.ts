/**
 * Continuation points are scarce: a server may keep as few as one per session (Part 4 §7.9, its
 * MaxBrowseContinuationPoints), and every console browsing through the station shares the station's
 * one session with that server. The Tags page's browses therefore go one at a time per session (a
 * folder paged through holds one point, never as many as there are engineers clicking), the
 * station's own (a tag's type and units, its values wait for them) before the consoles' waiting, and a browse
 * the server refuses for want of a point (another part of the station holding one a moment) waits for
 * one rather than fail at once. How it is said when it fails is browseRefused.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { BrowseDescriptionOptions, BrowseResult, ClientSession } from 'node-opcua-client';
import { ApiFailure } from '../api/dispatcher.js';

export const NO_POINTS = 'BadNoContinuationPoints';

/** A session's browses waiting for their turn: the station's own first, each kind in the order asked. */
interface Turns {
  busy: boolean;
  station: (() => void)[];
  consoles: (() => void)[];
}
const turns = new WeakMap<ClientSession, Turns>();
/** The sessions whose turn the running code holds (a node's detail reads its type and units in its turn). */
const holding = new AsyncLocalStorage<ReadonlySet<ClientSession>>();

/**
 * Runs fn once the session's browse running has ended (whether it failed or not). The station's
 * own browses (first: a tag's type and units, which its acquisition waits for) go before the
 * consoles' still waiting: five engineers opening a big folder held back a new tag's values for all
 * five browses. Code already in the session's turn runs fn at once: waiting for the turns after its
 * own would wait for itself.
 */
export function inTurn<T>(session: ClientSession, fn: () => Promise<T>, first = false): Promise<T> {
  const held = holding.getStore();
  if (held?.has(session)) return fn();
  let q = turns.get(session);
  if (!q) turns.set(session, (q = { busy: false, station: [], consoles: [] }));
  const queue = q;
  return new Promise<T>((resolve, reject) => {
    (first ? queue.station : queue.consoles).push(() => {
      holding.run(new Set([...(held ?? []), session]), async () => fn()).then(resolve, reject).finally(() => nextTurn(queue));
    });
    if (!queue.busy) nextTurn(queue);
  });
}

function nextTurn(q: Turns): void {
  const next = q.station.shift() ?? q.consoles.shift();
  q.busy = next !== undefined;
  next?.();
}

/** How long a browse waits for a free continuation point: the station's own browses hold one for a second or so. */
export const POINT_WAIT_MS = 10_000;
/** The wait in force (a test shortens it to see a point never freed). */
export const pointWait = { ms: POINT_WAIT_MS };

/**
 * Calls attempt until it is not refused for want of a continuation point ('busy'), waiting 50 ms
 * doubling to 1 s between tries, for at most pointWait.ms (POINT_WAIT_MS); then 'busy' is the answer.
 */
export async function whenPointFree<T>(attempt: () => Promise<T | 'busy'>, waitMs = pointWait.ms): Promise<T | 'busy'> {
  const until = Date.now() + waitMs;
  for (let pause = 50; ; pause = Math.min(1000, pause * 2)) {
    const got = await attempt();
    if (got !== 'busy' || Date.now() >= until) return got;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, until - Date.now()))));
  }
}

/** The first part of a node's browse; more: the server had more references than it gave (the point it gave was released). */
export interface FirstPart {
  result: BrowseResult;
  more: boolean;
}

/**
 * The first part of one browse of each description, in order, in the session's turn: the station's
 * own browses of a few references each (a type's supertype, a variable's properties), many nodes a
 * request. A node the server refuses for want of a continuation point is not known yet, never taken
 * for a node without references: it is asked again once the points this request was given are
 * released (a server may give one and refuse every node after it), and waits for one held elsewhere
 * (whenPointFree); still refused after that, the whole call fails (browseRefused naming the first
 * node refused, 'unavailable').
 * Every point given is released at once: a node whose references matter to the end is browsed whole
 * after (browseAll) when its part says more.
 */
export function firstParts(session: ClientSession, descriptions: readonly BrowseDescriptionOptions[]): Promise<FirstPart[]> {
  return inTurn(session, async () => {
    const out: FirstPart[] = [];
    let left = descriptions.map((_, k) => k);
    const answered = await whenPointFree(async () => {
      while (left.length > 0) {
        const results = await session.browse(left.map((k) => descriptions[k]!));
        // A result missing would be a node read as having no references.
        if (results.length !== left.length) throw new Error(`the server answered ${results.length} browse results for ${left.length} nodes`);
        const refused: number[] = [];
        const points: Buffer[] = [];
        left.forEach((k, i) => {
          const result = results[i]!;
          if (result.statusCode.name === NO_POINTS) return void refused.push(k);
          const cp = result.continuationPoint;
          if (cp && cp.length > 0) points.push(cp);
          out[k] = { result, more: !!cp && cp.length > 0 };
        });
        if (points.length > 0) await session.browseNext(points, true);
        const progress = refused.length < left.length;
        left = refused;
        if (!progress) return 'busy';
      }
      return 'done';
    });
    if (answered === 'busy') {
      // Named by the first node refused (a DataType, a variable): the console says it in its language.
      const what = String(descriptions[left[0]!]!.nodeId ?? '');
      throw browseRefused(what, NO_POINTS, `browsing ${what} and ${left.length - 1} more of ${descriptions.length} nodes: ${NO_POINTS} for ${pointWait.ms} ms`);
    }
    return out;
  }, true);
}

/**
 * A browse or node read the server refused, in the console's words (the status kept in brackets for
 * the server's engineer): its message is the station log's, its i18n what the console shows.
 */
export function browseRefused(nodeId: string, status: string, log: string): ApiFailure {
  const code = status === NO_POINTS || status === 'BadTimeout' ? 'unavailable' : 'bad_request';
  return new ApiFailure(code, log, { key: 'acquisition.error.browseRefused', params: { nodeId, status } });
}

/** A server that kept sending parts with nothing new and no end. */
export function browseEndless(nodeId: string, parts: number, log: string): ApiFailure {
  return new ApiFailure('bad_request', log, { key: 'acquisition.error.browseEndless', params: { nodeId, parts } });
}

/** node-opcua's own words for a request it gave up waiting for. */
export const isTimeout = (err: unknown): boolean => err instanceof Error && /timed out|timeout/i.test(err.message) && !(err instanceof ApiFailure);
