/**
 * The browser-mode station's sign of life to its supervisor. A station whose event loop is stuck (an
 * endless loop, a synchronous call or a native call that never returns) ends no process and raises
 * no exception: its alarms stop and its consoles freeze while nothing says so. So the station sends
 * a heartbeat over its IPC channel from its event loop, and the supervisor that hears none for the
 * hang limit kills it (SIGKILL: a hung process runs no handler) and starts it again. The watch is
 * armed once the station serves: opening and recovering a big archive at start is long synchronous
 * work that is not a hang. The Electron shell has none (its station is the main process, which
 * cannot watch itself).
 */
import { UsageError } from './args.js';

/** The heartbeat the station sends its supervisor. */
export interface AliveMessage {
  type: 'alive';
}

/** The heartbeat's period (ms), set by the supervisor for its station: a fraction of its hang limit. */
export const HEARTBEAT_ENV = 'VIGIL_HEARTBEAT_MS';
const HEARTBEAT_MS = 1000;

/**
 * No sign of life for this long and the station is hung: well above the longest synchronous work a
 * serving station does (a trend export, a sync batch, a checkpoint of the archive on a slow disk).
 */
export const HANG_LIMIT_MS = 30_000;
/** How long a station asked to stop (SIGTERM) is given to close its archive before it is killed. */
export const STOP_LIMIT_MS = 30_000;

/** `npm start`'s limits, in seconds, where an engineer (or a test) sets them. */
export const HANG_LIMIT_ENV = 'VIGIL_HANG_LIMIT_S';
export const STOP_LIMIT_ENV = 'VIGIL_STOP_LIMIT_S';

/** A heartbeat a few times within the limit: one late beat is not a hang. */
export function heartbeatPeriodMs(hangLimitMs: number): number {
  return Math.max(10, Math.min(HEARTBEAT_MS, Math.floor(hangLimitMs / 4)));
}

/** A limit from the environment in seconds (unset: the default); anything else than a positive number is refused. */
export function limitFromEnv(env: NodeJS.ProcessEnv, name: string, defaultMs: number): number {
  const text = env[name];
  if (text === undefined || text === '') return defaultMs;
  const s = Number(text);
  if (!Number.isFinite(s) || s <= 0) throw new UsageError(`${name}: expected a number of seconds above 0, got "${text}"`);
  return Math.round(s * 1000);
}

/**
 * Sends the heartbeat from this process's event loop at the period its supervisor set, for as long
 * as the channel is open (unref: it alone keeps no process alive). Nothing without a supervisor.
 */
export function sendHeartbeats(env: NodeJS.ProcessEnv = process.env): void {
  if (!process.send) return;
  const set = Number(env[HEARTBEAT_ENV]);
  const period = Number.isFinite(set) && set > 0 ? set : HEARTBEAT_MS;
  const timer = setInterval(() => {
    if (!process.connected) return void clearInterval(timer);
    // The callback takes a send that failed (the channel closing): its 'disconnect' stops the station.
    process.send!({ type: 'alive' } satisfies AliveMessage, undefined, {}, () => {});
  }, period).unref();
}
