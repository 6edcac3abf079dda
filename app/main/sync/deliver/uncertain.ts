/**
 * How many copies an upstream may hold of each line of the batch in flight, kept with it in
 * sync.sqlite (inflight.uncertain) as runs: each request whose answer never came (a timeout, a reset
 * after the body went, a 5xx) may have stored one, and VictoriaMetrics keeps each. Kept in memory
 * only, a station killed after two timeouts of a request counted its lines once after the restart,
 * though the upstream held three copies (an exploratory run: 48 extra copies, 16 counted).
 */

/** Lines [from, to) of the batch may be upstream `tries` times. */
export type UncertainRun = [from: number, to: number, tries: number];

/**
 * The runs of `maybe` from line `from` on; `going`: a request about to go, whose lines count one
 * try more (it may be stored and its answer never come, the station killed meanwhile), but those in
 * `skip` (lines the upstream holds already, left out of its body).
 */
export function runsOf(maybe: Uint8Array, from: number, going: [number, number] | null = null, skip: Uint8Array | null = null): UncertainRun[] {
  const runs: UncertainRun[] = [];
  const at = (i: number) => {
    const extra = going !== null && i >= going[0] && i < going[1] && !skip?.[i] ? 1 : 0;
    return Math.min(255, maybe[i]! + extra);
  };
  for (let i = from; i < maybe.length;) {
    const tries = at(i);
    let j = i + 1;
    while (j < maybe.length && at(j) === tries) j++;
    if (tries > 0) runs.push([i, j, tries]);
    i = j;
  }
  return runs;
}

/** Raises `maybe` to the runs kept (a line kept as possibly upstream k times counts k copies when it is acknowledged). */
export function applyRuns(maybe: Uint8Array, runs: readonly UncertainRun[]): void {
  for (const [from, to, tries] of runs) {
    for (let i = Math.max(0, from); i < Math.min(to, maybe.length); i++) maybe[i] = Math.max(maybe[i]!, tries);
  }
}

/** The end of the last run (0: none). */
export function runsEnd(runs: readonly UncertainRun[]): number {
  return runs.reduce((end, r) => Math.max(end, r[1]), 0);
}

/** Runs as stored, or null when the text is none (a file from before they were kept, or damaged: the lines in flight count once, as before). */
export function parseRuns(json: string | null): UncertainRun[] | null {
  if (json === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  const ok = Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 3 && r.every((x) => Number.isSafeInteger(x))
    && r[0] >= 0 && r[1] > r[0] && r[2] >= 1 && r[2] <= 255);
  return ok ? (v as UncertainRun[]) : null;
}
