import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./heap-policy-child.ts', import.meta.url));
const run = (mode: 'policy' | 'default') =>
  JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child, mode], { encoding: 'utf8' })) as { peak: number; live: number };

describe('heap policy', () => {
  // The flag is set at run time (v8.setFlagsFromString): a Node or Electron whose V8 read it
  // only at start-up would silently give the station back its 4x heap growth.
  it('keeps the peak heap near the live heap, where V8 by default lets it grow far past it', () => {
    const withPolicy = run('policy');
    const without = run('default');
    // Growth bounded by half the live size after each full collection, with room for the young generation.
    expect(withPolicy.peak).toBeLessThan(withPolicy.live * 1.5 + 64 * 2 ** 20);
    expect(withPolicy.peak).toBeLessThan(without.peak * 0.85);
  });
});
