/**
 * Runs testing/crash-station.ts as a child process on `home` (its YAML in `<home>/crash.yaml`),
 * for tests that kill a station with SIGKILL and start it again on the same data.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { until } from './harness.js';

export interface CrashChild {
  /** Resolves once the child's station has values flowing. */
  live(): Promise<void>;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

export function spawnCrashStation(home: string): CrashChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-station.ts'), home], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let out = '';
  child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
  return {
    live: async () => {
      await until('the child station live', () => out.includes('live'), 180_000);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
