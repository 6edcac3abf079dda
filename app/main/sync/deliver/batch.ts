/**
 * A batch: lines read from one lane of a stream between two positions (or
 * lines from the quarantine), with what to do when a line is refused and
 * when all are settled. The sender knows nothing of lanes; the lanes know
 * nothing of HTTP.
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { Lines } from '../line-protocol/batch.js';
import type { Cursor } from '../store/sync-store.js';
import type { UncertainRun } from './uncertain.js';
import type { SyncText } from '../../../shared/sync-text.js';

const gzipAsync = promisify(gzip);

export interface Batch {
  /** 'main', 'live', 'backlog', 'replay:<id>' or 'quarantine'. */
  lane: string;
  stream: string;
  from: Cursor | null;
  to: Cursor | null;
  lines: Lines;
  /** Lines [0, settled) were settled before a restart (sent or quarantined). */
  settled: number;
  /** Lines [settled, settled + unconfirmed) may already be upstream: the station stopped during their request. */
  unconfirmed: number;
  /** How many copies of which lines may be upstream, as kept with the batch before a restart (uncertain.ts); absent: `unconfirmed` once. */
  uncertain?: readonly UncertainRun[];
  /** Every line may already be upstream (a replay). */
  resend: boolean;
  /**
   * Every line was acknowledged by the upstream before (a re-send after its restart or a loss there):
   * one it now drops as past its retention expired there by its own policy. Settled, counted and
   * logged, not quarantined: a retry could only be refused again.
   */
  acknowledged?: boolean;
  /**
   * The time range an engineer asked to send again (a 'time' replay, ms). Lines of it the upstream
   * refuses as past its retention are settled and said to the engineer (the status's last error),
   * not quarantined: they asked for them, and a retry could only be refused again. `at`: when asked.
   * `pastRetention(lines)`: adds lines so refused to the re-send's count and returns its total, kept
   * with the re-send in sync.sqlite (runs in the transaction that settles them), so a station
   * restart in the middle of it does not begin the count again.
   */
  asked?: { from: number; to: number; at: number; pastRetention(lines: number): number };
  /** Keeps a line the upstream refused (runs in the transaction that settles it); `said`: the reason as a catalog message, where there is one. */
  refuse(index: number, reason: string, now: number, said?: SyncText): void;
  /** The lane's state once every line is settled (runs in the completing transaction). */
  complete(now: number): void;
}

/** Consecutive [start, end) ranges from `from` to `to` (the end), each within the limits (at least one line). */
export function parts(lines: Lines, from: number, maxLines: number, maxBytes: number, to = lines.count): [number, number][] {
  const out: [number, number][] = [];
  let start = from, bytes = 0;
  for (let i = from; i < to; i++) {
    const size = lines.size(i);
    if (i > start && (i - start >= maxLines || bytes + size > maxBytes)) {
      out.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < to) out.push([start, to]);
  return out;
}

/** The request body of lines [a, b) but those marked in `skip`: newline-terminated, gzip'd unless level is 0. */
export async function body(lines: Lines, a: number, b: number, level: number, skip: Uint8Array | null = null): Promise<Buffer> {
  const text = skip ? without(lines, a, b, skip) : lines.bytes(a, b);
  return level === 0 ? text : gzipAsync(text, { level });
}

/** Lines [a, b) but those marked in `skip`, as one buffer: runs of lines kept are copied whole. */
function without(lines: Lines, a: number, b: number, skip: Uint8Array): Buffer {
  const runs: Buffer[] = [];
  for (let i = a; i < b;) {
    if (skip[i]) { i++; continue; }
    let j = i + 1;
    while (j < b && !skip[j]) j++;
    runs.push(lines.bytes(i, j));
    i = j;
  }
  return runs.length === 1 ? runs[0]! : Buffer.concat(runs);
}
