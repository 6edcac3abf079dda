/**
 * A tag's state saved from Compressor.saveState() (encodeCompressorState, no snapshot object) is
 * the state the snapshot route saves: for every compressor (analog none, deadband, swinging door
 * with and without ExcDev, stepped; lossless; discrete; text), after every sample of random
 * streams with restarts and late samples, both routes give the same bytes or both NULL (at rest);
 * the snapshot route (compressor.snapshot() -> encodeState) is kept as the reference. A fixed
 * state's bytes, as the code wrote them before saveState() existed, pin the layout too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCompressor, restoreCompressor, type Compressor } from '../compression/index.js';
import { analogTag } from '../compression/testing.js';
import type { ArchivedSample, Compression, Sample, TagConfig } from '../types.js';
import { Flag } from '../types.js';
import { decodeState, encodeCompressorState, encodeState } from './tag-state.js';

const T0 = 1_700_000_000_000;
const BAD = 0x808c0000;
const UNCERTAIN = 0x40930000;

/** The reference: the state object the writer built before saveState(), through encodeState. */
function viaSnapshot(c: Compressor, family: 'analog' | 'discrete', pushed: number | null, archived: number | null, last: ArchivedSample | null) {
  return encodeState({ compressor: c.snapshot(), lastPushedT: pushed, lastArchivedT: archived }, family, last);
}

function expectSame(c: Compressor, family: 'analog' | 'discrete', pushed: number | null, archived: number | null, last: ArchivedSample | null): void {
  const want = viaSnapshot(c, family, pushed, archived, last);
  const got = encodeCompressorState(c, family, pushed, archived, last);
  if (want === null) expect(got).toBeNull();
  else {
    expect(got).not.toBeNull();
    expect(Buffer.from(got!).toString('hex')).toBe(Buffer.from(want).toString('hex'));
  }
}

const analogConfigs: TagConfig[] = [
  analogTag({ kind: 'none' }, { cycleMs: 1000 }),
  analogTag({ kind: 'deadband', deviation: 0.5 }, { cycleMs: 1000 }),
  analogTag({ kind: 'deadband', deviation: 0.5 }, { stepped: true }),
  analogTag({ kind: 'swinging-door', deviation: 0.5 }, { cycleMs: 1000 }),
  analogTag({ kind: 'swinging-door', deviation: 0.5, exceptionDeviation: 0.2, maxIntervalMs: 20_000 } as Compression),
  analogTag({ kind: 'swinging-door', deviation: 0.5 }, { stepped: true, cycleMs: 1000 }),
];

/** A step of a random stream: a sample (value index into VALUES, status), a late sample, a restart or a flush. */
type Step = { op: 'push'; dt: number; v: number; status: number } | { op: 'late'; back: number; v: number } | { op: 'restart' } | { op: 'flush' };
const VALUES = [0, 0.1, 0.3, 1, 1.2, 5, -0, NaN, Infinity, -Infinity, 2.5, 2.75];
const step = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant('push' as const), dt: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 9000 })), v: fc.integer({ min: 0, max: VALUES.length - 1 }), status: fc.constantFrom(0, 0, 0, UNCERTAIN, BAD) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('late' as const), back: fc.integer({ min: 0, max: 3000 }), v: fc.integer({ min: 0, max: VALUES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const) }) },
  // A deadband's flush archives a hold record (Cyclic) at the newest sample's time: at rest too (tag-state.ts isResting).
  { weight: 1, arbitrary: fc.record({ op: fc.constant('flush' as const) }) },
);

/**
 * Runs the steps through `c`, comparing the two routes after each: with the tag's times as the
 * writer keeps them and the archive's last point, and also with that point's other candidates
 * (none; the newest sample, also as a Cyclic record) so that resting and not resting both occur.
 */
function walk(c0: Compressor, config: TagConfig, family: 'analog' | 'discrete', steps: Step[], valueOf: (i: number) => Sample['value']): void {
  let c = c0;
  let t = T0, pushed: number | null = null, archived: number | null = null;
  let last: ArchivedSample | null = null;
  const note = (out: readonly ArchivedSample[]) => {
    for (const p of out) {
      if (archived === null || p.t >= archived) { last = { ...p }; archived = p.t; }
    }
  };
  const check = () => {
    expectSame(c, family, pushed, archived, last);
    expectSame(c, family, pushed, pushed, null);
    expectSame(c, family, null, null, null);
    const latest = c.snapshot().latest;
    if (latest !== null && pushed !== null) {
      const p = { ...restored(latest.value), t: latest.t, status: latest.status, flags: latest.flags };
      expectSame(c, family, pushed, pushed, p);
      expectSame(c, family, pushed, pushed, { ...p, flags: p.flags | Flag.Cyclic });
      expectSame(c, family, pushed, pushed, { ...p, value: typeof p.value === 'number' ? -p.value : p.value });
    }
  };
  for (const s of steps) {
    if (s.op === 'push') {
      t += s.dt;
      const value = valueOf(s.v);
      const status = typeof value === 'number' && !Number.isFinite(value) ? BAD : s.status;
      pushed = t;
      note(c.push({ t, value, status }));
    } else if (s.op === 'late') {
      if (pushed === null) continue;
      const lt = Math.max(T0, pushed - s.back);
      const out = c.pushLate({ t: lt, value: valueOf(s.v), status: 0 });
      note(out);
      note([{ t: lt, value: valueOf(s.v), status: 0, flags: 0 }]);
    } else note(s.op === 'restart' ? c.restart() : c.flush());
    check();
    // Through a restore too (the writer's restored compressors: lossless from an analog state, say).
    c = restoreCompressor(config, JSON.parse(JSON.stringify(c.snapshot())));
    check();
  }
}

