/**
 * The seam of a switch of endpoint (make before break, server-link.ts switchTo): both endpoints of a
 * redundant pair read the same plant, so the new one's first values repeat what the old one handed on
 * already, and the old one's last values are still in its queues until its next publish.
 */
import type { ServerConfig } from '../../shared/config.js';
import { givenStampOf, type AcquiredSample } from './sample.js';
import type { ServerClock } from './server-clock.js';

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

type Bounds = Pick<ServerClock, 'lowMs' | 'highMs'>;

/** The new endpoint's clock minus the old one's (ms), and how far either way the measures leave it uncertain. */
export interface Skew {
  ms: number;
  marginMs: number;
}

/**
 * The new endpoint's clock minus the old one's, as their measures (server-clock.ts, each [low,
 * high]) bound it: none (0) when the bounds hold 0 (the clocks agree within what a timed read can
 * tell) or either is not measured, else the middle of the difference's bounds, give or take half
 * their width.
 */
export function clockSkew(old: Bounds | null | undefined, next: Bounds | null | undefined): Skew {
  if (!old || !next) return { ms: 0, marginMs: 0 };
  const low = next.lowMs - old.highMs;
  const high = next.highMs - old.lowMs;
  if (low <= 0 && high >= 0) return { ms: 0, marginMs: 0 };
  return { ms: Math.round((low + high) / 2), marginMs: Math.ceil((high - low) / 2) };
}

/** Per tag, the last value handed on: the time it is dated by, its value and status, and the stamp its server gave it (sample.ts givenStampOf). */
export interface HandedOn {
  t: ReadonlyMap<string, number>;
  value: ReadonlyMap<string, AcquiredSample['value']>;
  status: ReadonlyMap<string, number>;
  given: ReadonlyMap<string, number>;
}

/**
 * Per tag, until the new endpoint's values are past the old one's: a value stamped at or before the
 * tag's last one handed on, with the same status, is that time's value again (a Warm pair's initial
 * value, or what the old one's last publish brought before the new one's first publish came), and
 * is not handed on again. The first one past it, or one whose status differs (the old endpoint had
 * the tag bad, the new one has it good, or the other way round: what the tag is now, dated after the
 * last one by server-link.ts emit), ends the seam for its tag.
 *
 * Stamps as the servers gave them (sample.ts givenStampOf), not as the station dated them (a clock
 * behind has its values dated at receipt, some of them, by subscription.ts). Two servers that stamp
 * values by their own clocks (each samples the plant itself) stamp one moment apart by their clocks'
 * difference (`skewMs`, clockSkewMs): compared as they are, a new endpoint whose clock is behind had
 * its values taken for the old one's and dropped (lost), one ahead had the old one's last values
 * handed on twice. The new one's stamps are compared shifted back by the skew; within its margin
 * (the measures' uncertainty, a round trip) of the last one, a value with the last one's value is that
 * one again, another value is new. Unless the stamps are shown
 * to be one source's (a device's, passed on by both servers): a value of the new endpoint stamped
 * exactly as the tag's last one, with its status (a Warm pair's initial value of a tag that did not
 * change), is that one again, and says that the stamps are not the servers' own; from then on they
 * are compared as they are.
 */
export class Seam {
  private readonly open: Set<string>;
  /** The stamps were shown to be one source's: not shifted. */
  private shared = false;

  constructor(tags: Iterable<string>, readonly skew: Skew = { ms: 0, marginMs: 0 }) {
    this.open = new Set(tags);
  }

  /** Whether a value repeats its tag's last one's stamp exactly: then the pair passes one source's stamps on (see the class). */
  notice(samples: readonly AcquiredSample[], last: HandedOn): void {
    if (this.skew.ms === 0 || this.shared) return;
    this.shared = samples.some((s) => {
      const given = givenStampOf(s);
      return !s.marker && this.open.has(s.tag) && given !== undefined && last.given.get(s.tag) === given && last.status.get(s.tag) === s.status;
    });
  }

  /** The shift applied to the new endpoint's stamps: the skew, or 0 once the stamps are shown shared. */
  get shiftMs(): number {
    return this.shared ? 0 : this.skew.ms;
  }

  take(samples: AcquiredSample[], last: HandedOn): AcquiredSample[] {
    if (this.open.size === 0) return samples;
    this.notice(samples, last);
    const shift = this.shiftMs;
    return samples.filter((s) => {
      if (!this.open.has(s.tag)) return true;
      if (s.marker || last.status.get(s.tag) !== s.status || this.newer(s, last, shift)) {
        this.open.delete(s.tag);
        return true;
      }
      return false;
    });
  }

  /** Past the tag's last value: by the servers' own stamps when both are known, else by the times they are dated by. */
  private newer(s: AcquiredSample, last: HandedOn, shift: number): boolean {
    const given = givenStampOf(s);
    const lastGiven = last.given.get(s.tag);
    if (given !== undefined && lastGiven !== undefined) {
      const after = given - shift - lastGiven;
      const margin = shift === 0 ? 0 : this.skew.marginMs;
      if (Math.abs(after) > margin || margin === 0) return after > 0;
      return last.value.get(s.tag) !== s.value;
    }
    const t = last.t.get(s.tag);
    return t === undefined || s.t > t;
  }
}
