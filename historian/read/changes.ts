/**
 * The change feed: everything archived after a cursor, read from read-only connections.
 *
 * Every flush that writes is one write sequence number; each archived sample carries the
 * number of its latest write (store/writer.ts). A reader's cursor says it has every sample
 * whose number is <= a. A call starts (or continues) a *pass* over (a, b], b being the head
 * when the pass began: the volumes in time order, in each the tags in id order, in each the
 * samples in time order, those whose number is in (a, b]. A sample rewritten during the pass
 * gets a number > b: the next pass sends it (a correction when this pass had sent it
 * already). So a sample comes once per write of it after the cursor (at its latest, when it
 * was written twice before the reader got there), and a pass ends: then the cursor is b.
 */
import { ColumnBuffer, decodeBlockInto, decodeSeqs } from '../store/codec.js';
import { STORED_BOOLEAN, hasColumn, hasTable } from '../store/schema.js';
import { type CursorState, START, formatCursor, parseCursor } from './change-cursor.js';
import {
  type ChangeState, type ChangedBlock, type ChangedEvent, type FeedVolume, type VolumeFeed, changedBlocks, loadChangeState, volumeFeed,
} from './change-state.js';
import { ChangeBuilder, writtenAtOf } from './change-builder.js';
import type { ReadSource, TagInfo, VolumeReader } from './source.js';
import type { ChangeBacklog, ChangeColumns, ChangeCursor, ChangePage, ChangedSamples, GoneReason, LostVolumes } from './types.js';

/** Blocks whose bytes are fetched by one query: few first (a drain's page takes a few sealed blocks), doubling up to BATCH. */
const FIRST_BATCH = 4, BATCH = 64;

interface Position { tag: number; t: number }

/** The feed as columns: one entry per sample, its tag by index into `tags`. */
export function readChangeColumns(src: ReadSource, after: ChangeCursor | null, maxSamples: number): ChangeColumns {
  if (!Number.isInteger(maxSamples) || maxSamples < 1) throw new Error(`readChanges: maxSamples: expected an integer >= 1, got ${maxSamples}`);
  let c = parseCursor(after);
  // The head first, then the tags: a tag is committed before any data of it, so every tag
  // with samples up to the head is known.
  let state = loadChangeState(src.catalogDb, c.a, c.g);
  const ahead = aheadOfHead(c, state.head);
  if (ahead) {
    c = START;
    state = loadChangeState(src.catalogDb, c.a, c.g);
  }
  src.refresh();
  const out = new ChangeBuilder(maxSamples);
  const gone = joinLost(ahead, lostVolumes(c, state));
  const g = state.gone.reduce((m, v) => Math.max(m, v.id), c.g);
  if (c.pass === null && state.head <= c.a) return out.finish(formatCursor({ a: c.a, g, pass: null }), false, gone);
  const pass = c.pass ?? { b: state.head, vol: -Infinity, tag: -1, t: -Infinity };
  const ctx: PassContext = {
    a: c.a, b: pass.b, out, writtenAt: writtenAtOf(state.log), byId: new Map(src.tags().map((t) => [t.id, t])),
    cols: new ColumnBuffer(), seqs: new Float64Array(0),
  };
  const unread: FeedVolume[] = []; // volumes of this page whose files cannot be read: passed over
  const lost = () => joinLost(gone, unreadable(src, unread));
  for (const vol of state.volumes) {
    if (vol.state !== 'attached' || vol.maxSeq <= c.a || vol.start < pass.vol) continue;
    const from = vol.start === pass.vol ? { tag: pass.tag, t: pass.t } : { tag: -1, t: -Infinity };
    const r = src.reader(vol);
    let stop: Position | null = null;
    try {
      if (r) stop = readVolume(r, vol, from, ctx);
    } catch (err) {
      src.skip(vol, err);
    }
    if (src.problemOf(vol)) unread.push(vol);
    else if (stop) return out.finish(formatCursor({ a: c.a, g, pass: { b: pass.b, vol: vol.start, ...stop } }), true, lost());
  }
  return out.finish(formatCursor({ a: pass.b, g, pass: null }), state.head > pass.b, lost());
}

