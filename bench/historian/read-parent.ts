import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReadRequest } from './read-child.js';

const CHILD = fileURLToPath(new URL('./read-child.ts', import.meta.url));

/** Runs one timed read in a fresh process (see read-child.ts for why) and returns its figures. */
export function readInChild<T>(request: ReadRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    proc.once('message', (m: { result?: T; error?: string }) => {
      settled = true;
      if (m.error !== undefined) reject(new Error(`bench read ${request.op}: ${m.error}`));
      else resolve(m.result as T);
    });
    proc.once('error', reject);
    proc.once('exit', (code) => { if (!settled) reject(new Error(`bench read ${request.op} exited (${code}) without an answer`)); });
    proc.send(request);
  });
}
