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
  /** Resolves once the process is gone (it killed itself: `crashOnGap`). */
  exited: Promise<void>;
}

export interface CrashOptions {
  /** The station kills itself (SIGKILL) as soon as the ledger tells of a gap of this cause. */
  crashOnGap?: string;
  /** The wait before tags refused for the server's capacity are asked for again (server-link.ts capacityRetry). */
  capacityRetryMs?: number;
}

export function spawnCrashStation(home: string, opts: CrashOptions = {}): CrashChild {
  const env = { ...process.env };
  if (opts.crashOnGap !== undefined) env.VIGIL_TEST_CRASH_ON_GAP = opts.crashOnGap;
  if (opts.capacityRetryMs !== undefined) env.VIGIL_TEST_CAPACITY_RETRY_MS = String(opts.capacityRetryMs);
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-station.ts'), home], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let out = '';
  child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
  return {
    exited,
    live: async () => {
      await until('the child station live', () => out.includes('live'), 180_000);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
