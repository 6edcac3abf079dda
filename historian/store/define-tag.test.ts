/**
 * Defining tags and new versions of them (writer.ts defineTag, defineTags): a new version's
 * compressor starts afresh after the old one hands over what it held; defineTags is all or none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { DAY, T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function openTemp(): { h: Historian; dir: string } {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY });
  cleanups.push(tmp.remove, () => h.close());
  return { h, dir: tmp.dir };
}

describe('defineTag', () => {
  it('a new version archives the point the old compressor held', () => {
    // Guards: the old compressor's held point dropped when the configuration changes.
    const { h } = openTemp();
    h.defineTag(tagConfig('R', { compression: { kind: 'swinging-door', deviation: 0.5 } }), T0);
    // A ramp: the door archives its first point and holds the newest (9 s, 0.9).
    h.append('R', Array.from({ length: 10 }, (_, k) => ({ t: T0 + k * 1000, value: k / 10, status: Good })));
    h.flush();
    expect(h.readRaw({ tags: 'R', start: T0, end: T0 + DAY }).rows.map((r) => [(r.t - T0) / 1000, r.value])).toEqual([[0, 0]]);
    h.defineTag(tagConfig('R', { compression: { kind: 'swinging-door', deviation: 0.25 } }), T0 + 60_000);
    h.flush();
    expect(h.readRaw({ tags: 'R', start: T0, end: T0 + DAY }).rows.map((r) => [(r.t - T0) / 1000, r.value])).toEqual([[0, 0], [9, 0.9]]);
  });
});

describe('defineTags', () => {
  it('a failed batch leaves the point an unchanged tag\'s compressor holds where it was', () => {
    // Guards (writer.ts defineTags' rollback): a tag the batch did not change reconfigured anyway, its held point archived early.
    const { h } = openTemp();
    const door = { compression: { kind: 'swinging-door', deviation: 0.5 } } as const;
    h.defineTag(tagConfig('R', door), T0);
    h.defineTag(tagConfig('K'), T0);
    const ramp = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => ({ t: T0 + (from + k) * 1000, value: (from + k) / 10, status: Good }));
    h.append('R', ramp(0, 10)); // the door archives 0 s and holds 9 s
    expect(() => h.defineTags([tagConfig('R', door), tagConfig('K', {}, 'discrete')], T0 + 60_000)).toThrow(/kind: cannot change/);
    h.append('R', ramp(10, 20)); // the same line: still nothing to archive but its first point
    h.flush();
    expect(h.readRaw({ tags: 'R', start: T0, end: T0 + DAY }).rows.map((r) => [(r.t - T0) / 1000, r.value])).toEqual([[0, 0]]);
  });

  it('a batch with a refused configuration defines none of its new tags', () => {
    // Guards: a new tag of a failed batch left defined in the writer (its catalog row rolled back).
    const { h } = openTemp();
    h.defineTag(tagConfig('K'), T0);
    expect(() => h.defineTags([tagConfig('N1'), tagConfig('N2'), tagConfig('K', {}, 'discrete')], T0))
      .toThrow("tag 'K': kind: cannot change from analog to discrete; define a new tag");
    expect(h.tagNames()).toEqual(['K']);
    expect(() => h.append('N1', [{ t: T0, value: 1, status: Good }])).toThrow("tag 'N1': not defined");
    // Defined again, for good this time.
    expect(h.defineTags([tagConfig('N1'), tagConfig('N2')], T0).map((v) => v.config.name)).toEqual(['N1', 'N2']);
    expect(h.tagNames()).toEqual(['K', 'N1', 'N2']);
  });

  it('a batch with a refused configuration leaves the versions of the tags it would have changed as they were', async () => {
    // Bugs found reviewing the survivors: the new version stayed in the writer though its catalog row was rolled back; and the
    // catalog kept the rolled-back configuration row's id, so defining that configuration again left a catalog that would not open.
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const open = () => Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY });
    const h = open();
    h.defineTag(tagConfig('A', { unit: 'm' }), T0);
    h.defineTag(tagConfig('K'), T0);
    const versions = (x: Historian) => x.versions('A').map((v) => [v.config.unit, v.validFrom, v.validTo]);
    expect(() => h.defineTags([tagConfig('A', { unit: 'cm' }), tagConfig('K', {}, 'discrete')], T0 + 1000)).toThrow(/kind: cannot change/);
    expect(versions(h)).toEqual([['m', T0, null]]);
    // The same version again is a change (not "the same configuration"), and is kept: the reopen finds its configuration.
    expect(h.defineTag(tagConfig('A', { unit: 'cm' }), T0 + 2000).validFrom).toBe(T0 + 2000);
    await h.close();
    const again = open();
    cleanups.push(() => again.close());
    expect(versions(again)).toEqual([['m', T0, T0 + 2000], ['cm', T0 + 2000, null]]);
  });
});
