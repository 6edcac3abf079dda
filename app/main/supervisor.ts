/**
 * Browser mode's supervisor: the station runs in a child process (station-entry.ts) and is started
 * again whenever it ends unasked (a crash, an uncaught exception, SIGKILL by the out-of-memory
 * killer), after a pause that grows with faults in a row (RESTART_DELAYS_MS) and never gives up: a
 * control room without its station has no alarms and no archive. A start refused before the station
 * ever served (a config error: 2, a locked archive or a port taken: 1) is not retried: a
 * misconfiguration started again in a loop helps nobody; the supervisor ends with its code. Once it
 * has served, a refused restart is retried like a fault (the port or the lock a dying process held
 * comes free). Restarts keep the console's port, so consoles reconnect to the same URL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from './log.js';
import type { FatalMessage } from './fatal.js';
import type { ServingMessage } from './station-entry.js';
import {
  encodeNote, exitCause, restartDelayMs, RESTART_DELAYS_MS, RESTART_ENV, RESTART_RESET_AFTER_MS, type RestartNote,
} from './restart-note.js';

export interface SupervisorOptions {
  /** The station's entry (dist/main/station.cjs, or station-entry.ts with tsx's loader in execArgv). */
  entry: string;
  execArgv: string[];
  /** The start flags, passed on as given. */
  argv: string[];
  logger: Logger;
  /** The first time the station serves (printed once: a restart serves the same URL). */
  onServing(url: string): void;
  delaysMs?: readonly number[];
  resetAfterMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export class Supervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private servedOnce = false;
  private port: string | null = null;
  private restarts = 0;
  private inARow = 0;
  private note: RestartNote | null = null;
  private resolveDone!: (code: number) => void;
  /** The supervisor's exit code, once the station is stopped (or refused its first start). */
  readonly done = new Promise<number>((r) => (this.resolveDone = r));

  constructor(private readonly opts: SupervisorOptions) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** The station process running now (tests kill it). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const startedAt = this.now();
    // A restart keeps the port the first one got (--port 0 picked it): the last --port wins.
    const argv = this.port === null ? this.opts.argv : [...this.opts.argv, '--port', this.port];
    const env = { ...(this.opts.env ?? process.env) };
    if (this.note) env[RESTART_ENV] = encodeNote(this.note);
    else delete env[RESTART_ENV];
    const child = fork(this.opts.entry, argv, { execArgv: this.opts.execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    let fatal: string | null = null;
    let served = false;
    child.on('message', (m: ServingMessage | FatalMessage) => {
      if (m?.type === 'fatal') fatal = m.detail;
      if (m?.type !== 'serving') return;
      served = true;
      this.port ??= new URL(m.url).port;
      if (!this.servedOnce) this.opts.onServing(m.url);
      this.servedOnce = true;
      this.opts.logger.info({ station: child.pid, url: m.url, restarts: this.restarts }, this.restarts > 0 ? 'station serving again' : 'station serving');
    });
    // 'error': the fork itself failed (no such entry); 'exit' may not follow.
    child.once('error', (err) => {
      this.opts.logger.error({ err }, 'the station process could not be started');
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) this.ended(child, startedAt, 1, null, err.message, false);
    });
    // 'close', not 'exit': 'exit' may come before the last IPC message (the fatal cause) is read.
    child.once('close', (code, signal) => this.ended(child, startedAt, code, signal, fatal, served));
  }

  private ended(child: ChildProcess, startedAt: number, code: number | null, signal: string | null, fatal: string | null, served: boolean): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopping) {
      this.opts.logger.info({ code, signal }, 'station stopped');
      this.resolveDone(code ?? 1);
      return;
    }
    if (!this.servedOnce && (code === 1 || code === 2)) {
      // The station said why on stderr (a config error, a locked archive, a port taken): that message
      // alone, as before there was a supervisor.
      this.opts.logger.debug({ code }, 'the station refused to start; not restarted');
      this.resolveDone(code);
      return;
    }
    const at = this.now();
    const ran = at - startedAt;
    if (ran >= (this.opts.resetAfterMs ?? RESTART_RESET_AFTER_MS)) this.inARow = 0;
    const delay = restartDelayMs(this.inARow++, this.opts.delaysMs ?? RESTART_DELAYS_MS);
    const cause = exitCause(code, signal, fatal);
    this.restarts++;
    this.note = { at, restarts: this.restarts, ...cause };
    const words = served ? 'station crashed' : 'station ended before it served';
    this.opts.logger.error({ station: child.pid, code, signal, cause: cause.detail, ranMs: ran, restartInMs: delay, restarts: this.restarts }, `${words}; restarting it`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.opts.logger.warn({ restarts: this.restarts }, 'restarting the station after a fault');
      this.start();
    }, delay);
  }

  /** Stops the station (SIGTERM: it closes the archive cleanly) and resolves `done` once it ended. */
  stop(signal: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.opts.logger.info({ signal }, 'stopping the station');
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child) child.kill('SIGTERM');
    else this.resolveDone(0);
  }
}
