/**
 * The worker's send loop over real Lanes, BatchSender and SyncStore, with the upstream as a
 * function of each request's lines: what a restart does to a batch in flight can be tested
 * line by line. A 'hang' answer is the station killed during that request (nothing more is
 * written, as after kill -9).
 */
import type { Verdict } from '../deliver/outcome.js';
import { Lanes } from '../deliver/lanes.js';
import { RateLimiter } from '../deliver/rate.js';
import { BatchSender, type Link } from '../deliver/sender.js';
import { SyncStore } from '../store/sync-store.js';
import type { OutboxStream } from '../streams/stream.js';

export type Answer = (lines: string[]) => Verdict | 'hang' | 'kill-in-backoff';

const quiet = { info() {}, warn() {}, error() {}, debug() {}, child() { return quiet; } };

export interface LaneRun {
  store: SyncStore;
  /** Lines of each acknowledged request, in order. */
  acked: string[][];
  losses: string[];
  /** Sends batches until the station is "killed" or nothing is due; then closes the store. */
  go(): Promise<void>;
}

export function laneRun(file: string, streams: OutboxStream[], o: { batchLines: number; requestLines: number; answer: Answer }): LaneRun {
  const store = SyncStore.open(file);
  const acked: string[][] = [], losses: string[] = [];
  const lanes = new Lanes(store, streams, {
    upstream: 'u', batchLines: o.batchLines, flushIntervalMs: 0, splitAfterMs: 1e15, now: () => Date.now(), mono: () => performance.now(), steady: () => Date.now(), log: quiet as never,
    onLoss: (s, d) => losses.push(`${s}: ${d}`),
  });
  let killed = false, killInBackoff = false;
  const link: Link = {
    upstream: 'u', store, log: quiet as never, gzipLevel: 0, backoff: { baseMs: 1, capMs: 1, maxRetryAfterMs: 1 }, partialWrites: true,
    limits: { lines: o.requestLines, bytes: 1e9 }, now: () => Date.now(),
    post: async (body) => {
      const lines = body.toString().split('\n').filter(Boolean);
      const a = o.answer(lines);
      if (a === 'hang') { killed = true; return new Promise<Verdict>(() => {}); }
      if (a === 'kill-in-backoff') { killInBackoff = true; return { kind: 'retry', error: 'HTTP 503', retryAfterMs: null }; }
      if (a.kind === 'ok') acked.push(lines);
      return a;
    },
    sleep: async () => { if (killInBackoff) killed = true; return !killed; },
    pause: async () => false,
    stopping: () => killed,
    report() {},
  };
  const sender = new BatchSender(link);
  return {
    store, acked, losses,
    async go() {
      let b = lanes.resume();
      for (;;) {
        b ??= lanes.next(new RateLimiter(0, 1, 0));
        if (!b) break;
        lanes.begin(b);
        const sending = sender.send(b);
        const r = await Promise.race([sending, new Promise<'hung'>((res) => setTimeout(() => res('hung'), 100))]);
        if (r === 'hung' || !r.done) break;
        b = null;
      }
      store.close();
    },
  };
}
