/**
 * The fatal handlers in a real child process (never in the test runner's own: they end the process):
 * a fault is one fatal log line with its stack, written before the process ends with
 * FATAL_EXIT_CODE, and the cause is sent to a supervisor over IPC.
 */
import { fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './args.js';

const CHILD = join(repoRoot, 'app', 'main', 'testing', 'fatal-child.ts');
/** sysexits' EX_SOFTWARE, which the supervisor reads as "crashed" (restart-note.ts's FATAL_EXIT_CODE, said apart here). */
const EX_SOFTWARE = 70;

interface LogLine { level: number; msg: string; err?: { stack?: string; message?: string } }

function run(mode: 'throw' | 'reject', ipc: boolean): Promise<{ code: number | null; lines: LogLine[]; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    // Without a supervisor: no IPC channel, as a station started by hand has none.
    const child = ipc
      ? fork(CHILD, [mode], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
      : spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const messages: unknown[] = [];
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('message', (m) => messages.push(m));
    child.once('error', reject);
    child.once('close', (code) => {
      const lines = err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
      resolve({ code, lines, messages });
    });
  });
}

describe('a station process that meets a fault', () => {
  it('logs an uncaught exception once as fatal with its stack, tells its supervisor and ends with EX_SOFTWARE', async () => {
    const r = await run('throw', true);
    expect(r.code).toBe(EX_SOFTWARE);
    const fatal = r.lines.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(/^uncaught exception: .*expecting a valid session/);
    expect(fatal[0]!.err?.stack).toContain('libraryTimerCallback');
    // Every line logged before it was written too, and the fatal line last.
    expect(r.lines.filter((l) => l.msg === 'busy before the fault')).toHaveLength(2000);
    expect(r.lines.at(-1)).toBe(fatal[0]);
    expect(r.messages).toEqual([{ type: 'fatal', detail: 'uncaught exception: Error: expecting a valid session' }]);
  });

  it('does the same for an unhandled rejection, and without a supervisor to tell', async () => {
    const r = await run('reject', false);
    expect(r.code).toBe(EX_SOFTWARE);
    const fatal = r.lines.filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(/^unhandled rejection: .*TypeError: nobody caught this/);
    expect(fatal[0]!.err?.stack).toContain('fatal-child.ts');
    expect(r.messages).toEqual([]);
  });
});
