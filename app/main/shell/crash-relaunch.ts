/**
 * The Electron shell after a fault in its main process (where the station runs): no modal error
 * dialog leaving the station in a state nobody knows, but the app relaunched (app.relaunch with
 * these arguments, then app.exit). The note rides on its command line as --vigil-restart=<JSON>:
 * the relaunched station audits it and shows it, and waits the pause a run of faults calls for
 * (RESTART_DELAYS_MS) before it starts, so a fault at start does not spin. Plain Node: tested
 * without Electron (crash-relaunch.test.ts); electron.ts only calls it.
 */
import {
  decodeNote, FATAL_EXIT_CODE, RESTART_ARG, RESTART_RESET_AFTER_MS, restartDelayMs, type RestartNote,
} from '../restart-note.js';

/** The note as carried between launches: with the faults in a row, which set the pause. */
export interface CarriedNote {
  note: RestartNote;
  inARow: number;
}

/** The note this launch was given (null: a start by a person), and the arguments without it. */
export function takeRestartNote(argv: readonly string[]): { argv: string[]; carried: CarriedNote | null } {
  const rest = argv.filter((a) => !a.startsWith(RESTART_ARG));
  const arg = argv.findLast((a) => a.startsWith(RESTART_ARG));
  const text = arg?.slice(RESTART_ARG.length);
  const note = decodeNote(text);
  if (!note) return { argv: rest, carried: null };
  const inARow = Number((JSON.parse(text!) as { inARow?: unknown }).inARow);
  return { argv: rest, carried: { note, inARow: Number.isInteger(inARow) && inARow > 0 ? inARow : 1 } };
}

/**
 * The arguments to relaunch with (app.relaunch's args: what follows the executable), after a fault
 * `detail` at `now` in a process started at `startedAt` with `carried`.
 */
export function relaunchArgs(argvAfterExe: readonly string[], carried: CarriedNote | null, detail: string, startedAt: number, now: number): string[] {
  const { argv } = takeRestartNote(argvAfterExe);
  const inARow = carried && now - startedAt < RESTART_RESET_AFTER_MS ? carried.inARow + 1 : 1;
  const note: RestartNote = { at: now, restarts: (carried?.note.restarts ?? 0) + 1, kind: 'exception', code: FATAL_EXIT_CODE, signal: null, detail };
  return [...argv, `${RESTART_ARG}${JSON.stringify({ ...note, inARow })}`];
}

/** How long a relaunched app waits before it starts its station (0 for a start by a person). */
export function startDelayMs(carried: CarriedNote | null): number {
  return carried ? restartDelayMs(carried.inARow - 1) : 0;
}
