/**
 * The CLI bundles the tests spawn (cli-bundles.ts) behave as the source files run under tsx: each
 * runs as its program, and a module finds the files beside its source (not beside the bundle).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cliCommand, type CliName } from './cli-bundles.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-bundles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(name: CliName, ...args: string[]) {
  const [node, bundle] = cliCommand(name);
  const r = spawnSync(node, [bundle, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

it.each([
  ['historian', 'usage: npm run historian -- <command> [options]\n'],
  ['accounts', 'usage: npm run accounts -- <command> [options] --data DIR\n'],
  ['audit', 'usage: npm run audit -- <command> --data DIR [options]\n'],
  ['sync', 'usage: npm run sync -- <command> [options]\n'],
] as const)('the %s bundle runs as its program: --help prints its usage, exit 0', (name, usage) => {
  const r = run(name, '--help');
  expect([r.code, r.stdout.slice(0, usage.length), r.stderr]).toEqual([0, usage, '']);
});

it('a bundled module reads the file beside its source: sync falls back to resources/station.yaml (no upstreams)', () => {
  // app/main/args.ts resolves the default config from its own file; beside the bundle there is none.
  const r = run('sync', 'status', '--upstream', 'nope', '--data', dir);
  expect([r.code, r.stderr]).toEqual([2, 'sync status: --upstream: unknown upstream "nope"; the config has none\n']);
});
