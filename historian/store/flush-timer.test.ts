/**
 * The writer's background flush (flushIntervalMs): every interval a flush in which tags take
 * turns (flush(false)); none at all with 0 (only flush() writes); a failed background flush is
 * reported to onError, not thrown. Timers are faked: the tests step them, they never wait.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Historian, type HistorianOptions } from '../index.js';
import { Good } from '../status.js';
import { T0, tagConfig, tempDir, volumeQuery } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
beforeEach(() => { vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }); });
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.useRealTimers();
});

function openTemp(options: HistorianOptions): { h: Historian; dir: string } {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { sortWindowMs: 0, now: () => T0 + 1000, ...options });
  cleanups.push(tmp.remove, () => h.close());
  return { h, dir: tmp.dir };
}

const values = (h: Historian, tag: string) => h.readRaw({ tags: tag, start: T0, end: T0 + 60_000 }).rows.map((r) => r.value);

describe('background flush', () => {
  it('writes what was appended every flushIntervalMs, with no flush() called', () => {
    // Guards: no timer started for a positive interval, or a timer that does not flush.
    const { h } = openTemp({ flushIntervalMs: 1000 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 1.5, status: Good }]);
    vi.advanceTimersByTime(999);
    expect(values(h, 'A')).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(values(h, 'A')).toEqual([1.5]);
    h.append('A', [{ t: T0 + 1000, value: 2.5, status: Good }]);
    vi.advanceTimersByTime(1000);
    expect(values(h, 'A')).toEqual([1.5, 2.5]);
  });

  it('flushIntervalMs 0: nothing is written until flush()', async () => {
    // Guards: a timer started for 0 (it would flush on every tick). Real timers here: a fake one at 0 ms cannot be stepped past.
    vi.useRealTimers();
    const { h } = openTemp({ flushIntervalMs: 0 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 1.5, status: Good }]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // some event-loop turns, where a timer would have run
    expect(values(h, 'A')).toEqual([]);
    h.flush();
    expect(values(h, 'A')).toEqual([1.5]);
  });

  it('is a flush in which tags take turns: a tag whose turn it is not goes to the journal', () => {
    // Guards: the timer's flush writing every tag (flush(true)) instead of taking turns.
    // One live tag and 1/8 segment row per flush: 8 turns; the first background flush is not its turn.
    const { h, dir } = openTemp({ flushIntervalMs: 1000, segmentsPerFlush: 1 / 8 });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 1.5, status: Good }]);
    vi.advanceTimersByTime(1000);
    expect(values(h, 'A')).toEqual([]);
    expect(volumeQuery(dir, 'SELECT id FROM journal')).toHaveLength(1);
    h.flush();
    expect(values(h, 'A')).toEqual([1.5]);
  });

  it('a failed background flush is reported to onError, and the data is written by the next one', () => {
    // Guards: the timer's error swallowed (onError never told) or thrown out of the timer.
    let clockFails = false;
    const errors: Error[] = [];
    const { h } = openTemp({
      flushIntervalMs: 1000,
      now: () => { if (clockFails) throw new Error('clock unavailable'); return T0 + 1000; },
      onError: (err) => errors.push(err),
    });
    h.defineTag(tagConfig('A'), T0);
    h.append('A', [{ t: T0, value: 1.5, status: Good }]);
    clockFails = true;
    vi.advanceTimersByTime(1000);
    expect(errors.map((e) => e.message)).toEqual(['clock unavailable']);
    expect(values(h, 'A')).toEqual([]);
    clockFails = false;
    vi.advanceTimersByTime(1000);
    expect(values(h, 'A')).toEqual([1.5]);
    expect(errors).toHaveLength(1);
  });
});
