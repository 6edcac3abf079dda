import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveCache } from './live-cache.js';
import type { LiveValue } from '../../shared/api.js';

/** OPC UA Part 4 StatusCodes (Opc.Ua.StatusCodes.csv): literals, not the module's constants. */
const BadWaitingForInitialData = 0x80320000;
const BadNoCommunication = 0x80310000;

afterEach(() => vi.useRealTimers());

describe('live cache', () => {
  it('starts every tag as waiting for initial data, never blank', () => {
    const cache = new LiveCache(['a', 'b'], 1000);
    expect(cache.snapshot()).toEqual([
      { tag: 'a', t: 1000, value: null, status: BadWaitingForInitialData, lastGood: null },
      { tag: 'b', t: 1000, value: null, status: BadWaitingForInitialData, lastGood: null },
    ]);
  });

  it('keeps the last good value and its time beside a bad status', () => {
    const cache = new LiveCache(['a']);
    cache.update([{ tag: 'a', t: 1, value: 12.5, status: 0 }]);
    cache.update([{ tag: 'a', t: 2, value: null, status: BadNoCommunication }]);
    expect(cache.get('a')).toEqual({ tag: 'a', t: 2, value: null, status: BadNoCommunication, lastGood: { t: 1, value: 12.5 } });
    // A failed sensor's junk value is kept as received; the last good one stays beside it.
    cache.update([{ tag: 'a', t: 3, value: -9999, status: 0x808c0000 }]);
    expect(cache.get('a')).toEqual({ tag: 'a', t: 3, value: -9999, status: 0x808c0000, lastGood: { t: 1, value: 12.5 } });
    // An uncertain value is usable: it becomes the last good one.
    cache.update([{ tag: 'a', t: 4, value: 12.6, status: 0x40900000 }]);
    expect(cache.get('a')?.lastGood).toEqual({ t: 4, value: 12.6 });
    // Last received wins, even with an older source time (a value unchanged since before the loss).
    cache.update([{ tag: 'a', t: 0, value: 12.5, status: 0 }]);
    expect(cache.get('a')?.status).toBe(0);
  });

  it('ignores unknown tags and publishes only what changed, once per period', () => {
    vi.useFakeTimers();
    let now = 0;
    const cache = new LiveCache(['a', 'b']);
    const batches: LiveValue[][] = [];
    cache.startPublishing(250, (b) => batches.push(b), () => now);
    cache.update([{ tag: 'a', t: 1, value: 1, status: 0 }, { tag: 'zz', t: 1, value: 1, status: 0 }, { tag: 'a', t: 2, value: 2, status: 0 }]);
    vi.advanceTimersByTime(250);
    now += 250;
    vi.advanceTimersByTime(250);
    cache.stop();
    expect(batches).toEqual([[{ tag: 'a', t: 2, value: 2, status: 0, lastGood: { t: 2, value: 2 } }]]);
  });

  it('sends the first change after a quiet period at once, then at most one batch per period', () => {
    vi.useFakeTimers();
    let now = 10_000;
    const cache = new LiveCache(['a', 'b']);
    const sent: { at: number; tags: string[] }[] = [];
    cache.startPublishing(100, (b) => sent.push({ at: now, tags: b.map((v) => v.tag) }), () => now);
    const step = (ms: number) => { now += ms; vi.advanceTimersByTime(ms); };
    // Two notifications in the same turn of the event loop: one batch, with no wait for a period.
    cache.update([{ tag: 'a', t: 1, value: 1, status: 0 }]);
    cache.update([{ tag: 'b', t: 1, value: 1, status: 0 }]);
    step(0);
    expect(sent).toEqual([{ at: 10_000, tags: ['a', 'b'] }]);
    // 30 ms later: within the period, so it waits until 100 ms after the last batch, not longer.
    step(30);
    cache.update([{ tag: 'a', t: 2, value: 2, status: 0 }]);
    step(69);
    expect(sent).toHaveLength(1);
    step(1);
    expect(sent[1]).toEqual({ at: 10_100, tags: ['a'] });
    // Quiet for 500 ms: the next change goes out at once again.
    step(500);
    cache.update([{ tag: 'b', t: 3, value: 3, status: 0 }]);
    step(0);
    expect(sent[2]).toEqual({ at: 10_600, tags: ['b'] });
    // Nothing changed: nothing is sent.
    step(1000);
    cache.stop();
    expect(sent).toHaveLength(3);
  });

  it('publishDue sends at once when the period is over, and leaves a change within the period to the timer', () => {
    vi.useFakeTimers();
    let now = 5_000;
    const cache = new LiveCache(['a', 'b']);
    const sent: { at: number; tags: string[] }[] = [];
    cache.startPublishing(50, (b) => sent.push({ at: now, tags: b.map((v) => v.tag) }), () => now);
    const step = (ms: number) => { now += ms; vi.advanceTimersByTime(ms); };
    cache.update([{ tag: 'a', t: 1, value: 1, status: 0 }]);
    cache.publishDue();
    // Sent within the same call, before any timer ran; the timer it had set sends nothing more.
    expect(sent).toEqual([{ at: 5_000, tags: ['a'] }]);
    step(0);
    expect(sent).toHaveLength(1);
    // 20 ms later the period (50 ms) is not over: publishDue leaves it to the timer, at 5,050.
    step(20);
    cache.update([{ tag: 'b', t: 2, value: 2, status: 0 }]);
    cache.publishDue();
    expect(sent).toHaveLength(1);
    step(29);
    expect(sent).toHaveLength(1);
    step(1);
    expect(sent[1]).toEqual({ at: 5_050, tags: ['b'] });
    // Nothing changed since: publishDue sends nothing.
    step(100);
    cache.publishDue();
    cache.stop();
    expect(sent).toHaveLength(2);
  });

  it('follows the config: a new tag waits for its first value, a removed one is gone', () => {
    const cache = new LiveCache(['a'], 1000);
    cache.setTags(['a', 'c'], 2000);
    expect(cache.get('c')).toEqual({ tag: 'c', t: 2000, value: null, status: BadWaitingForInitialData, lastGood: null });
    cache.setTags(['c'], 3000);
    expect(cache.get('a')).toBeUndefined();
  });
});