/** Volumes with changes this reader had not read whose files cannot be read: the pass goes on without them. */
function unreadable(src: ReadSource, vols: FeedVolume[]): LostVolumes | undefined {
  if (vols.length === 0) return undefined;
  const problems = vols.map((v) => src.problemOf(v)!);
  const messages = problems.map((p) => p.message);
  return {
    volumes: vols.map((v) => v.file), reason: `changes in volumes whose files cannot be read are passed over (${messages.join('; ')})`,
    parts: [{ kind: 'unreadable', volumes: problems }],
  };
}

/**
 * A cursor past the archive's head: the archive was restored from an older copy or replaced. Its
 * writes from now on take the numbers the cursor says were read, and would be skipped: the feed
 * starts again from the beginning (the upstream gets what it has again, which it overwrites) and
 * says so, as a loss (what the archive held after its copy was made is not in it).
 */
function aheadOfHead(c: CursorState, head: number): LostVolumes | undefined {
  const read = c.pass ? c.pass.b : c.a;
  if (read <= head) return undefined;
  return {
    volumes: [], reason: `the cursor has read up to write ${read}, the archive's newest write is ${head}: the archive was restored from an older copy or replaced; its changes are sent again from the beginning`,
    restarted: true, parts: [{ kind: 'restarted', read, head }],
  };
}

function joinLost(x: LostVolumes | undefined, y: LostVolumes | undefined): LostVolumes | undefined {
  if (!x || !y) return x ?? y;
  return {
    volumes: [...x.volumes, ...y.volumes], reason: `${x.reason}; ${y.reason}`, parts: [...x.parts ?? [], ...y.parts ?? []],
    ...(x.restarted ? { restarted: true as const } : {}),
  };
}

/** Volumes gone (detached or dropped) since the cursor's last look, with changes this reader had not read. */
function lostVolumes(c: CursorState, state: ChangeState): LostVolumes | undefined {
  const lost = state.gone.filter((v) => v.maxSeq > (c.pass && v.start < c.pass.vol ? c.pass.b : c.a));
  if (lost.length === 0) return undefined;
  const reasons = [...new Set(lost.map((v) => `${v.file}: ${v.reason}`))];
  const byReason = new Map(lost.map((v) => [`${v.file}: ${v.reason}`, v])); // the same parts as `reasons`, in its order
  const volumes = [...byReason.values()].map((v) => ({ file: v.file, reason: goneReason(v.reason) }));
  return {
    volumes: [...new Set(lost.map((v) => v.file))], reason: `changes not read yet are no longer in the archive (${reasons.join('; ')})`,
    parts: [{ kind: 'gone', volumes }],
  };
}

/**
 * The reason kept with a gone volume (store/catalog.ts setVolumeState, store/volume-admin.ts
 * applyRetention) as facts: 'detached', or 'dropped by retention (older than N days or beyond the
 * newest N volumes)'; any other text as it is (days with more than 3 decimals too: a message formats
 * no more, and the text must read back as it was).
 */
export function goneReason(text: string): GoneReason {
  if (text === 'detached') return { kind: 'detached' };
  const m = /^dropped by retention \((?:older than (\d+(?:\.\d{1,3})?) days)?(?: or )?(?:beyond the newest (\d+) volumes)?\)$/.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined)) return { kind: 'other', text };
  return { kind: 'retention', ...(m[1] !== undefined ? { maxAgeDays: Number(m[1]) } : {}), ...(m[2] !== undefined ? { maxVolumes: Number(m[2]) } : {}) };
}

interface PassContext {
  a: number;
  b: number;
  out: ChangeBuilder;
  writtenAt: (seq: number) => number;
  byId: Map<number, TagInfo>;
  /** Decode targets reused across blocks. */
  cols: ColumnBuffer;
  seqs: Float64Array;
}

/**
 * One volume's samples with numbers in (a, b] after position `from`, by tag then time, in
 * one read transaction. Returns the position of the last sample taken when `out` filled up.
 */