/** A state point's value as a number again ('NaN', '-0', ... are JSON's strings for them). */
const restored = (v: unknown): { value: Sample['value'] } => ({ value: typeof v === 'string' && ['NaN', 'Infinity', '-Infinity', '-0'].includes(v) ? Number(v) : v as Sample['value'] });

describe('saveState() saves what snapshot() saved', () => {
  for (const config of analogConfigs) {
    it(`analog ${config.compression.kind}${config.stepped ? ' stepped' : ''}${'exceptionDeviation' in config.compression ? ' ExcDev' : ''}: the same bytes after every step`, () => {
      fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        walk(createCompressor(config), config, 'analog', steps, (i) => VALUES[i]!);
      }), { numRuns: 150 });
    });
  }

  it('discrete and text tags: the same bytes after every step', () => {
    const discrete: TagConfig = { name: 'D1', kind: 'discrete', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 };
    const text: TagConfig = { ...discrete, name: 'X1', kind: 'text' };
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      walk(createCompressor(discrete), discrete, 'discrete', steps, (i) => (i % 3 === 0 ? i % 2 === 0 : i % 3 === 1 ? i : NaN));
      walk(createCompressor(text), text, 'discrete', steps, (i) => ['a', 'NaN', '-0', 'ünï', ''][i % 5]!);
    }), { numRuns: 150 });
  });

  it("a deadband's closing hold record: at rest by both routes, as the archive's last point", () => {
    const c = createCompressor(analogConfigs[1]!);
    let t = T0;
    for (const value of [1, 1.1, 1.2, 1.3]) c.push({ t: (t += 1000), value, status: 0 });
    const [hold] = c.flush();
    expect(hold).toEqual({ t, value: 1, status: 0, flags: Flag.Cyclic });
    expect(viaSnapshot(c, 'analog', t, t, hold!)).toBeNull();
    expect(encodeCompressorState(c, 'analog', t, t, hold!)).toBeNull();
    // The sample itself as the archive's last point (the close stored the raw samples): not at rest.
    expectSame(c, 'analog', t, t, { t, value: 1.3, status: 0, flags: 0 });
  });

  it('a tag of the other family is never at rest, by either route', () => {
    const c = createCompressor(analogConfigs[0]!);
    c.push({ t: T0, value: 1, status: 0 });
    const last = { t: T0, value: 1, status: 0, flags: 0 };
    expect(encodeCompressorState(c, 'analog', T0, T0, last)).toBeNull();
    expectSame(c, 'discrete', T0, T0, last);
    expect(encodeCompressorState(c, 'discrete', T0, T0, last)).not.toBeNull();
  });

  it('a swinging door mid-segment: the bytes the snapshot route wrote before saveState() existed', () => {
    const config = analogConfigs[4]!;
    const d = createCompressor(config);
    let t = T0;
    for (const value of [1, 1.3, 1.7, -0, 0.25]) d.push({ t: (t += 1000), value, status: 0 });
    const bytes = encodeCompressorState(d, 'analog', t, T0 + 1000, { t: T0 + 1000, value: 1, status: 0, flags: 0 });
    // Written by encodeState(snapshot) at the change before this file (no saveState): hex of the catalog's tag.state.
    expect(Buffer.from(bytes!).toString('hex')).toBe(FIXED_DOOR_STATE);
    expect(decodeState(bytes!).compressor?.latest).toEqual({ t: T0 + 5000, value: 0.25, status: 0, flags: 0 });
  });
});

const FIXED_DOOR_STATE = '016d0f010000000000000000fca9f1d24d6230bffa7e6abc7493483f00007a57febc784203020000002d3000000000000080b857febc784200000000000000d03f00000000000080b857febc784200000000000000d03f00000000000080b857febc784200000000000000d03f00000000000080b857febc78420080be56febc7842';
