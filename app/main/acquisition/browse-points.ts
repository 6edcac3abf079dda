/**
 * Continuation points are scarce: a server may keep as few as one per session (Part 4 §7.9, its
 * MaxBrowseContinuationPoints), and every console browsing through the station shares the station's
 * one session with that server. The Tags page's browses therefore go one at a time per session (a
 * folder paged through holds one point, never as many as there are engineers clicking), and a browse
 * the server refuses for want of a point (another part of the station holding one a moment) waits for
 * one rather than fail at once. How it is said when it fails is browseRefused.
 */
import type { ClientSession } from 'node-opcua-client';
import { ApiFailure } from '../api/dispatcher.js';

export const NO_POINTS = 'BadNoContinuationPoints';

const turns = new WeakMap<ClientSession, Promise<unknown>>();

/** Runs fn once the session's browses before it have ended (whether they failed or not). */
export function inTurn<T>(session: ClientSession, fn: () => Promise<T>): Promise<T> {
  const before = turns.get(session) ?? Promise.resolve();
  const mine = before.then(fn, fn);
  turns.set(session, mine.catch(() => undefined));
  return mine;
}

/** How long a browse waits for a free continuation point: the station's own browses hold one for a second or so. */
export const POINT_WAIT_MS = 10_000;

/**
 * Calls attempt until it is not refused for want of a continuation point ('busy'), waiting 50 ms
 * doubling to 1 s between tries, for at most POINT_WAIT_MS; then 'busy' is the answer.
 */
export async function whenPointFree<T>(attempt: () => Promise<T | 'busy'>, waitMs = POINT_WAIT_MS): Promise<T | 'busy'> {
  const until = Date.now() + waitMs;
  for (let pause = 50; ; pause = Math.min(1000, pause * 2)) {
    const got = await attempt();
    if (got !== 'busy' || Date.now() >= until) return got;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, until - Date.now()))));
  }
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
