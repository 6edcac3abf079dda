/**
 * pushLate (a sample at or before the newest one's time, which the store archives as given) on
 * every compressor configuration, through a store simulated here (one point per time, the last
 * one written wins): for each time the store ends up with the last sample received there, or,
 * where none came late, what the compressor decided; no point the compressor writes carries a
 * value or status a late sample replaced; and a late sample at a time the compressor holds nothing
 * changes nothing it writes later. The writer-level counterpart, on real archives, is
 * store/late-same-time.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSensorFailure, Good, UncertainLastUsableValue } from '../status.js';
import { Flag, type ArchivedSample, type Compression, type Sample } from '../types.js';
import { createCompressor } from './compressor.js';
import { analogTag } from './testing.js';
import type { Compressor } from './types.js';
import { propertyRuns } from '../testing/property-runs.js';

const COMPRESSIONS: Compression[] = [
  { kind: 'none' },
  { kind: 'deadband', deviation: 0.5 },
  { kind: 'deadband', deviation: 0.5, maxIntervalMs: 5000 },
  { kind: 'swinging-door', deviation: 0.5 },
  { kind: 'swinging-door', deviation: 0.5, exceptionDeviation: 0.2, minIntervalMs: 1500, maxIntervalMs: 8000 },
];

/** What the store does: in-order samples through push, the others archived as given after pushLate's points. */
class Store {
  readonly points = new Map<number, ArchivedSample>();
  /** Per time, how many samples had been sent when its point was written. */
  readonly writtenAt = new Map<number, number>();
  /** Every point written, in order (a point replaced later is still in it). */
  readonly history: ArchivedSample[] = [];
  private sent = 0;
  private lastPushedT = -Infinity;
  constructor(readonly c: Compressor) {}

  send(s: Sample): void {
    this.sent++;
    if (s.t > this.lastPushedT) {
      this.lastPushedT = s.t;
      for (const p of this.c.push(s)) this.put(p);
      return;
    }
    for (const p of this.c.pushLate(s)) this.put(p);
    this.put({ ...s, flags: 0 });
  }

  put(p: ArchivedSample): void {
    this.points.set(p.t, { ...p });
    this.writtenAt.set(p.t, this.sent);
    this.history.push({ ...p });
  }

  sorted(): ArchivedSample[] { return [...this.points.values()].sort((a, b) => a.t - b.t); }
}

/** Sends: in-order samples a cycle or more apart, and late ones at the newest time, at an earlier sample's, or in between. */
const sends = fc.record({
  compression: fc.constantFrom(...COMPRESSIONS),
  stepped: fc.boolean(),
  steps: fc.array(fc.record({
    late: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('newest', 'earlier', 'between') }),
    pick: fc.nat(),
    gap: fc.constantFrom(1000, 1000, 1000, 3500),
    value: fc.integer({ min: -30, max: 30 }).map((v) => v / 10),
    status: fc.constantFrom(Good, Good, Good, UncertainLastUsableValue, BadSensorFailure),
  }), { minLength: 1, maxLength: 50 }),
}).map(({ compression, stepped, steps }) => {
  const sent: Sample[] = [];
  const times: number[] = [];
  let t = 1_700_000_000_000;
  for (const s of steps) {
    const value = s.status === BadSensorFailure ? NaN : 5 + s.value;
    if (s.late !== null && times.length > 0) {
      const k = s.late === 'newest' ? times.length - 1 : s.pick % times.length;
      const at = s.late === 'between' && k > 0 ? times[k]! - 1 : times[k]!;
      sent.push({ t: at, value, status: s.status });
      continue;
    }
    t += s.gap;
    times.push(t);
    sent.push({ t, value, status: s.status });
  }
  return { compression, stepped, sent };
});

/** The last sample received at each time; and the times whose last sample came late. */
function received(sent: Sample[]): { last: Map<number, Sample>; lateLast: Set<number> } {
  const last = new Map<number, Sample>();
  const lateLast = new Set<number>();
  let newest = -Infinity;
  for (const s of sent) {
    last.set(s.t, s);
    if (s.t <= newest) lateLast.add(s.t);
    else lateLast.delete(s.t);
    newest = Math.max(newest, s.t);
  }
  return { last, lateLast };
}

const same = (a: Sample, b: Sample) => Object.is(a.value, b.value) && a.status >>> 0 === b.status >>> 0;

