import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveCache } from './live-cache.js';
import type { LiveValue } from '../../shared/api.js';

/** OPC UA Part 4 StatusCodes (Opc.Ua.StatusCodes.csv): literals, not the module's constants. */
const BadWaitingForInitialData = 0x80320000;
const BadNoCommunication = 0x80310000;
const BadSensorFailure = 0x808c0000;
const UncertainSensorNotAccurate = 0x40930000;
const UncertainLastUsableValue = 0x40900000;

afterEach(() => vi.useRealTimers());

describe('live cache', () => {
  it('starts every tag as waiting for initial data, never blank', () => {
    const cache = new LiveCache(['a', 'b'], 1000);
    expect(cache.snapshot()).toEqual([
      { tag: 'a', t: 1000, value: null, status: BadWaitingForInitialData, lastGood: null },
      { tag: 'b', t: 1000, value: null, status: BadWaitingForInitialData, lastGood: null },
    ]);
  });

  it('says when a value went bad with its server (a loss marker after a Good value), not before, until the next value', () => {
    const cache = new LiveCache(['good', 'failed', 'waiting']);
    cache.update([{ tag: 'good', t: 1, value: 5, status: 0 }, { tag: 'failed', t: 1, value: -9999, status: BadSensorFailure }]);
    const markers = ['good', 'failed', 'waiting'].map((tag) => ({ tag, t: 2, value: null, status: BadNoCommunication, marker: true as const }));
    cache.update(markers);
    expect(cache.get('good')?.goodAtLoss).toBe(true);
    expect(cache.get('failed')?.goodAtLoss).toBeUndefined();
    expect(cache.get('waiting')?.goodAtLoss).toBeUndefined();
    // A second marker (the station stopped during the loss) keeps what the first found.
    cache.update([{ ...markers[0]!, t: 3 }]);
    expect(cache.get('good')?.goodAtLoss).toBe(true);
    // The source's own BadNoCommunication is no loss of the station's; any value after clears it.
    cache.update([{ tag: 'good', t: 4, value: 6, status: 0 }]);
    expect(cache.get('good')?.goodAtLoss).toBeUndefined();
    cache.update([{ tag: 'good', t: 5, value: null, status: BadNoCommunication }]);
    expect(cache.get('good')?.goodAtLoss).toBeUndefined();
  });

  it('keeps the last good value and its time beside a bad status', () => {
    const cache = new LiveCache(['a']);
    cache.update([{ tag: 'a', t: 1, value: 12.5, status: 0 }]);
    cache.update([{ tag: 'a', t: 2, value: null, status: BadNoCommunication }]);
    expect(cache.get('a')).toEqual({ tag: 'a', t: 2, value: null, status: BadNoCommunication, lastGood: { t: 1, value: 12.5 } });
    // A failed sensor's junk value is kept as received; the last good one stays beside it.
    cache.update([{ tag: 'a', t: 3, value: -9999, status: 0x808c0000 }]);
    expect(cache.get('a')).toEqual({ tag: 'a', t: 3, value: -9999, status: 0x808c0000, lastGood: { t: 1, value: 12.5 } });
    // A good value is its own last good one (none beside it), and the next bad one keeps it.
    cache.update([{ tag: 'a', t: 4, value: 12.6, status: 0 }]);
    expect(cache.get('a')?.lastGood).toBeUndefined();
    cache.update([{ tag: 'a', t: 5, value: null, status: BadNoCommunication }]);
    expect(cache.get('a')?.lastGood).toEqual({ t: 4, value: 12.6 });
    // A good status without a value is not usable either.
    cache.update([{ tag: 'a', t: 6, value: null, status: 0 }]);
    expect(cache.get('a')?.lastGood).toEqual({ t: 4, value: 12.6 });
    // Last received wins, even with an older source time (a value unchanged since before the loss).
    cache.update([{ tag: 'a', t: 0, value: 12.5, status: 0 }]);
    expect(cache.get('a')?.status).toBe(0);
  });

  it('never takes an uncertain value for the last good one', () => {
    const cache = new LiveCache(['a', 'b']);
    // Good, then a value the sensor says is inaccurate, then a failure: the last good value is the Good one.
    cache.update([{ tag: 'a', t: 1, value: 14, status: 0 }]);
    cache.update([{ tag: 'a', t: 2, value: 15, status: UncertainSensorNotAccurate }]);
    expect(cache.get('a')?.lastGood).toEqual({ t: 1, value: 14 });
    cache.update([{ tag: 'a', t: 3, value: null, status: BadSensorFailure }]);
    expect(cache.get('a')?.lastGood).toEqual({ t: 1, value: 14 });
    // A tag that only ever sends its last usable value, then the link is lost: it never had a good value.
    cache.update([{ tag: 'b', t: 1, value: 15, status: UncertainLastUsableValue }]);
    cache.update([{ tag: 'b', t: 2, value: null, status: BadNoCommunication }]);
    expect(cache.get('b')?.lastGood).toBeNull();
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
    expect(batches).toEqual([[{ tag: 'a', t: 2, value: 2, status: 0 }]]);
    // On the wire a usable value carries no lastGood (it is its own).
    expect(JSON.parse(JSON.stringify(batches[0]![0]))).toStrictEqual({ tag: 'a', t: 2, value: 2, status: 0 });
  });

  it('sends the first change after a quiet period at once, a few batches back to back, then one per period', () => {
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
    // The rest of a server's burst (more publish responses, 1 ms apart): three more go at once...
    for (const t of [2, 3, 4]) {
      step(1);
      cache.update([{ tag: 'a', t, value: t, status: 0 }]);
      cache.publishDue();
    }
    expect(sent.map((b) => b.at)).toEqual([10_000, 10_001, 10_002, 10_003]);
    // ...then the bucket is empty (4 batches, 3 ms: 0.03 of a token earned back): the next waits
    // for a whole token, at 10,100, and not longer.
    step(1);
    cache.update([{ tag: 'b', t: 5, value: 5, status: 0 }]);
    cache.publishDue();
    step(95);
    expect(sent).toHaveLength(4);
    step(1);
    expect(sent[4]).toEqual({ at: 10_100, tags: ['b'] });
    // A change every 10 ms for 2 s: one batch per period (20), none earlier than its token.
    const before = sent.length;
    for (let i = 0; i < 200; i++) {
      step(10);
      cache.update([{ tag: 'a', t: 10 + i, value: i, status: 0 }]);
      cache.publishDue();
    }
    const paced = sent.slice(before);
    expect(paced).toHaveLength(20);
    for (let i = 1; i < paced.length; i++) expect(paced[i]!.at - paced[i - 1]!.at).toBe(100);
    // Quiet for 500 ms: the bucket refills, and the next change goes out at once again.
    step(500);
    const quiet = sent.length;
    cache.update([{ tag: 'b', t: 300, value: 3, status: 0 }]);
    step(0);
    expect(sent[quiet]).toEqual({ at: now, tags: ['b'] });
    // Nothing changed: nothing is sent.
    step(1000);
    cache.stop();
    expect(sent).toHaveLength(quiet + 1);
  });

  it('publishDue sends within the call when a batch may go, and leaves a change to the timer when none may', () => {
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
    // Three more at the same instant use up the bucket (4 batches)...
    for (let i = 0; i < 3; i++) {
      cache.update([{ tag: 'b', t: 2 + i, value: i, status: 0 }]);
      cache.publishDue();
    }
    expect(sent).toHaveLength(4);
    // ...so 20 ms later a change waits for the timer: a token takes 50 ms, at 5,050.
    step(20);
    cache.update([{ tag: 'a', t: 9, value: 9, status: 0 }]);
    cache.publishDue();
    expect(sent).toHaveLength(4);
    step(29);
    expect(sent).toHaveLength(4);
    step(1);
    expect(sent[4]).toEqual({ at: 5_050, tags: ['a'] });
    // Nothing changed since: publishDue sends nothing.
    step(100);
    cache.publishDue();
    cache.stop();
    expect(sent).toHaveLength(5);
  });

  it('a period of 0 sends every change at once, however many', () => {
    vi.useFakeTimers();
    const cache = new LiveCache(['a']);
    const sent: number[] = [];
    cache.startPublishing(0, (b) => sent.push(b[0]!.value as number), () => 7);
    for (let i = 1; i <= 10; i++) {
      cache.update([{ tag: 'a', t: i, value: i, status: 0 }]);
      cache.publishDue();
    }
    cache.stop();
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('follows the config: a new tag waits for its first value, a removed one is gone', () => {
    const cache = new LiveCache(['a'], 1000);
    cache.setTags(['a', 'c'], 2000);
    expect(cache.get('c')).toEqual({ tag: 'c', t: 2000, value: null, status: BadWaitingForInitialData, lastGood: null });
    cache.setTags(['c'], 3000);
    expect(cache.get('a')).toBeUndefined();
  });
});