function readVolume(r: VolumeReader, vol: FeedVolume, from: Position, ctx: PassContext): Position | null {
  const st = volumeFeed(r.db, r.legacy);
  const { a, b, out } = ctx;
  return r.db.transaction((): Position | null => {
    const candidates = changedBlocks(st, a, b, from);
    let blocks = candidates.next();
    const rows = new BlockRows(st, vol, r.legacy);
    // One sample per event row: the room left in `out` is all this volume can take.
    const events = st.events.all({ a, b, tag: from.tag, t: Math.max(from.t, -Number.MAX_SAFE_INTEGER), limit: out.max - out.length }) as ChangedEvent[];
    let e = 0, k = 0;
    for (;;) {
      if (k === blocks.length && blocks.length > 0) {
        blocks = candidates.next();
        k = 0;
      }
      const blockTag = k < blocks.length ? blocks[k]!.tag : Infinity;
      const eventTag = e < events.length ? events[e]![0] : Infinity;
      if (blockTag === Infinity && eventTag === Infinity) return null;
      if (eventTag < blockTag) {
        const stop = takeEvents(events, e, tagOf(ctx, eventTag), ctx);
        if (typeof stop === 'number') { e = stop; continue; }
        return stop;
      }
      let end = k;
      while (end < blocks.length && blocks[end]!.tag === blockTag) end++;
      const stop = takeBlocks(blocks, k, end, rows, tagOf(ctx, blockTag), blockTag === from.tag ? from.t : -Infinity, ctx);
      if (stop) return stop;
      k = end;
    }
  })();
}

type DataRow = [number, Buffer, Buffer | null];

/**
 * The bytes of candidate blocks, fetched a batch at a time in candidate order: one query
 * serves many tags' few new segments (a live reader's usual page). Legacy files key
 * their bytes by (tag, start), so there a query serves one tag.
 */
class BlockRows {
  private rows = new Map<ChangedBlock, DataRow>();
  private batch = FIRST_BATCH;

  constructor(private readonly st: VolumeFeed, private readonly vol: FeedVolume, private readonly legacy: boolean) {}

  get(blocks: ChangedBlock[], i: number): DataRow {
    const blk = blocks[i]!;
    let row = this.rows.get(blk);
    if (row) return row;
    const part: ChangedBlock[] = [];
    for (let j = i; j < blocks.length && part.length < this.batch && (!this.legacy || blocks[j]!.tag === blk.tag); j++) part.push(blocks[j]!);
    this.batch = Math.min(BATCH, this.batch * 2);
    const found = this.st.data.all({ tag: blk.tag, refs: JSON.stringify(part.map((x) => x.ref)) }) as DataRow[];
    const byRef = new Map(found.map((f) => [f[0], f]));
    this.rows = new Map();
    for (const x of part) {
      const f = byRef.get(x.ref);
      if (f) this.rows.set(x, f);
    }
    row = this.rows.get(blk);
    if (!row) throw new Error(`${this.vol.file}: block of tag ${blk.tag} at ${blk.tStart} has no data row`);
    return row;
  }
}

function tagOf(ctx: PassContext, id: number): TagInfo {
  const info = ctx.byId.get(id);
  if (!info) throw new Error(`change feed: tag id ${id} has data but is not in the catalog`);
  return info;
}

/** A tag's event rows from index e on: the index after them, or the position where `out` filled up. */
function takeEvents(events: ChangedEvent[], e: number, info: TagInfo, ctx: PassContext): number | Position {
  const idx = ctx.out.tagIndex(info);
  const text = info.kind === 'text';
  for (; e < events.length && events[e]![0] === info.id; e++) {
    const [, t, value, status, flags, seq] = events[e]!;
    ctx.out.push(idx, t, text ? NaN : Number(value), status, flags & (0xff | STORED_BOOLEAN), ctx.writtenAt(seq), text ? String(value) : null);
    if (ctx.out.full) return { tag: info.id, t };
  }
  return e;
}

