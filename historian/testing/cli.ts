/** The historian CLI as a user runs it: a child process (tsx) started in a folder. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const tsxBin = join(repoRoot, 'node_modules', '.bin', 'tsx');
export const historianCliFile = join(repoRoot, 'historian', 'cli.ts');

export interface CliRun { code: number | null; stdout: string; stderr: string }

export function historianCli(cwd: string, ...args: string[]): CliRun {
  const r = spawnSync(tsxBin, [historianCliFile, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
