import { describe, expect, it } from 'vitest';
import { TreeLoads } from './tree-loads.js';

describe('TreeLoads', () => {
  it('asks once for a folder opened again while it loads, and again once the answer came', () => {
    const loads = new TreeLoads();
    const first = loads.begin('Big');
    expect(first).not.toBeNull();
    expect(loads.begin('Big')).toBeNull();
    expect(loads.begin('Other')).not.toBeNull();
    expect(loads.end(first!)).toBe(true);
    expect(loads.begin('Big')).not.toBeNull();
  });

  it('drops an answer asked for the tree of the server shown before, and lets the new tree ask', () => {
    const loads = new TreeLoads();
    const old = loads.begin('ns=0;i=2253')!;
    loads.newTree();
    const now = loads.begin('ns=0;i=2253');
    expect(now).not.toBeNull();
    expect(loads.end(old)).toBe(false);
    // The old answer did not end the new load.
    expect(loads.begin('ns=0;i=2253')).toBeNull();
    expect(loads.end(now!)).toBe(true);
  });
});
