/**
 * Status and flags, run-length encoded (process status rarely changes): the number of runs, then
 * per run its length, '0' if the status is the previous run's or '1' + 32 status bits, and the
 * 8 flag bits (a cyclic record makes a run of its own without repeating the status).
 * Format v3 starts with one bit: '0' every sample Good without flags (the usual block: nothing
 * more), '1' the runs as above.
 */
export function writeRunsV3(w: BitWriter, status: ArrayLike<number>, flags: ArrayLike<number>, n: number): void {
  let plain = true;
  for (let i = 0; i < n && plain; i++) plain = status[i] === 0 && flags[i] === 0;
  if (plain) return w.write(0, 1);
  w.write(1, 1);
  writeRuns(w, status, flags, n);
}

export function readRunsV3(r: BitReader, status: Uint32Array, flags: Uint8Array, n: number): void {
  r.what = 'status runs';
  if (r.bit() === 0) {
    status.fill(0, 0, n);
    flags.fill(0, 0, n);
  } else readRuns(r, status, flags, n);
}

import { BitReader, BitWriter } from './bits.js';

export function writeRuns(w: BitWriter, status: ArrayLike<number>, flags: ArrayLike<number>, n: number): void {
  let runs = 0;
  for (let i = 0; i < n; i++) if (i === 0 || status[i] !== status[i - 1] || flags[i] !== flags[i - 1]) runs++;
  w.writeUint(runs);
  let prevStatus = -1;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && status[i] === status[start] && flags[i] === flags[start]) continue;
    w.writeUint(i - start);
    const s = status[start];
    if (s === prevStatus) {
      w.write(0, 1);
    } else {
      w.write(1, 1);
      w.write(s, 32);
      prevStatus = s;
    }
    w.write(flags[start], 8);
    start = i;
  }
}

export function readRuns(r: BitReader, status: Uint32Array, flags: Uint8Array, n: number): void {
  r.what = 'status runs';
  const runs = r.readUint();
  if (runs > n || (n > 0 && runs === 0)) throw new Error(`corrupt block: status runs: ${runs} runs for ${n} samples`);
  let at = 0;
  let s = -1;
  for (let k = 0; k < runs; k++) {
    const len = r.readUint();
    if (len === 0 || at + len > n) throw new Error(`corrupt block: status runs: run ${k} of length ${len} overflows ${n} samples`);
    if (r.bit() !== 0) s = r.read(32);
    else if (s < 0) throw new Error('corrupt block: status runs: first run repeats a missing status');
    status.fill(s, at, at + len);
    flags.fill(r.read(8), at, at + len);
    at += len;
  }
  if (at !== n) throw new Error(`corrupt block: status runs cover ${at} of ${n} samples`);
}
