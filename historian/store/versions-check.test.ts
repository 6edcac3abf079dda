import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import type { TagConfig } from '../types.js';

const bad: TagConfig = {
  name: 'LT1', kind: 'analog', description: '', unit: 'm', stepped: false, cycleMs: 0,
  compression: { kind: 'deadband', deviation: 1, percentOfSpan: true }, // no range: no span to take 1 % of
};

describe('tag definitions', () => {
  it('refuses compression settings the archive could not apply, before storing the tag', async () => {
    const h = Historian.open(mkdtempSync(join(tmpdir(), 'vigil-def-')));
    try {
      expect(() => h.defineTag(bad)).toThrow(/percentOfSpan needs a range/);
      expect(h.tagNames()).toEqual([]);
      h.defineTag({ ...bad, range: { low: 0, high: 20 } });
      expect(h.tagNames()).toEqual(['LT1']);
    } finally {
      await h.close();
    }
  });
});
