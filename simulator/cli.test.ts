// The CLI as the station runs it: a child process that prints its endpoint and stops on SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = (): Promise<string> => new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const m = /^opc\.tcp:\/\/\S+$/m.exec(stdout);
      if (m) resolve(m[0]);
    };
    child.stdout.on('data', check);
    check();
    void exited.then((code) => reject(new Error(`exited ${code} before printing an endpoint:\n${stderr}`)));
  });
  return { child, endpoint, exited, output: () => ({ stdout, stderr }) };
}

describe('simulator CLI', () => {
  it('prints its endpoint on a line of its own and exits 0 on SIGTERM', async () => {
    const p = run(['--port', '0', '--seed', '5', '--tick-ms', '100', '--scenario', 'gas-leak:Area1']);
    const endpoint = await p.endpoint();
    expect(endpoint).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+\/vigil$/);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const log = p.output().stderr;
    expect(log).toContain('"scenarios":["gasLeak:Area1"]');
    expect(log).toContain('"msg":"simulator stopped"');
  });

  it('exits 2 naming the flag and what was expected', async () => {
    const p = run(['--extra-tags', 'many']);
    expect(await p.exited).toBe(2);
    expect(p.output().stderr).toContain('--extra-tags: expected an integer >= 0, got "many"');
  });
});
