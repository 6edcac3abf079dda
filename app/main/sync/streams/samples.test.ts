/**
 * The samples stream over a real historian: every archived sample becomes a
 * line once, late inserts come after the watermark, and a read bounded by
 * `until` stops exactly at the split point (the backlog lane) while reads
 * after it (the live lane) take the rest: together all, none twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Historian } from '../../../../historian/index.js';
import { Good } from '../../../../historian/status.js';
import { tagConfig, tempDir } from '../../../../historian/store/testing.js';
import { Lines } from '../line-protocol/batch.js';
import { SampleEncoder } from '../line-protocol/samples.js';
import { SamplesStream } from './samples.js';

const T0 = Date.UTC(2026, 0, 1);
let clock = T0 + 86_400_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function setup() {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const h = Historian.open(tmp.dir, { flushIntervalMs: 0, sortWindowMs: 0, now: () => clock });
  cleanups.push(() => h.close());
  h.defineTag(tagConfig('TK1.Level', { unit: 'm' }), T0);
  h.defineTag(tagConfig('TK1.Pump', {}, 'discrete'), T0);
  h.defineTag(tagConfig('TK1.Product', {}, 'text'), T0);
  const enc = new SampleEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', statusName: false, textAs: 'field' });
  const stream = new SamplesStream(h, enc, (tag) => (tag.startsWith('TK1') ? 'Area1' : null), () => clock);
  return { h, stream };
}

function append(h: Historian, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    h.append('TK1.Level', [{ t: T0 + i * 1000, value: i / 4, status: Good }]);
    h.append('TK1.Pump', [{ t: T0 + i * 1000, value: i % 3 === 0, status: Good }]);
    h.append('TK1.Product', [{ t: T0 + i * 1000, value: `lot ${i}`, status: Good }]);
  }
  clock += 1000;
  h.flush();
}

/** How many samples the archive holds (a compressor keeps the newest point until the next one comes). */
function archived(h: Historian): number {
  return h.readRaw({ tags: '*', start: 0, end: T0 + 10 * 86_400_000, pageSize: 1_000_000 }).rows.length;
}

function readAll(stream: SamplesStream, after: string | null, until: string | null = null, max = 7): { lines: string[]; cursor: string | null } {
  const lines: string[] = [];
  let cursor = after;
  for (;;) {
    const out = new Lines();
    const r = stream.read(cursor, max, until, out);
    lines.push(...out.text);
    expect(out.refused).toEqual([]);
    cursor = r.cursor;
    if (!r.more) return { lines, cursor };
  }
}

