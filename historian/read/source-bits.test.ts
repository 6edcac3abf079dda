/**
 * What a source said beside a value's code comes back from the archive: Overflow (the server's
 * queue dropped values before this one), SemanticsChanged (an enumeration's names changed) and
 * StructureChanged. Both read paths; a real archive in a temp dir. Codes from Part 4 §7.39.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { tagConfig, tempDir } from '../store/testing.js';

let tmp: { dir: string; remove: () => void } | undefined;
afterEach(() => {
  tmp?.remove();
  tmp = undefined;
});

describe('a raw read of statuses with source bits', () => {
  it('keeps Overflow, SemanticsChanged and StructureChanged, in readRaw and readRawColumns', async () => {
    tmp = tempDir('vigil-source-bits-');
    const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
    try {
      h.defineTags([tagConfig('A')], 0);
      h.append('A', [
        { t: 1000, value: 1, status: 0x00004000 }, // Good, SemanticsChanged
        { t: 2000, value: 2, status: 0x00000480 }, // Good, InfoType DataValue, Overflow
        { t: 3000, value: 3, status: 0x40908000 }, // UncertainLastUsableValue, StructureChanged
        { t: 4000, value: 4, status: 0 },
      ]);
      h.flush();
      // Raw reads add InfoType DataValue (0x400) and the Raw historian bits (0).
      const expected = [0x00004400, 0x00000480, 0x40908400, 0x00000400];
      expect(h.readRaw({ tags: ['A'], start: 0, end: 10_000 }).rows.map((r) => r.status)).toEqual(expected);
      expect([...h.readRawColumns({ tags: ['A'], start: 0, end: 10_000 }).series[0]!.status]).toEqual(expected);
    } finally {
      await h.close();
    }
  });
});
