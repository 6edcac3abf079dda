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
  it('commits right after a batch once 900 ms (the period less a tenth) have passed, on the next turn', () => {
    const p = pacer();
    step(950);
    p.noteData();
    p.noteData(); // a second batch in the same turn: one commit for both
    expect(commits).toEqual([]); // not inside the batch's own call
    step(0);
    expect(commits).toEqual([950]);
    step(1000);
    p.noteData();
    step(0);
    expect(commits).toEqual([950, 1950]);
    p.stop();
  });

  it('leaves a batch before 900 ms to the next commit, by a batch or by the timer 1,100 ms after the last', () => {
    const p = pacer();
    step(899);
    p.noteData();
    step(0);
    expect(commits).toEqual([]);
    step(200); // 1,099
    expect(commits).toEqual([]);
    step(1);
    expect(commits).toEqual([1100]);
    // A batch due at 2,000 commits after itself; the timer then waits until 3,100.
    step(900);
    p.noteData();
    step(0);
    step(1099);
    expect(commits).toEqual([1100, 2000]);
    step(1);
    expect(commits).toEqual([1100, 2000, 3100]);
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

  it('a commit queued before stop does not run', () => {
    const p = pacer();
    step(950);
    p.noteData();
    p.stop();
    step(0);
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
    step(0);
    fail = false;
    step(1000);
    p.noteData();
    step(0);
    expect(commits).toEqual([1000, 2000]);
    expect(errors).toEqual(['disk full']);
    p.stop();
  });
});