describe('Compressor.pushLate', () => {
  it('for one time the last sample received wins; nothing written later carries what it replaced', () => {
    fc.assert(fc.property(sends, ({ compression, stepped, sent }) => {
      const store = new Store(createCompressor(analogTag(compression, { stepped, cycleMs: 1000 })));
      for (const s of sent) store.send(s);
      for (const p of store.c.flush()) store.put(p);
      const { last, lateLast } = received(sent);
      const points = store.sorted();
      points.forEach((p) => {
        const s = last.get(p.t);
        if (!(p.flags & Flag.Cyclic)) {
          expect(s && same(p, s), `point at ${p.t}: the last sample received there`).toBe(true);
          return;
        }
        expect(lateLast.has(p.t), `a cyclic record at ${p.t}, where a late sample came`).toBe(false);
        // Made from what had been received when it was written (a record written before a late
        // sample came stays as it was made: the store does not rewrite it). A gap's cyclic record:
        // the newest sample before it, as last received; or a deadband's hold record: the value of
        // a point written before it at an earlier time, with the status of the sample it stands for
        // (received at its time, or the gap's record it replaced).
        const then = received(sent.slice(0, store.writtenAt.get(p.t))).last;
        const before = [...then.keys()].filter((t) => t < p.t).sort((a, b) => a - b).pop();
        const gap = before !== undefined && same(p, then.get(before)!);
        const standsFor = then.get(p.t) ?? (before !== undefined ? then.get(before) : undefined);
        const written = store.history.slice(0, store.history.findIndex((q) => q.t === p.t && q.flags & Flag.Cyclic));
        const hold = standsFor !== undefined && standsFor.status >>> 0 === p.status && written.some((q) => q.t < p.t && Object.is(q.value, p.value));
        expect(gap || hold, `cyclic record at ${p.t}`).toBe(true);
      });
      // What came late is archived as it came (the last one at its time).
      for (const t of lateLast) expect(same(store.points.get(t)!, last.get(t)!)).toBe(true);
    }), { numRuns: propertyRuns(500) });
  });

  it('a late sample at a time the compressor holds nothing is archived as given and changes nothing after it', () => {
    fc.assert(fc.property(sends, fc.nat(), ({ compression, stepped, sent }, pick) => {
      const inOrder = sent.filter((s, i) => sent.slice(0, i).every((r) => r.t < s.t));
      if (inOrder.length < 3) return;
      const cfg = analogTag(compression, { stepped, cycleMs: 1000 });
      const at = 1 + (pick % (inOrder.length - 2));
      const late = { t: inOrder[at]!.t - 1, value: 42, status: Good }; // a ms before an in-order sample: no point there
      const plain = new Store(createCompressor(cfg));
      const withLate = new Store(createCompressor(cfg));
      inOrder.forEach((s, i) => {
        plain.send(s);
        withLate.send(s);
        if (i === at + 1) withLate.send(late);
      });
      for (const p of plain.c.flush()) plain.put(p);
      for (const p of withLate.c.flush()) withLate.put(p);
      plain.put({ ...late, flags: 0 });
      expect(withLate.sorted()).toEqual(plain.sorted());
    }), { numRuns: propertyRuns(300) });
  });

  it('a compressor that has seen nothing, or one after restart(), only notes a late sample at its newest time', () => {
    const cfg = analogTag({ kind: 'deadband', deviation: 1 }, { cycleMs: 1000 });
    const fresh = createCompressor(cfg);
    expect(fresh.pushLate({ t: 5000, value: 1, status: Good })).toEqual([]);
    expect(fresh.push({ t: 6000, value: 2, status: Good })).toEqual([{ t: 6000, value: 2, status: Good, flags: 0 }]);

    const c = createCompressor(cfg);
    c.push({ t: 1000, value: 1, status: Good });
    c.push({ t: 2000, value: 1.5, status: Good }); // held
    expect(c.restart()).toEqual([{ t: 2000, value: 1.5, status: Good, flags: 0 }]);
    expect(c.pushLate({ t: 2000, value: 7, status: UncertainLastUsableValue })).toEqual([]); // the store replaces what restart archived
    expect(c.restart()).toEqual([]); // not archived again
    // The gap's cyclic record carries the replacement; the next sample starts afresh.
    expect(c.push({ t: 6000, value: 3, status: Good })).toEqual([
      { t: 5000, value: 7, status: UncertainLastUsableValue, flags: Flag.Cyclic }, { t: 6000, value: 3, status: Good, flags: 0 }]);
  });

  it('no cyclic record repeats a Bad value: its stretch holds to the next point, and a loss marker\'s copy would stand in a gap a backfill filled', () => {
    for (const compression of COMPRESSIONS) {
      const c = createCompressor(analogTag(compression, { cycleMs: 1000 }));
      const out = [c.push({ t: 0, value: 1, status: Good }), c.push({ t: 1000, value: 0, status: 0x80310000 }), c.push({ t: 60_000, value: 2, status: Good }), c.flush()].flat();
      expect(out.filter((p) => p.flags & Flag.Cyclic), compression.kind).toEqual([]);
      expect(out.filter((p) => p.t === 1000).map((p) => p.status >>> 16), compression.kind).toEqual([0x8031]);
    }
  });
});

describe('push(s, false): no cyclic record (an import)', () => {
  it('a gap of more than two cycles archives no cyclic record, for every compression', () => {
    for (const compression of COMPRESSIONS) {
      const c = createCompressor(analogTag(compression, { cycleMs: 1000 }));
      const out = [c.push({ t: 0, value: 1, status: Good }, false), c.push({ t: 3_600_000, value: 9, status: Good }, false), c.flush()].flat();
      expect(out.filter((p) => p.flags & Flag.Cyclic), compression.kind).toEqual([]);
      expect(out.map((p) => p.t), compression.kind).toEqual([0, 3_600_000]);
    }
  });
});