describe('samples stream', () => {
  it('one line per archived sample, typed by kind, with area and unit', () => {
    const { h, stream } = setup();
    append(h, 0, 10);
    const { lines } = readAll(stream, null);
    expect(lines).toHaveLength(archived(h));
    expect(lines.length).toBeGreaterThanOrEqual(27);
    expect(lines).toContain(`tf,area=Area1,site=N,tag=TK1.Level,unit=m value=0.75,status=0i ${T0 + 3000}`);
    expect(lines).toContain(`tf,area=Area1,site=N,tag=TK1.Pump state=1i,status=0i ${T0 + 3000}`);
    expect(lines).toContain(`tf,area=Area1,site=N,tag=TK1.Product text="lot 3",status=0i ${T0 + 3000}`);
  });

  it('a re-send of a time range: every tag\'s samples in it, by tag, over pages, each line as the live feed sent it', () => {
    const { h, stream } = setup();
    append(h, 0, 5);
    const lines: string[] = [];
    let position: string | null = null, pages = 0;
    for (;;) {
      const out = new Lines();
      const r = stream.readTimeRange(T0 + 1000, T0 + 2000, position, 4, out);
      lines.push(...out.text);
      pages++;
      if (r.done) break;
      position = r.position;
    }
    // The status as archived (Good, 0), not a raw read's (with Part 11's InfoType DataValue bit, 0x400): a re-sent
    // line overwrites the point upstream, so it must be the line the live feed sent.
    const expected = [
      `tf,area=Area1,site=N,tag=TK1.Level,unit=m value=0.25,status=0i ${T0 + 1000}`,
      `tf,area=Area1,site=N,tag=TK1.Level,unit=m value=0.5,status=0i ${T0 + 2000}`,
      `tf,area=Area1,site=N,tag=TK1.Pump state=0i,status=0i ${T0 + 1000}`, // a discrete tag archives changes only: false at 1 s and 2 s is one
      `tf,area=Area1,site=N,tag=TK1.Product text="lot 1",status=0i ${T0 + 1000}`,
      `tf,area=Area1,site=N,tag=TK1.Product text="lot 2",status=0i ${T0 + 2000}`,
    ];
    expect(lines).toEqual(expected);
    expect(pages).toBe(2);
    for (const line of expected) expect(readAll(stream, null).lines).toContain(line);
  });

  it('late inserts after the watermark come in the next read', () => {
    const { h, stream } = setup();
    append(h, 0, 5);
    const first = readAll(stream, null);
    h.insert('TK1.Level', [{ t: T0 - 60_000, value: 42, status: Good }]);
    clock += 1000;
    h.flush();
    const next = readAll(stream, first.cursor);
    expect(next.lines).toEqual([`tf,area=Area1,site=N,tag=TK1.Level,unit=m value=42,status=0i ${T0 - 60_000}`]);
    expect(stream.backlog(next.cursor).records).toBe(0);
  });

  it('a read bounded by until stops at the split; the live side has the rest; together all, none twice', () => {
    const { h, stream } = setup();
    append(h, 0, 20);
    const split = stream.head();
    const atSplit = archived(h);
    append(h, 20, 10);
    const backlog = readAll(stream, null, split);
    expect(stream.compare(backlog.cursor, split)).toBe(0);
    const live = readAll(stream, split);
    expect(backlog.lines).toHaveLength(atSplit);
    expect(backlog.lines.length + live.lines.length).toBe(archived(h));
    const all = readAll(stream, null);
    expect([...backlog.lines, ...live.lines].sort()).toEqual([...all.lines].sort());
    // Bounded from a cursor already at the split: nothing.
    expect(stream.read(split, 10, split, new Lines()).more).toBe(false);
  });

  it('a batch read again from its positions after more was written gives the same lines (resume after a crash, re-send)', () => {
    const { h, stream } = setup();
    append(h, 0, 10);
    const first = new Lines();
    const r = stream.read(null, 7, null, first);
    expect(r.more).toBe(true);
    append(h, 10, 10);
    const again = new Lines();
    const r2 = stream.read(null, 7, r.cursor, again);
    expect(again.text).toEqual(first.text);
    expect(stream.compare(r2.cursor, r.cursor)).toBe(0);
    expect(r2.more).toBe(false);
  });

  it('a unit changed while the sync runs: samples after the change go out under the new unit, those before under the old', () => {
    const { h, stream } = setup();
    h.append('TK1.Level', [{ t: T0 + 1000, value: 1.5, status: Good }]);
    clock += 1000;
    h.flush();
    const first = new Lines();
    const r = stream.read(null, 100, null, first);
    expect(first.text).toEqual([expect.stringContaining('unit=m ')]);
    // What the station's archive does when an engineer edits the unit: a new configuration version from now.
    h.defineTag(tagConfig('TK1.Level', { unit: 'mm' }), T0 + 2000);
    h.append('TK1.Level', [{ t: T0 + 3000, value: 1500, status: Good }]);
    clock += 1000;
    h.flush();
    const next = new Lines();
    stream.read(r.cursor, 100, null, next);
    expect(next.text).toEqual([expect.stringContaining('unit=mm ')]);
    const resend = new Lines();
    stream.readTimeRange(T0, T0 + 5000, null, 100, resend);
    expect(resend.text.map((l) => /unit=(\w+)/.exec(l)![1])).toEqual(['m', 'mm']);
  });

  it('the backlog falls as a pass is read page by page: what this stream read of it is not counted again', () => {
    const { h, stream } = setup();
    const start = stream.head();
    append(h, 0, 100); // one write: one pass
    const total = archived(h);
    expect(stream.backlog(start).records).toBe(total);
    let cursor = start;
    const seen: number[] = [];
    for (;;) {
      const r = stream.read(cursor, 50, null, new Lines());
      cursor = r.cursor;
      seen.push(stream.backlog(cursor).records);
      if (!r.more) break;
    }
    expect(seen).toEqual(Array.from({ length: Math.ceil(total / 50) }, (_, i) => Math.max(0, total - 50 * (i + 1))));
  });

  it('a reader caught up at its last read: only what was written since waits, and none of it is older than that read', () => {
    const { h, stream } = setup();
    append(h, 0, 20);
    const minuteStart = clock; // the change log's row for this minute starts with that write
    clock += 1000;
    const caughtUpAt = clock;
    const { cursor } = readAll(stream, null);
    expect(stream.backlog(cursor)).toEqual({ records: 0, oldestWrittenAt: null });
    const before = archived(h);
    append(h, 20, 2); // a second later, in the same row
    const b = stream.backlog(cursor);
    expect(b.records).toBe(archived(h) - before);
    expect(minuteStart).toBeLessThan(caughtUpAt);
    expect(b.oldestWrittenAt).toBeGreaterThanOrEqual(caughtUpAt);
  });
});
