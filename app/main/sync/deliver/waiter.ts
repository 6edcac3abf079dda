/**
 * A wait that something else can cut short. A sticky waiter remembers a fire
 * that came while nobody waited (a poke is never missed); a plain one does not
 * (a resume that came before the pause means nothing).
 */
export class Waiter {
  private waiting: ((fired: boolean) => void)[] = [];
  private pending = false;

  constructor(private readonly sticky: boolean) {}

  /** Resolves true when fired, false after ms. */
  wait(ms: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        resolve(false);
      }, ms);
      const done = (fired: boolean) => {
        clearTimeout(timer);
        resolve(fired);
      };
      this.waiting.push(done);
    });
  }

  fire(): void {
    const w = this.waiting;
    this.waiting = [];
    if (w.length === 0 && this.sticky) this.pending = true;
    for (const done of w) done(true);
  }
}
