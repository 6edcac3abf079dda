/**
 * The package scripts that run the station and the command-line tools hand a stop signal (Ctrl-C,
 * a service manager's SIGTERM) to the program, however busy it is at that moment. tsx's own wrapper
 * process does not: it waits 30 ms for its child to say it heard the signal, then SIGKILLs it
 * (tsx 4 cli relaySignals), so a station in the middle of a commit was killed before closing its
 * archive, and an import before saying where it stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const fixture = join(root, 'scripts', 'testing', 'busy-on-stop.ts');
const dir = mkdtempSync(join(tmpdir(), 'vigil-launch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The words that run a script's TypeScript file (`node --import tsx historian/cli.ts` -> node --import tsx). */
function runner(name: string): string[] {
  const command = scripts[name]!.split('&&').at(-1)!.trim().split(/\s+/);
  const file = command.findIndex((w) => w.endsWith('.ts'));
  expect(file, `${name}: ${scripts[name]}`).toBeGreaterThan(0);
  return command.slice(0, file);
}

async function stopWhileBusy(name: string, signal: 'SIGTERM' | 'SIGINT'): Promise<{ code: number | null; heard: string | null }> {
  const [bin, ...args] = runner(name);
  const out = join(dir, `${name}-${signal}`);
  const child = spawn(bin!, [...args, fixture, out], { cwd: root, stdio: 'ignore', env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` } });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  for (let i = 0; i < 600 && !existsSync(`${out}.ready`); i++) await new Promise((r) => setTimeout(r, 50));
  expect(existsSync(`${out}.ready`), `${name}: the program did not start`).toBe(true);
  child.kill(signal);
  const code = await exited;
  return { code, heard: existsSync(out) ? readFileSync(out, 'utf8') : null };
}

describe('package scripts hand a stop signal to a busy program', { timeout: 60_000 }, () => {
  for (const name of ['historian', 'sync', 'accounts', 'audit', 'simulator']) {
    it(`npm run ${name}`, async () => {
      const { code, heard } = await stopWhileBusy(name, 'SIGINT');
      expect(heard, `${name} (${scripts[name]}): the program never ran its handler (killed)`).toBe('SIGINT');
      expect(code).toBe(0);
    });
  }

  // The browser tests stop this very command with SIGTERM and read its archive after (e2e/plant.ts).
  it('npm start runs the built station with node itself: no wrapper between a signal and the station', () => {
    const command = scripts.start!.split('&&').at(-1)!.trim().split(/\s+/);
    expect(command).toEqual(['node', 'dist/main/start.cjs']);
  });
});
