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
    const cache = new LiveCache(['a', 'b']);
    const batches: LiveValue[][] = [];
    cache.startPublishing(250, (b) => batches.push(b));
    cache.update([{ tag: 'a', t: 1, value: 1, status: 0 }, { tag: 'zz', t: 1, value: 1, status: 0 }, { tag: 'a', t: 2, value: 2, status: 0 }]);
    vi.advanceTimersByTime(250);
    vi.advanceTimersByTime(250);
    cache.stop();
    expect(batches).toEqual([[{ tag: 'a', t: 2, value: 2, status: 0, lastGood: { t: 2, value: 2 } }]]);
  });

  it('follows the config: a new tag waits for its first value, a removed one is gone', () => {
    const cache = new LiveCache(['a'], 1000);
    cache.setTags(['a', 'c'], 2000);
    expect(cache.get('c')).toEqual({ tag: 'c', t: 2000, value: null, status: BadWaitingForInitialData, lastGood: null });
    cache.setTags(['c'], 3000);
    expect(cache.get('a')).toBeUndefined();
  });
});