/** A tag's changed blocks, blocks[k, end) (in time order), samples after time skipTo: null, or where `out` filled up. */
function takeBlocks(blocks: ChangedBlock[], k: number, end: number, rows: BlockRows, info: TagInfo, skipTo: number,
  ctx: PassContext): Position | null {
  const { a, b, out } = ctx;
  const idx = out.tagIndex(info);
  const cols = ctx.cols;
  for (let i = k; i < end; i++) {
    const blk = blocks[i]!;
    const row = rows.get(blocks, i);
    const n = decodeBlockInto(row[1], cols);
    if (ctx.seqs.length < n) ctx.seqs = new Float64Array(n);
    decodeSeqs(row[2], blk.seqMin, ctx.seqs, n);
    const stop = out.pushBlock(idx, cols, ctx.seqs, a, b, skipTo, ctx.writtenAt);
    if (stop === stop) return { tag: info.id, t: stop }; // not NaN: out filled up at this sample
  }
  return null;
}

/** The feed as per-tag items: runs of one tag written in the same change log row (minute). */
export function readChanges(src: ReadSource, after: ChangeCursor | null, maxSamples: number): ChangePage {
  const c = readChangeColumns(src, after, maxSamples);
  const items: ChangedSamples[] = [];
  let cur: ChangedSamples | null = null;
  for (let i = 0; i < c.length; i++) {
    const tag = c.tag[i]!, at = c.writtenAt[i]!;
    if (cur === null || c.tags[tag] !== cur.tag || at !== cur.writtenAt) {
      cur = { tag: c.tags[tag]!, kind: c.kinds[tag]!, t: [], values: [], status: [], writtenAt: at };
      items.push(cur);
    }
    cur.t.push(c.t[i]!);
    cur.status.push(c.status[i]!);
    const v = c.value[i]!;
    cur.values.push(cur.kind === 'text' ? c.text![i]! : c.flags[i]! & STORED_BOOLEAN ? v === 1 : v);
  }
  return { cursor: c.cursor, items, more: c.more, ...(c.lost ? { lost: c.lost } : {}) };
}

/** The newest cursor: a reader starting here gets only what is written from now on. */
export function changeHead(src: ReadSource): ChangeCursor {
  const state = loadChangeState(src.catalogDb, Number.MAX_SAFE_INTEGER, 0);
  return formatCursor({ a: state.head, g: state.gone.reduce((m, v) => Math.max(m, v.id), 0), pass: null });
}

/**
 * How much is written after the cursor and when the oldest of it was written, from the change
 * log (a row per minute of flushes: first commit time, samples written): a rewrite counts again
 * (an upper bound of what the feed sends); from the beginning, what the tags' counters say the
 * archive holds. A live reader's cursor is usually inside the newest row: the part of that row
 * after it is counted from the volumes (the samples they hold with numbers after the cursor,
 * what the next pass reads: at most a minute of writes), so a caught-up reader sees the few
 * samples written since, not the minute; so is a backlog's split point inside a row with rows
 * after it. Rows after the cursor's count whole, and so does a pass under way (its reader knows
 * how much of it it has read).
 * oldestWrittenAt is the first commit of the oldest row counted: at or before the real time.
 */
export function changeBacklog(src: ReadSource, after: ChangeCursor | null): ChangeBacklog {
  let c = parseCursor(after);
  let state = loadChangeState(src.catalogDb, c.a, Number.MAX_SAFE_INTEGER);
  if (aheadOfHead(c, state.head)) { // the feed starts again from the beginning (readChangeColumns)
    c = START;
    state = loadChangeState(src.catalogDb, c.a, Number.MAX_SAFE_INTEGER);
  }
  src.refresh();
  const log = state.log.filter((row) => row.seq <= state.head);
  if (c.a < 0) {
    const samples = heldSamples(src);
    return { samples, oldestWrittenAt: log.length ? log[0]!.writtenAt : samples > 0 ? 0 : null };
  }
  let samples = 0, oldest: number | null = null;
  for (const [i, row] of log.entries()) {
    // The row holding the cursor is counted from it, not whole, with rows after it too: the lanes
    // take the split point's figure from the figure before it, and a whole row there (an outage's
    // backlog written in the split point's minute) had made a draining backlog of ~750k read 0.
    const exact = i === 0 && c.pass === null && rowStartsAtOrBefore(src, c.a);
    const n = exact ? countWritten(src, state.volumes, c.a, row.seq) : row.samples;
    samples += n;
    if (oldest === null && n > 0) oldest = row.writtenAt;
  }
  return { samples, oldestWrittenAt: oldest };
}

