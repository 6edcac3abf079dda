/**
 * `npm start`: opens the Electron window where Electron's runtime exists,
 * otherwise (or with --browser) serves the console in browser mode and
 * prints its URL.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseStartArgs, repoRoot, UsageError } from './args.js';
import { ConfigError } from './station/config-file.js';
import { ArchiveLockedError } from '../../historian/index.js';
import { StartRefusal } from './start-refusal.js';
import { createLogger } from './log.js';
import { serveBrowserMode } from './serve.js';

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
  const logger = createLogger({ level: args.logLevel });
  if (!args.browser) logger.info('Electron runtime not installed: serving the console in browser mode');
  const served = await serveBrowserMode(args, logger);
  process.stdout.write(`Vigil console: ${served.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    served.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof ArchiveLockedError || err instanceof StartRefusal) {
    process.stderr.write(`vigil: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`vigil: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
