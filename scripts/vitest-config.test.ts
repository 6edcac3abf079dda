/**
 * Unit test files share a worker's modules (vitest.config.ts): a file that replaces a module with
 * vi.mock would get the real one wherever an earlier file loaded it, and test nothing it means to.
 * Every such file must be in the project that runs each file in its own process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { OWN_MODULES } from '../vitest.config.js';

const root = resolve(import.meta.dirname, '..');

it('every test file that replaces a module runs in a process of its own', () => {
  const files = ['app', 'historian', 'simulator', 'bench', 'scripts'].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
      .map((f) => `${dir}/${f}`));
  expect(files.length).toBeGreaterThan(500);
  const mocking = files.filter((f) => /\bvi\.(?:mock|doMock)\(/.test(readFileSync(join(root, f), 'utf8'))).sort();
  expect(mocking).toEqual([...OWN_MODULES].sort());
});
