/**
 * What a 413 means, from what the upstream took before. A 413 for a request
 * no larger than one it took (or for a single line) is taken as transient at
 * first (a proxy in front of it misbehaving for a moment): the same request
 * goes again after backoff. Only when that persists is its limit taken to
 * have gone down (it is learnt again by halving), or, for one line no larger
 * than requests it took, the upstream paused: such a line is not the
 * problem, and quarantining it would hold good data back. A request larger
 * than anything it took since is halved at once, and a single line larger
 * than any request it ever took is quarantined as too large. After halving,
 * requests grow back (doubling every few successes) to the configured size.
 */

/** Transient-looking 413s in a row for one request before they are believed. */
export const TOO_LARGE_RETRIES = 8;
/** Successful requests below the configured size before it is doubled again. */
export const GROW_AFTER = 8;

export type TooLargeVerdict = 'transient' | 'split' | 'pause';

export class TooLarge {
  /** The largest request (bytes) taken since its limit was last found lower; null: none. */
  private trusted: number | null = null;
  /** The largest request (bytes) ever taken by this process; null: none. */
  private taken: number | null = null;
  private attempts = 0;
  private okStreak = 0;

  constructor(readonly configuredLines: number) {}

  get largestTaken(): number | null {
    return this.taken;
  }

  /** A request of `bytes` was taken at the current limit of `limitLines`: the new limit when it grows, else null. */
  accepted(bytes: number, limitLines: number): number | null {
    this.attempts = 0;
    if (this.trusted === null || bytes > this.trusted) this.trusted = bytes;
    if (this.taken === null || bytes > this.taken) this.taken = bytes;
    if (limitLines >= this.configuredLines || ++this.okStreak < GROW_AFTER) return null;
    this.okStreak = 0;
    return Math.min(this.configuredLines, limitLines * 2);
  }

  /** A 413 for a request of `bytes` in `lines` lines. */
  refused(bytes: number, lines: number): TooLargeVerdict {
    this.okStreak = 0;
    const largerThanEver = this.taken !== null && bytes > this.taken;
    const tookAsLarge = this.trusted !== null && bytes <= this.trusted;
    if (!(lines === 1 && largerThanEver) && (tookAsLarge || lines === 1)) {
      if (this.attempts < TOO_LARGE_RETRIES) {
        this.attempts++;
        return 'transient';
      }
      this.attempts = 0;
      if (lines > 1) {
        this.trusted = null; // its limit went down: found again by halving
        return 'split';
      }
      // One line, refused each time: with nothing ever taken it goes to the quarantine (the
      // refusal streak still pauses an upstream that takes nothing); else the line is not the problem.
      return this.taken === null ? 'split' : 'pause';
    }
    this.attempts = 0;
    return 'split';
  }
}
