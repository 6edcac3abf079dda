/**
 * What the writer refuses, and the exact words it says it in (an engineer reads them in the
 * import report or the log): a value of the wrong type for each tag kind, a sample without a
 * time, a new configuration version that does not start after the current one. Nothing refused
 * is counted or stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import type { Sample } from '../types.js';
import { DAY, T0, crash, openWriter, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function openTemp(): Historian {
  const tmp = tempDir();
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY });
  cleanups.push(tmp.remove, () => h.close());
  return h;
}

describe('refusals', () => {
  it('names the type each tag kind expects, and what it got', () => {
    const h = openTemp();
    h.defineTag(tagConfig('A'), T0);
    h.defineTag(tagConfig('D', {}, 'discrete'), T0);
    h.defineTag(tagConfig('S', {}, 'text'), T0);
    const bad = (value: unknown) => [{ t: T0, value, status: Good } as Sample];
    expect(() => h.insert('A', bad('x'))).toThrow("tag 'A': sample 0: value: expected a number, got string");
    expect(() => h.insert('A', bad(true))).toThrow("tag 'A': sample 0: value: expected a number, got boolean"); // a boolean is discrete, not analog
    expect(() => h.insert('D', bad('x'))).toThrow("tag 'D': sample 0: value: expected a boolean or number, got string");
    expect(() => h.append('D', bad('x'))).toThrow("tag 'D': sample 0: value: expected a boolean or number, got string");
    expect(() => h.insert('S', bad(true))).toThrow("tag 'S': sample 0: value: expected a string, got boolean");
    expect(() => h.append('S', bad(3))).toThrow("tag 'S': sample 0: value: expected a string, got number");
    // No sample at all where one was expected: a clear error, not a TypeError from reading it.
    expect(() => h.insert('A', [null as unknown as Sample])).toThrow("tag 'A': sample 0: t: expected ms since epoch, got undefined");
    expect(() => h.append('D', [{ t: 'soon', value: true, status: Good } as unknown as Sample])).toThrow("tag 'D': sample 0: t: expected ms since epoch, got soon");
    // Booleans and numbers are both discrete values; strings any text.
    h.append('D', [{ t: T0, value: true, status: Good }, { t: T0 + 1000, value: 0, status: Good }]);
    h.append('S', [{ t: T0, value: 'open', status: Good }]);
    h.flush();
    expect(h.tagStats().map((s) => [s.name, s.samplesReceived])).toEqual([['A', 0], ['D', 2], ['S', 1]]);
  });

  it('a new configuration version must start after the current one', () => {
    const h = openTemp();
    h.defineTag(tagConfig('A', { unit: 'm' }), T0 + 60_000);
    const at = (ms: number) => new Date(ms).toISOString();
    const msg = (from: number) => `tag 'A': validFrom ${at(from)} must be after the current version's (${at(T0 + 60_000)})`;
    expect(() => h.defineTag(tagConfig('A', { unit: 'cm' }), T0 + 60_000)).toThrow(msg(T0 + 60_000)); // the same instant
    expect(() => h.defineTag(tagConfig('A', { unit: 'cm' }), T0)).toThrow(msg(T0));
    // The same configuration again changes nothing, whatever the time.
    expect(h.defineTag(tagConfig('A', { unit: 'm' }), T0).validFrom).toBe(T0 + 60_000);
    const v2 = h.defineTag(tagConfig('A', { unit: 'cm' }), T0 + 120_000);
    expect(v2.validFrom).toBe(T0 + 120_000);
    const v3 = h.defineTag(tagConfig('A', { unit: 'mm' }), T0 + 180_000);
    expect(h.versions('A').map((v) => [v.config.unit, v.validFrom, v.validTo])).toEqual([
      ['m', T0 + 60_000, T0 + 120_000], ['cm', T0 + 120_000, T0 + 180_000], ['mm', T0 + 180_000, v3.validTo],
    ]);
    expect(v3.validTo).toBeNull();
  });

  it('a write recorded from outside a flush must take the next sequence number', () => {
    // Guards: a volume import recorded under a number already used or skipped (the change feed would miss or repeat it).
    const tmp = tempDir();
    const w = openWriter(tmp.dir, { now: () => T0 + DAY });
    cleanups.push(tmp.remove, () => crash(w));
    w.defineTag(tagConfig('A'), T0);
    w.append('A', [{ t: T0, value: 1, status: Good }]);
    w.flush();
    expect(w.nextSeq()).toBe(2);
    const volume = w.volumes.all()[0]!.id;
    expect(() => w.commitExternal(3, 0, volume)).toThrow('write sequence 3: expected 2');
    expect(() => w.commitExternal(1, 0, volume)).toThrow('write sequence 1: expected 2');
    w.commitExternal(2, 0, volume);
    expect(w.nextSeq()).toBe(3);
  });
});
