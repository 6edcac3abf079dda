/** One shared ticking clock, aligned to the second so every display changes together. */
class Clock {
  now = $state(Date.now());

  constructor() {
    const tick = () => {
      this.now = Date.now();
      setTimeout(tick, 1000 - (this.now % 1000) + 5);
    };
    setTimeout(tick, 1000 - (this.now % 1000) + 5);
  }
}

export const clock = new Clock();
