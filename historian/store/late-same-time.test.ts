/**
 * Samples at or before a tag's newest time (a server that stamps a failure with the last good
 * value's time, timestamps of a coarse clock, a back-fill): for each time the archive holds the
 * last sample received there, and nothing the compressor archives later (a held point, a cyclic
 * record, a hold record) carries a value or status such a sample superseded. An older sample at
 * a time the compressor holds nothing changes nothing it writes later. Real archive directories,
 * read back through the public read API; the expected rows come from the samples sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveReader } from '../cli/reader.js';
import { Historian } from '../index.js';
import { BadNoCommunication, Good } from '../status.js';
import { type Compression, Flag } from '../types.js';
import { DAY, T0, tagConfig, tempDir } from './testing.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** A sample as sent (t in s from T0); `insert`: through insert() (a back-fill), else append(). */
interface Sent { t: number; value: number | boolean; status: number; flags?: number; insert?: boolean }
interface Row { t: number; value: number | boolean | string; status: number; flags: number }

const CYCLE = 1000;
const KINDS: [string, Compression][] = [
  ['none', { kind: 'none' }],
  ['deadband', { kind: 'deadband', deviation: 0.5 }],
  ['swinging door', { kind: 'swinging-door', deviation: 0.5 }],
];

const good = (t: number, value: number | boolean): Sent => ({ t, value, status: Good });
const bad = (t: number): Sent => ({ t, value: NaN, status: BadNoCommunication });

/** Opens an archive in a fresh directory (removed after the test). */
function openArchive(): { dir: string; open: () => Historian } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  return { dir: tmp.dir, open: () => Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => T0 + DAY }) };
}

/** Sends each sample on its own, as a live tag gets them; returns the rows read back after close. */
async function archiveOf(compression: Compression, sent: Sent[], kind: 'analog' | 'discrete' = 'analog', restartBefore = -1): Promise<Row[]> {
  const { dir, open } = openArchive();
  let h = open();
  h.defineTag(tagConfig('L', { compression, cycleMs: kind === 'analog' ? CYCLE : 0, stepped: kind !== 'analog' }, kind), T0);
  for (let i = 0; i < sent.length; i++) {
    if (i === restartBefore) {
      await h.close(); // the tag comes back at rest: its compressor from the archive's last point
      h = open();
    }
    const s = sent[i]!;
    const sample = { t: T0 + s.t * 1000, value: s.value, status: s.status };
    if (s.insert) h.insert('L', [{ ...sample, flags: s.flags ?? 0 }]);
    else h.append('L', [sample]);
  }
  await h.close();
  return rowsOf(dir);
}

function rowsOf(dir: string): Row[] {
  const rows = new ArchiveReader(dir).readRaw({ tags: 'L', start: T0 - DAY, end: T0 + DAY, pageSize: 10_000 }).rows;
  // The status as sent (reads add the historian's info bits in the low 16 bits).
  return rows.map((r) => ({ t: (r.t - T0) / 1000, value: r.value, status: (r.status & 0xffff0000) >>> 0, flags: r.flags }));
}

const same = (a: { value: unknown; status: number }, b: { value: unknown; status: number }) => Object.is(a.value, b.value) && a.status === b.status;

/**
 * What the archive may hold, from the samples sent alone: a row without the Cyclic flag is the
 * last sample received at its time, flags included; a Cyclic row is a gap's cyclic record (the
 * newest sample before it, as last received) or a deadband's hold record (the previous row's
 * value, with the status received at its time). Returns the rows that are neither.
 */
function disagreements(rows: Row[], sent: Sent[]): string[] {
  const last = new Map<number, Sent>();
  for (const s of sent) last.set(s.t, s);
  const times = [...last.keys()].sort((a, b) => a - b);
  const wrong: string[] = [];
  rows.forEach((r, i) => {
    const got = `${r.t}s ${String(r.value)} 0x${r.status.toString(16)} flags ${r.flags}`;
    if (!(r.flags & Flag.Cyclic)) {
      const s = last.get(r.t);
      if (!s || !same(r, s) || r.flags !== (s.flags ?? 0)) wrong.push(`${got}: not the last sample received at ${r.t}s`);
      return;
    }
    const before = times.filter((t) => t < r.t).pop();
    const gapRecord = before !== undefined && same(r, last.get(before)!);
    const holdRecord = i > 0 && last.has(r.t) && last.get(r.t)!.status === r.status && Object.is(r.value, rows[i - 1]!.value);
    if (!gapRecord && !holdRecord) wrong.push(`${got}: a cyclic record of no sample received`);
  });
  return wrong;
}

/** The last sample received at each time, as rows (what a lossless archive holds, cyclic records aside). */
function lastReceived(sent: Sent[]): Row[] {
  const last = new Map<number, Sent>();
  for (const s of sent) last.set(s.t, s);
  return [...last.values()].sort((a, b) => a.t - b.t).map((s) => ({ t: s.t, value: s.value, status: s.status, flags: s.flags ?? 0 }));
}

