/** Runs `npm run accounts` / `npm run audit` as a shell does: a child process (node on the run's bundle), the password piped in. */
import { spawn } from 'node:child_process';
import { cliCommand } from '../../../../scripts/cli-bundles.js';
import { repoRoot } from '../../args.js';

export type CliResult = { code: number; out: string; err: string };

export function spawnCli(cli: 'accounts' | 'audit', args: string[], stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [node, bundle] = cliCommand(cli);
    const child = spawn(node, [bundle, ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(stdin);
  });
}