const heldStatements = new WeakMap<object, { get(): unknown } | null>();

/**
 * What the tags' counters say the archive holds, as committed now: the reader's tag list is
 * reloaded only when tags or volumes change, and its counters, from then, left out everything
 * written since (a first sync's backlog read below what the upstream lacked).
 */
function heldSamples(src: ReadSource): number {
  let st = heldStatements.get(src.catalogDb);
  if (st === undefined) {
    // The columns the tag list reads them from (store/catalog.ts loadTags).
    st = hasTable(src.catalogDb, 'config') && hasColumn(src.catalogDb, 'tag', 'archived') && hasColumn(src.catalogDb, 'tag', 'added')
      ? src.catalogDb.prepare('SELECT coalesce(sum(archived + added), 0) FROM tag').pluck() : null;
    heldStatements.set(src.catalogDb, st);
  }
  if (st) return st.get() as number;
  let samples = 0; // a catalog of an older format: its counters as the tag list read them
  for (const t of src.tags()) samples += t.archived + t.added;
  return samples;
}

const previousRow = new WeakMap<object, { get(a: number): unknown }>();

/** The change-log row holding number a+1 also holds a (or numbers before it): a is inside it. */
function rowStartsAtOrBefore(src: ReadSource, a: number): boolean {
  let st = previousRow.get(src.catalogDb);
  if (!st) previousRow.set(src.catalogDb, (st = src.catalogDb.prepare('SELECT coalesce(max(seq), 0) FROM change_log WHERE seq <= ?').pluck()));
  return (st.get(a) as number) < a;
}

/** The samples the volumes hold now with numbers in (a, b]: what a pass over (a, b] reads (each volume in one read transaction). */
function countWritten(src: ReadSource, volumes: readonly FeedVolume[], a: number, b: number): number {
  const buf = { cols: new ColumnBuffer(), seqs: new Float64Array(0) };
  let n = 0;
  for (const vol of volumes) {
    if (vol.state !== 'attached' || vol.maxSeq <= a) continue;
    const r = src.reader(vol);
    if (r === null) continue; // missing or damaged: not counted (the feed passes over it)
    try {
      n += countVolume(r, vol, a, b, buf);
    } catch (err) {
      src.skip(vol, err);
    }
  }
  return n;
}

/** The samples one volume holds with numbers in (a, b]. */
function countVolume(r: VolumeReader, vol: FeedVolume, a: number, b: number, buf: { cols: ColumnBuffer; seqs: Float64Array }): number {
  const st = volumeFeed(r.db, r.legacy);
  return r.db.transaction((): number => {
    let k = (st.events.all({ a, b, tag: -1, t: -Number.MAX_SAFE_INTEGER, limit: -1 }) as unknown[]).length;
    const candidates = changedBlocks(st, a, b, { tag: -1, t: -Infinity });
    const rows = new BlockRows(st, vol, r.legacy);
    for (let blocks = candidates.next(); blocks.length > 0; blocks = candidates.next()) {
      for (let i = 0; i < blocks.length; i++) {
        const row = rows.get(blocks, i);
        const m = decodeBlockInto(row[1], buf.cols);
        if (buf.seqs.length < m) buf.seqs = new Float64Array(m);
        decodeSeqs(row[2], blocks[i]!.seqMin, buf.seqs, m);
        for (let j = 0; j < m; j++) if (buf.seqs[j]! > a && buf.seqs[j]! <= b) k++;
      }
    }
    return k;
  })();
}
