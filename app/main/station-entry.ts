/**
 * The browser-mode station process, started by the supervisor (supervisor.ts, from start.ts): it
 * serves the console and tells the supervisor where (the supervisor prints the URL, once). It ends
 * cleanly on SIGINT / SIGTERM and when the supervisor is gone (its IPC channel closes: killed -9,
 * it must not outlive it), and loudly on a fault (fatal.ts). Once it serves it sends its supervisor a
 * heartbeat (liveness.ts): a station that stops sending is killed as hung. Exit codes: 2 usage or config error,
 * 1 a refused start (locked archive, port taken), FATAL_EXIT_CODE a fault.
 */
import { parseStartArgs, UsageError } from './args.js';
import { ConfigError } from './station/config-file.js';
import { ArchiveLockedError } from '../../historian/index.js';
import { StartRefusal } from './start-refusal.js';
import { createLogger } from './log.js';
import { serveBrowserMode } from './serve.js';
import { installFatalHandlers } from './fatal.js';
import { decodeNote, RESTART_ENV } from './restart-note.js';
import { sendHeartbeats } from './liveness.js';

/** What the station tells its supervisor once it serves. */
export interface ServingMessage {
  type: 'serving';
  url: string;
}

async function main(argv: string[]): Promise<void> {
  const args = parseStartArgs(argv);
  const logger = createLogger({ level: args.logLevel });
  installFatalHandlers({ logger });
  let stopping = false;
  let served: { stop(): Promise<void> } | null = null;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'stopping');
    // Still starting: stopped as soon as it serves (below), so the archive closes cleanly either way.
    served?.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('disconnect', () => stop('the supervisor is gone'));
  const running = await serveBrowserMode(args, logger, undefined, { restart: decodeNote(process.env[RESTART_ENV]) });
  served = running;
  if (stopping) {
    stopping = false;
    stop('asked to stop while starting');
    return;
  }
  if (process.send) {
    process.send({ type: 'serving', url: running.url } satisfies ServingMessage);
    sendHeartbeats();
  } else process.stdout.write(`Vigil console: ${running.url}\n`); // started by hand, unsupervised
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
