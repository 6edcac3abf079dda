/** The historian CLI as a user runs it: a child process (node on the run's bundle of historian/cli.ts) started in a folder. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { cliCommand } from '../../scripts/cli-bundles.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** The words that start the CLI (node, the bundle), before its arguments. */
export const historianCommand = (): [string, string] => cliCommand('historian');

/** The same words quoted for a shell command line (`exec ${historianShell()} import ...`). */
export const historianShell = (): string => historianCommand().map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(' ');

export function historianCli(cwd: string, ...args: string[]): CliRun {
  const [node, bundle] = historianCommand();
  const r = spawnSync(node, [bundle, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
