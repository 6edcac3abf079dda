/**
 * What the Electron shell relaunches itself with after a fault (electron.ts cannot run here: the
 * arguments it hands app.relaunch are checked as the next launch reads them).
 */
import { describe, expect, it } from 'vitest';
import { relaunchArgs, startDelayMs, takeRestartNote } from './crash-relaunch.js';

const MIN = 60_000;
const argv = ['dist/main/electron.cjs', '--kiosk', '--data', '/var/lib/vigil', '--no-sandbox'];

describe('the Electron shell relaunched after a fault', () => {
  it('keeps its flags and Chromium\'s and adds the note: when, why, the first restart', () => {
    const next = relaunchArgs(argv, null, 'uncaught exception: Error: expecting a valid session', 0, 5 * MIN);
    const { argv: rest, carried } = takeRestartNote(['/opt/vigil/vigil', ...next]);
    expect(rest).toEqual(['/opt/vigil/vigil', ...argv]);
    expect(carried).toEqual({
      note: { at: 5 * MIN, restarts: 1, kind: 'exception', code: 70, signal: null, detail: 'uncaught exception: Error: expecting a valid session' },
      inARow: 1,
    });
    expect(startDelayMs(carried)).toBe(1000);
  });

  it('counts restarts, carries one note only, and waits longer for faults in a row', () => {
    let carried = null;
    const delays: number[] = [];
    let args = argv;
    for (let i = 0; i < 6; i++) {
      // Each launch faults a few seconds after it started.
      args = relaunchArgs(args, carried, `fault ${i}`, i * 10_000, i * 10_000 + 3000);
      ({ carried } = takeRestartNote(args));
      delays.push(startDelayMs(carried));
    }
    expect(args.filter((a) => a.startsWith('--vigil-restart='))).toHaveLength(1);
    expect(carried).toMatchObject({ note: { restarts: 6, detail: 'fault 5' }, inARow: 6 });
    expect(delays).toEqual([1000, 2000, 5000, 10_000, 30_000, 30_000]);
    // After ten minutes of good running the pauses start from the first again; the count goes on.
    const after = takeRestartNote(relaunchArgs(args, carried, 'late fault', 0, 11 * MIN)).carried;
    expect(after).toMatchObject({ note: { restarts: 7 }, inARow: 1 });
    expect(startDelayMs(after)).toBe(1000);
  });

  it('starts at once, with no note, when a person started it; a garbled note is no note', () => {
    expect(takeRestartNote(argv)).toEqual({ argv, carried: null });
    expect(startDelayMs(null)).toBe(0);
    expect(takeRestartNote([...argv, '--vigil-restart={oops'])).toEqual({ argv, carried: null });
  });
});
