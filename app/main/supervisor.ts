/**
 * Browser mode's supervisor: the station runs in a child process (station-entry.ts) and is started
 * again whenever it ends unasked (a crash, an uncaught exception, SIGKILL by the out-of-memory
 * killer), after a pause that grows with faults in a row (RESTART_DELAYS_MS) and never gives up: a
 * control room without its station has no alarms and no archive. A start refused before the station
 * ever served (a config error: 2, a locked archive or a port taken: 1) is not retried: a
 * misconfiguration started again in a loop helps nobody; the supervisor ends with its code. Once it
 * has served, a refused restart is retried like a fault (the port or the lock a dying process held
 * comes free). Restarts keep the console's port, so consoles reconnect to the same URL. A serving
 * station that gives no sign of life for the hang limit is hung (liveness.ts): killed and restarted
 * alike. A stop waits for the station's clean end for the stop limit, then kills it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from './log.js';
import type { FatalMessage } from './fatal.js';
import type { ServingMessage } from './station-entry.js';
import { HANG_LIMIT_MS, HEARTBEAT_ENV, heartbeatPeriodMs, STOP_LIMIT_MS, type AliveMessage } from './liveness.js';
import {
  encodeNote, exitCause, hungCause, restartDelayMs, RESTART_DELAYS_MS, RESTART_ENV, RESTART_RESET_AFTER_MS, type RestartNote,
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
  /** No heartbeat from a serving station for this long: it is hung, killed and restarted (default HANG_LIMIT_MS). */
  hangLimitMs?: number;
  /** A station asked to stop that has not ended after this long is killed (default STOP_LIMIT_MS). */
  stopLimitMs?: number;
}

export class Supervisor {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  /** The liveness watch of the serving station: refreshed by each of its messages. */
  private watch: NodeJS.Timeout | null = null;
  private stopTimer: NodeJS.Timeout | null = null;
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
    const hangLimitMs = this.opts.hangLimitMs ?? HANG_LIMIT_MS;
    env[HEARTBEAT_ENV] = String(heartbeatPeriodMs(hangLimitMs));
    const child = fork(this.opts.entry, argv, { execArgv: this.opts.execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    let fatal: string | null = null;
    let served = false;
    let hungAfterMs: number | null = null;
    let lastSign = performance.now();
    child.on('message', (m: ServingMessage | FatalMessage | AliveMessage) => {
      // Any message is a sign of life; the watch starts once it serves (a long archive recovery at start is no hang).
      lastSign = performance.now();
      if (m?.type === 'fatal') fatal = m.detail;
      if (m?.type !== 'serving') return;
      served = true;
      if (!this.stopping) this.watchLife(child, hangLimitMs, () => lastSign, () => (hungAfterMs = hangLimitMs));
      this.port ??= new URL(m.url).port;
      if (!this.servedOnce) this.opts.onServing(m.url);
      this.servedOnce = true;
      this.opts.logger.info({ station: child.pid, url: m.url, restarts: this.restarts }, this.restarts > 0 ? 'station serving again' : 'station serving');
    });
    // 'error': the fork itself failed (no such entry); 'exit' may not follow.
    child.once('error', (err) => {
      this.opts.logger.error({ err }, 'the station process could not be started');
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) this.ended(child, startedAt, 1, null, err.message, false, null);
    });
    // 'close', not 'exit': 'exit' may come before the last IPC message (the fatal cause) is read.
    child.once('close', (code, signal) => this.ended(child, startedAt, code, signal, fatal, served, hungAfterMs));
  }

  /**
   * Watches a serving station: no message for `limitMs` and it is hung, killed (SIGKILL: a stuck
   * event loop runs no handler). Time is the monotonic clock's. When the limit is up, one more turn of
   * the loop reads what waits on the channel first: after this process was itself held (a machine
   * suspended, a debugger), the station's beats are queued, not missing.
   */
  private watchLife(child: ChildProcess, limitMs: number, lastSign: () => number, markHung: () => void): void {
    this.clearWatch();
    const check = () => {
      this.watch = null;
      setImmediate(() => {
        if (this.child !== child || this.stopping || this.watch) return;
        const silentMs = performance.now() - lastSign();
        if (silentMs < limitMs) {
          this.watch = setTimeout(check, limitMs - silentMs);
          return;
        }
        this.opts.logger.error({ station: child.pid, silentMs: Math.round(silentMs) }, `station hung: no sign of life for ${limitMs / 1000} s; killing it (SIGKILL)`);
        markHung();
        child.kill('SIGKILL');
      });
    };
    this.watch = setTimeout(check, limitMs);
  }

  private clearWatch(): void {
    if (this.watch) clearTimeout(this.watch);
    this.watch = null;
  }

  private ended(
    child: ChildProcess, startedAt: number, code: number | null, signal: string | null, fatal: string | null, served: boolean,
    /** Killed by the watch: the hang limit it missed. */
    hungAfterMs: number | null,
  ): void {
    if (this.child !== child) return;
    this.child = null;
    this.clearWatch();
    if (this.stopping) {
      if (this.stopTimer) clearTimeout(this.stopTimer);
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
    const cause = hungAfterMs !== null ? hungCause(hungAfterMs) : exitCause(code, signal, fatal);
    this.restarts++;
    this.note = { at, restarts: this.restarts, ...cause };
    const words = hungAfterMs !== null ? 'station killed, hung' : served ? 'station crashed' : 'station ended before it served';
    this.opts.logger.error({ station: child.pid, code, signal, cause: cause.detail, ranMs: ran, restartInMs: delay, restarts: this.restarts }, `${words}; restarting it`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.opts.logger.warn({ restarts: this.restarts }, 'restarting the station after a fault');
      this.start();
    }, delay);
  }

  /**
   * Stops the station (SIGTERM: it closes the archive cleanly) and resolves `done` once it ended
   * (its exit code; 1 when it had to be killed). One that has not ended within the stop limit (hung,
   * or stuck closing) is killed: a stop that never ends leaves a service manager waiting, and a
   * restart of the whole refused while the lock and the port are held.
   */
  stop(signal: string): void {
    if (this.stopping) return;
    this.stopping = true;
    this.opts.logger.info({ signal }, 'stopping the station');
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.clearWatch();
    const child = this.child;
    if (!child) return this.resolveDone(0);
    child.kill('SIGTERM');
    const limitMs = this.opts.stopLimitMs ?? STOP_LIMIT_MS;
    this.stopTimer = setTimeout(() => {
      this.stopTimer = null;
      if (this.child !== child) return;
      this.opts.logger.error({ station: child.pid, stopLimitMs: limitMs }, `the station did not stop within ${limitMs / 1000} s of SIGTERM; killing it (SIGKILL)`);
      child.kill('SIGKILL');
    }, limitMs);
  }
}
