/**
 * A station process that meets an uncaught exception or an unhandled rejection is in a state
 * nobody knows: it says so once, as a fatal log line with the stack, and ends with
 * FATAL_EXIT_CODE, so that its supervisor says "crashed" with the cause and starts a fresh one
 * (the archive's lock and its gap are taken over by that one). Installed by process entry points
 * only (station-entry.ts, electron.ts), never at import time nor in a test runner's own process.
 */
import { pino } from 'pino';
import type { Logger } from './log.js';
import { FATAL_EXIT_CODE } from './restart-note.js';

/** The message a station sends its supervisor before it ends on a fault. */
export interface FatalMessage {
  type: 'fatal';
  detail: string;
}

/** How long the log and the supervisor's IPC channel are given before the process ends anyway. */
const END_WAIT_MS = 2000;

export interface FatalOptions {
  logger: Logger;
  /**
   * Ends the process (default process.exit), after the line is written and the parent told; `detail`
   * is the cause (the Electron shell relaunches itself with it).
   */
  exit?: (code: number, detail: string) => void;
}

export function installFatalHandlers(opts: FatalOptions): void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let ending = false;
  const fatal = (what: 'uncaught exception' | 'unhandled rejection', err: unknown) => {
    if (ending) {
      // One fatal line: what follows it while the process ends is a consequence, said as such.
      opts.logger.error({ err }, `${what} while ending after a fatal fault`);
      return;
    }
    ending = true;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const detail = `${what}: ${message}`;
    // pino writes a fatal line synchronously (its flushSync), past a write still in flight: so the
    // line is logged once the lines before it are out, and the process ends once it is, and the
    // cause sent to the supervisor; within END_WAIT_MS whatever happens (a stderr nobody reads).
    let logged = false;
    const logFatal = () => {
      if (logged) return;
      logged = true;
      opts.logger.fatal({ err }, `${what}: the station stops (${message})`);
    };
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      logFatal();
      flushSync(opts.logger);
      exit(FATAL_EXIT_CODE, detail);
    };
    const timer = setTimeout(end, END_WAIT_MS);
    whenWritten(opts.logger, () => {
      logFatal();
      if (!process.send || !process.connected) return end();
      process.send({ type: 'fatal', detail } satisfies FatalMessage, undefined, {}, end);
    });
  };
  process.on('uncaughtException', (err) => fatal('uncaught exception', err));
  process.on('unhandledRejection', (reason) => fatal('unhandled rejection', reason));
}

interface Destination {
  flushSync?: () => void;
  once?: (event: 'drain', listener: () => void) => void;
  /** SonicBoom's own: a write is in flight (its public flush() does not wait for one at minLength 0). */
  _writing?: boolean;
}

const destinationOf = (logger: Logger) => (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as Destination | undefined;

/**
 * pino's destination (log.ts: pino.destination(2)) writes asynchronously, one write in flight at a
 * time: every line logged so far is out when the stream drains. Not a SonicBoom (a test's
 * destination): its writes are its own business, on at once.
 */
function whenWritten(logger: Logger, then: () => void): void {
  const stream = destinationOf(logger);
  if (stream?._writing === true && stream.once) stream.once('drain', then);
  else then();
}

/**
 * Time is up (a stderr nobody reads): what is still buffered is written now, synchronously; the
 * order behind a write still in flight is then not sure, the line is.
 */
function flushSync(logger: Logger): void {
  try {
    destinationOf(logger)?.flushSync?.();
  } catch {
    // Not ready or not a SonicBoom (a test's destination): its own writes are synchronous.
  }
}
