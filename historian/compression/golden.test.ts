/**
 * Golden vectors from gfoidl/DataCompression (MIT). x is used as t in ms, cyclic records are off.
 * Where our PI form differs on purpose (README.md, "Differences from gfoidl/DataCompression"),
 * the test asserts our output and names the difference.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import type { Compression, Sample } from '../types.js';
import { analogTag, run } from './testing.js';

const root = new URL('../../../shared/fixtures/swinging-door-gfoidl/', import.meta.url);

function read(name: string): Array<[number, number]> {
  const text = readFileSync(new URL(name, root), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l, i) => {
    const [x, y] = l.trim().split(/\s+/).map(Number);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`${name}:${i + 2}: expected 'x<TAB>y' numbers, got '${l}'`);
    return [x, y];
  });
}

function compress(name: string, compression: Compression): Array<[number, number]> {
  const raw: Sample[] = read(`${name}_raw.csv`).map(([t, value]) => ({ t, value, status: Good }));
  const r = run(analogTag(compression), raw);
  return [...r.archived, ...r.flushed].map((p) => [p.t, p.value as number]);
}

const sd = (deviation: number, maxIntervalMs?: number): Compression => ({ kind: 'swinging-door', deviation, maxIntervalMs });
const db = (deviation: number, maxIntervalMs?: number): Compression => ({ kind: 'deadband', deviation, maxIntervalMs });

describe('swinging door golden vectors', () => {
  it.each([
    ['trend', 1],
    ['trend1', 0.1],
    ['trend2', 0.1],
  ])('%s (dev %s) matches exactly (last point archived by flush)', (name, dev) => {
    expect(compress(`swinging-door/${name}`, sd(dev))).toEqual(read(`swinging-door/${name}_compressed.csv`));
  });

  it('maxDelta (dev 1, CompMax 6) matches exactly', () => {
    expect(compress('swinging-door/maxDelta', sd(1, 6))).toEqual(read('swinging-door/maxDelta_compressed.csv'));
  });

  // Difference 1 (end of stream): gfoidl tests a door from the last archived point to the final
  // point and archives (8,3) too; we hold (9,5) as the snapshot and (8,3) lies within dev (=2,
  // exactly) of the line (6,5)-(9,5), so it is not archived.
  it('trend3 (dev 2): the end of stream keeps the PI snapshot (difference 1)', () => {
    const expected = read('swinging-door/trend3_compressed.csv');
    expect(expected).toContainEqual([8, 3]);
    expect(compress('swinging-door/trend3', sd(2))).toEqual(expected.filter(([x]) => x !== 8));
  });

  it('trend3_mini (dev 2): the end of stream keeps the PI snapshot (difference 1)', () => {
    const expected = read('swinging-door/trend3_mini_compressed.csv');
    expect(compress('swinging-door/trend3_mini', sd(2))).toEqual(expected.filter(([x]) => x !== 8));
  });
});

describe('deadband golden vectors', () => {
  it('trend (dev 0.1) matches exactly: bounds y ± dev, not |Δy| > dev (difference 2)', () => {
    // |1.3 - 1.2| > 0.1 in doubles, so a plain abs() test would also archive (5,1.1) and (6,1.3).
    expect(Math.abs(1.3 - 1.2) > 0.1).toBe(true);
    expect(compress('dead-band/trend', db(0.1))).toEqual(read('dead-band/trend_compressed.csv'));
  });

  // Difference 3: when CompMax runs out gfoidl archives the incoming point (4,0.6) and keeps the
  // band around 0.5; we archive the held point (4,0.6) and re-centre the band on it, so (5,0.4)
  // leaves the band [0.5, 0.7] and is archived too.
  it('maxDelta (dev 0.1, CompMax 4): archives the held point and re-centres (difference 3)', () => {
    const expected = read('dead-band/maxDelta_compressed.csv');
    expect(expected).not.toContainEqual([5, 0.4]);
    const ours = [...expected, [5, 0.4] as [number, number]].sort((a, b) => a[0] - b[0]);
    expect(compress('dead-band/maxDelta', db(0.1, 4))).toEqual(ours);
  });
});
