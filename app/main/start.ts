/**
 * `npm start`: opens the Electron window where Electron's runtime exists,
 * otherwise (or with --browser) serves the console in browser mode and
 * prints its URL. In browser mode this process is the station's supervisor
 * (supervisor.ts): the station runs in a child it restarts after a fault.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStartArgs, repoRoot, UsageError } from './args.js';
import { createLogger } from './log.js';
import { Supervisor } from './supervisor.js';
import { HANG_LIMIT_ENV, HANG_LIMIT_MS, limitFromEnv, STOP_LIMIT_ENV, STOP_LIMIT_MS } from './liveness.js';

/** The station's entry: its bundle beside this one when built, else its sources under tsx. */
function stationEntry(): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return { entry: join(dirname(here), 'station.cjs'), execArgv: [] };
  const loader = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'];
  return { entry: join(dirname(here), 'station-entry.ts'), execArgv: loader };
}

/** The Electron binary's path, or null where the runtime was not installed (offline machines). */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null; // the package is absent or its runtime was never downloaded: browser mode
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseStartArgs(argv);
  const electron = args.browser ? null : electronBinary();
  if (electron) {
    const child = spawn(electron, [join(repoRoot, 'dist', 'main', 'electron.cjs'), ...argv], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }
  // Read before anything starts: a limit mistyped is refused like a flag (exit 2).
  const hangLimitMs = limitFromEnv(process.env, HANG_LIMIT_ENV, HANG_LIMIT_MS);
  const stopLimitMs = limitFromEnv(process.env, STOP_LIMIT_ENV, STOP_LIMIT_MS);
  const logger = createLogger({ level: args.logLevel, name: 'vigil-supervisor' });
  if (!args.browser) logger.info('Electron runtime not installed: serving the console in browser mode');
  const supervisor = new Supervisor({
    ...stationEntry(),
    argv,
    logger,
    onServing: (url) => process.stdout.write(`Vigil console: ${url}\n`),
    hangLimitMs,
    stopLimitMs,
  });
  process.on('SIGINT', () => supervisor.stop('SIGINT'));
  process.on('SIGTERM', () => supervisor.stop('SIGTERM'));
  supervisor.start();
  process.exit(await supervisor.done);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // The station reports its own config and start errors (exit 2 or 1): here only the flags.
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`vigil: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
