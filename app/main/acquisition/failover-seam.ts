/**
 * The seam of a switch of endpoint (make before break, server-link.ts switchTo): both endpoints of a
 * redundant pair read the same plant, so the new one's first values repeat what the old one handed on
 * already, and the old one's last values are still in its queues until its next publish.
 */
import type { ServerConfig } from '../../shared/config.js';
import type { AcquiredSample } from './sample.js';

/** Beyond a publishing interval, for the publish response to come over the network. */
const PUBLISH_MARGIN_MS = 250;

/**
 * How long the old endpoint is kept after the new one subscribed: its subscriptions' next publish
 * (at most a publishing interval away, the longest of the server's and its groups') brings what it
 * sampled before the new endpoint's first values; without it those values were lost. Never longer
 * than the loss watchdog's wait.
 */
export function seamWaitMs(server: Pick<ServerConfig, 'publishingIntervalMs' | 'groups' | 'staleAfterMs'>): number {
  const longest = Math.max(server.publishingIntervalMs, ...server.groups.map((g) => g.publishingIntervalMs ?? 0));
  return Math.min(longest + PUBLISH_MARGIN_MS, server.staleAfterMs);
}

/**
 * Per tag, until the new endpoint's values are past the old one's: a value stamped at or before the
 * tag's last one handed on, with the same status, is that time's value again (a Warm pair's initial
 * value, or what the old one's last publish brought before the new one's first publish came), and
 * is not handed on again. The first one past it, or one whose status differs (the old endpoint had
 * the tag bad, the new one has it good, or the other way round: what the tag is now, dated after the
 * last one by server-link.ts emit), ends the seam for its tag.
 */
export class Seam {
  private readonly open: Set<string>;

  constructor(tags: Iterable<string>) {
    this.open = new Set(tags);
  }

  take(samples: AcquiredSample[], lastT: ReadonlyMap<string, number>, lastStatus: ReadonlyMap<string, number>): AcquiredSample[] {
    if (this.open.size === 0) return samples;
    return samples.filter((s) => {
      if (!this.open.has(s.tag)) return true;
      const t = lastT.get(s.tag);
      if (s.marker || t === undefined || s.t > t || lastStatus.get(s.tag) !== s.status) {
        this.open.delete(s.tag);
        return true;
      }
      return false;
    });
  }
}
