/**
 * Golden vectors from gfoidl/DataCompression (MIT; fixtures/gfoidl/ holds them with their licence
 * and source). x is used as t in ms, cyclic records are off.
 * Where our PI form differs on purpose (README.md, "Differences from gfoidl/DataCompression"),
 * the test asserts our output and names the difference.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Good } from '../status.js';
import { Flag, type Compression, type Sample } from '../types.js';
import { analogTag, run } from './testing.js';

const root = new URL('./fixtures/gfoidl/', import.meta.url);

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

/**
 * Difference 4 (deadband on a linear tag): where the band suppressed two or more samples, we archive
 * a hold record (the held sample's time, the last archived value, flagged Cyclic) instead of the held
 * sample, so the line through the archive stays within dev of every raw sample (gfoidl's: 2·dev).
 * Same decisions, same times; a value differs only where it is a hold record, and then it is the
 * previous archived value.
 */
function expectSameDecisions(name: string, compression: Compression, expected: Array<[number, number]>): void {
  const raw: Sample[] = read(`${name}_raw.csv`).map(([t, value]) => ({ t, value, status: Good }));
  const r = run(analogTag(compression), raw);
  const ours = [...r.archived, ...r.flushed];
  expect(ours.map((p) => p.t)).toEqual(expected.map(([t]) => t));
  let holds = 0;
  ours.forEach((p, i) => {
    if (p.flags & Flag.Cyclic) {
      holds++;
      expect(p.value).toBe(ours[i - 1].value);
    } else expect(p.value).toBe(expected[i][1]);
  });
  expect(holds).toBeGreaterThan(0);
}

describe('deadband golden vectors', () => {
  it('trend (dev 0.1): same decisions, bounds y ± dev, not |Δy| > dev (differences 2 and 4)', () => {
    // |1.3 - 1.2| > 0.1 in doubles, so a plain abs() test would also archive (5,1.1) and (6,1.3).
    expect(Math.abs(1.3 - 1.2) > 0.1).toBe(true);
    expectSameDecisions('dead-band/trend', db(0.1), read('dead-band/trend_compressed.csv'));
  });

  // Difference 3 (CompMax): gfoidl archives the incoming point (4,0.6) and keeps the band around
  // 0.5; we archive the held point, and re-centre the band on what we archived. Here the held point
  // ends two suppressed samples, so it is a hold record (4,0.5): the band stays around 0.5 and the
  // decisions come out the same as gfoidl's.
  it('maxDelta (dev 0.1, CompMax 4): same decisions, the CompMax point is a hold record (differences 3 and 4)', () => {
    expectSameDecisions('dead-band/maxDelta', db(0.1, 4), read('dead-band/maxDelta_compressed.csv'));
  });
});
