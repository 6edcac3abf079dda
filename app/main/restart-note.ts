/**
 * What a station restarted after a fault is told about it: when the last one ended, how, and how
 * many times it was restarted. Browser mode's supervisor passes it in VIGIL_RESTART (JSON), the
 * Electron shell relaunches itself with it as --vigil-restart=<JSON>. The station audits it and
 * shows it on every console (station.info's restartedAfterFault).
 */
import type { RestartedAfterFault } from '../shared/api/station.js';

export type RestartNote = RestartedAfterFault;

export const RESTART_ENV = 'VIGIL_RESTART';
export const RESTART_ARG = '--vigil-restart=';

/** The exit code of a station that ended on an uncaught exception or an unhandled rejection (sysexits' EX_SOFTWARE). */
export const FATAL_EXIT_CODE = 70;

/**
 * Pauses before each restart in a row (ms): a fault at start then does not spin the CPU, a single
 * crash costs a second. The last is kept for as long as the faults go on: never given up.
 */
export const RESTART_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000] as const;
/** A station that ran this long before its fault starts the pauses from the first again. */
export const RESTART_RESET_AFTER_MS = 10 * 60_000;

/** The pause before restart number `inARow` (0: the first after a good run). */
export function restartDelayMs(inARow: number, delays: readonly number[] = RESTART_DELAYS_MS): number {
  return delays[Math.min(inARow, delays.length - 1)]!;
}

/** A station its supervisor killed for want of a sign of life (liveness.ts): the note and the log say so, not "killed by SIGKILL". */
export function hungCause(silentMs: number): Pick<RestartNote, 'kind' | 'code' | 'signal' | 'detail' | 'silentMs'> {
  // Seconds as a person reads them: "30 s", "0.4 s".
  return { kind: 'hung', code: null, signal: 'SIGKILL', detail: `hung: no sign of life for ${Number((silentMs / 1000).toFixed(1))} s`, silentMs };
}

/** How a station process ended, as the note and the log say it. */
export function exitCause(code: number | null, signal: string | null, fatal: string | null): Pick<RestartNote, 'kind' | 'code' | 'signal' | 'detail'> {
  if (signal !== null) return { kind: 'signal', code: null, signal, detail: `killed by ${signal}${signal === 'SIGKILL' ? ' (the out-of-memory killer, or a person)' : ''}` };
  if (code === FATAL_EXIT_CODE) return { kind: 'exception', code, signal: null, detail: fatal ?? 'an uncaught exception' };
  return { kind: 'exit', code, signal: null, detail: fatal ?? `exited with code ${code}` };
}

export function encodeNote(note: RestartNote): string {
  return JSON.stringify(note);
}

/** The note, or null where there is none or it is not one (a note never stops a station from starting). */
export function decodeNote(text: string | undefined): RestartNote | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as Partial<RestartNote>;
    if (typeof v.at !== 'number' || typeof v.restarts !== 'number' || typeof v.detail !== 'string') return null;
    const kind = v.kind === 'signal' || v.kind === 'exception' || v.kind === 'exit' || v.kind === 'hung' ? v.kind : 'exit';
    const note: RestartNote = { at: v.at, restarts: v.restarts, kind, code: typeof v.code === 'number' ? v.code : null, signal: typeof v.signal === 'string' ? v.signal : null, detail: v.detail };
    if (typeof v.silentMs === 'number') note.silentMs = v.silentMs;
    return note;
  } catch {
    return null;
  }
}

/** The audit entry's detail (app/renderer/lib/audit-detail.ts words it in the console's language). */
export function auditDetailOf(note: RestartNote): string {
  return `restarted after a fault at ${new Date(note.at).toISOString()} (restart ${note.restarts}): ${note.detail}`;
}