describe.each(KINDS)('a sample at a time the tag has already (%s)', (_name, compression) => {
  // The repro: Good 8.5, then BadNoCommunication stamped with 8.5's time, then nothing for 4 s.
  const failure = [good(0, 5), good(1, 6), good(2, 7), good(3, 8), good(4, 8.5), bad(4), good(8, 9)];

  it('a Bad stamped with the last Good\'s time: the archive holds the Bad there, and no later record says Good 8.5', async () => {
    const rows = await archiveOf(compression, failure);
    expect(disagreements(rows, failure)).toEqual([]);
    expect(rows.find((r) => r.t === 4)).toMatchObject({ status: BadNoCommunication });
    expect(rows.filter((r) => r.t > 4 && r.t < 8).every((r) => r.status === BadNoCommunication)).toBe(true);
    expect(rows.at(-1)).toMatchObject({ t: 8, value: 9, status: Good });
  });

  it('the same after a restart: the tag at rest resumes from the Bad, not from the Good it replaced', async () => {
    const rows = await archiveOf(compression, failure, 'analog', 5);
    expect(disagreements(rows, failure)).toEqual([]);
    expect(rows.filter((r) => r.t >= 4 && r.t < 8).every((r) => r.status === BadNoCommunication)).toBe(true);
  });

  it('a coarse clock (three values a second under one stamp): each time keeps its last value', async () => {
    const sent: Sent[] = [];
    for (let s = 0; s < 6; s++) for (const d of [0, 0.2, 0.3]) sent.push(good(s, 5 + 0.01 * s + d));
    sent.push(good(9, 10), good(10, 10), good(10, 12)); // a step after a gap, and the newest time corrected before close
    const rows = await archiveOf(compression, sent);
    expect(disagreements(rows, sent)).toEqual([]);
    expect(rows.at(-1)).toMatchObject({ t: 10, value: 12 });
    if (compression.kind !== 'none') return;
    // Lossless: every time's last value, and the gap's cyclic record (one cycle before 9 s) holds 5 s's last one.
    const held = sent.filter((s) => s.t === 5).at(-1)!;
    const expected = [...lastReceived(sent), { t: 8, value: held.value, status: Good, flags: Flag.Cyclic }].sort((a, b) => a.t - b.t);
    expect(rows).toEqual(expected);
  });

  it('a back-fill at the time of the newest sample: archived as given, with its flag, and never overwritten', async () => {
    const sent = [good(0, 5), good(1, 5.1), good(2, 5), good(3, 5.1), good(4, 5),
      { t: 4, value: 7, status: Good, flags: Flag.Backfilled, insert: true }, good(8, 5.1), good(9, 9)];
    const rows = await archiveOf(compression, sent);
    expect(disagreements(rows, sent)).toEqual([]);
    expect(rows.find((r) => r.t === 4)).toEqual({ t: 4, value: 7, status: Good, flags: Flag.Backfilled });
  });

  it('an older sample between the compressor\'s points is archived as given and changes nothing written after it', async () => {
    const stream = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((t) => good(t, [5, 5.1, 5.3, 6.5, 6.6, 6.4, 8, 8.1, 8, 3][t]!));
    const late = good(2.5, 42);
    const without = await archiveOf(compression, stream);
    const withLate = await archiveOf(compression, [...stream.slice(0, 7), late, ...stream.slice(7)]);
    expect(withLate).toEqual([...without, { t: 2.5, value: 42, status: Good, flags: 0 }].sort((a, b) => a.t - b.t));
  });
});

describe('a discrete sample at a time the tag has already', () => {
  it('replaces the held unchanged value there; the status change after it does not bring the old value back', async () => {
    const sent = [good(0, true), good(1, true), good(1, false), { t: 2, value: false, status: BadNoCommunication }, good(3, true)];
    const rows = await archiveOf({ kind: 'none' }, sent, 'discrete');
    expect(rows).toEqual(lastReceived(sent));
  });

  it('an insert at the time of a sample still in the sorting buffer wins over it', async () => {
    const { dir } = openArchive();
    const h = Historian.open(dir, { flushIntervalMs: 0, sortWindowMs: 60_000, now: () => T0 + 10_000 });
    h.defineTag(tagConfig('L', { stepped: true }, 'discrete'), T0);
    const sent = [good(0, true), good(1, true), { t: 1, value: false, status: Good, insert: true }, good(2, true)];
    for (const s of sent) {
      const sample = { t: T0 + s.t * 1000, value: s.value, status: s.status };
      if (s.insert) h.insert('L', [sample]);
      else h.append('L', [sample]); // waits in the sorting buffer until close
    }
    await h.close();
    expect(rowsOf(dir)).toEqual(lastReceived(sent));
  });
});
