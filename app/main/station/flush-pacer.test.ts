/** The archive's commit pacing, with fake timers and a literal clock (ms). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlushPacer } from './flush-pacer.js';

let now: number;
let commits: number[];
let errors: string[];
const step = (ms: number) => { now += ms; vi.advanceTimersByTime(ms); };

beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
  commits = [];
  errors = [];
});
afterEach(() => vi.useRealTimers());

const pacer = (flush: () => void = () => commits.push(now)) => new FlushPacer(flush, 1000, (e) => errors.push(e.message), () => now);

describe('flush pacer', () => {
  it('once 900 ms (the period less a tenth) have passed, commits when the batches pause for 25 ms', () => {
    const p = pacer();
    step(950);
    p.noteData();
    step(10);
    p.noteData(); // the same publish's next response, 10 ms later: the commit waits for it
    step(24);
    expect(commits).toEqual([]);
    step(1);
    expect(commits).toEqual([985]);
    step(975);
    p.noteData(); // 1,960
    step(25);
    expect(commits).toEqual([985, 1985]);
    p.stop();
  });

  it('leaves a batch before 900 ms to the next commit, by a batch or by the timer 1,100 ms after the last', () => {
    const p = pacer();
    step(899);
    p.noteData();
    step(25);
    expect(commits).toEqual([]);
    step(175); // 1,099
    expect(commits).toEqual([]);
    step(1);
    expect(commits).toEqual([1100]);
    // A batch due at 2,000 commits 25 ms after itself; the timer then waits until 3,125.
    step(900);
    p.noteData();
    step(25);
    step(1099);
    expect(commits).toEqual([1100, 2025]);
    step(1);
    expect(commits).toEqual([1100, 2025, 3125]);
    p.stop();
  });

  it('batches that never pause are committed by the timer, 1,100 ms after the last commit', () => {
    const p = pacer();
    for (let t = 0; t < 1200; t += 10) {
      p.noteData();
      step(10);
    }
    expect(commits).toEqual([1100]);
    p.stop();
  });

  it('with no batches, commits every 1,100 ms (held discrete samples, tags whose turn came); nothing after stop', () => {
    const p = pacer();
    for (let i = 0; i < 3; i++) step(1100);
    expect(commits).toEqual([1100, 2200, 3300]);
    step(500);
    p.noteData(); // 3,800: not due
    step(100);
    p.stop();
    step(5000);
    expect(commits).toEqual([1100, 2200, 3300]);
  });

  it('a commit waiting for a pause does not run after stop', () => {
    const p = pacer();
    step(950);
    p.noteData();
    p.stop();
    step(100);
    expect(commits).toEqual([]);
  });

  it('reports a failed commit and keeps committing', () => {
    let fail = true;
    const p = pacer(() => {
      commits.push(now);
      if (fail) throw new Error('disk full');
    });
    step(1000);
    p.noteData();
    step(25);
    fail = false;
    step(1000);
    p.noteData();
    step(25);
    expect(commits).toEqual([1025, 2050]);
    expect(errors).toEqual(['disk full']);
    p.stop();
  });
});
