/** Runs `npm run accounts` / `npm run audit` as a shell does: a child process, the password piped in. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../args.js';

export type CliResult = { code: number; out: string; err: string };

export function spawnCli(cli: 'accounts' | 'audit', args: string[], stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'app/main/accounts/cli', `${cli}.ts`), ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, out, err }));
    child.stdin.end(stdin);
  });
}
