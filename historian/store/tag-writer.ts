/**
 * What the writer holds for one tag between flushes: its compressor, its open analog block,
 * blocks sealed since the last flush, late points to merge, for discrete/text tags the sorting
 * buffer and the events to write, and its counters.
 */
import type { ArchivedSample, Sample, TagConfig, TagKind, TagVersion } from '../types.js';
import type { VolumeInfo } from './catalog.js';
import { type Compressor, createCompressor, restoreCompressor } from './codec.js';
import { grantedCycleMs } from '../compression/settings.js';
import { type PersistedState, encodeCompressorState, encodeState, restingCompressor } from './tag-state.js';
import { PointColumns } from './point-columns.js';
import { encodeBlockColumns } from '../encoding/block.js';
import { type Decided, type RawSpan, RawWindow } from './raw-window.js';
import type { StoredPoint } from './volume.js';

/**
 * The block a tag is filling. It is written as it grows: a flush appends the new points as a
 * segment (a segment row, or on a background flush that is not the tag's turn, the volume's
 * journal), so a flush costs what arrived, not what the block holds. Only the points not yet in a
 * segment stay in memory (`tail`): the rest is read back from the segments when the block is
 * written whole: after a late point fell in it and when it is full (sealed); its newest segments
 * are merged into one as they pile up (size-tiered: writer.ts mergeFrom).
 */
export interface OpenBlock {
  vol: VolumeInfo;
  /** The block's first and last point times. */
  tStart: number;
  tLast: number;
  /** Points in the block: in its segments, and in `tail`. */
  count: number;
  /** Points not in a segment yet, in time order (none written yet: no sequence number); points [0, journaled) are in the volume's journal. */
  tail: PointColumns;
  journaled: number;
  /** Its segment rows: how many, and each one's first time and points, in time order. */
  segments: number;
  segs: { t: number; n: number }[];
  /** Late points that fall in the block: merged when it is next written whole. */
  late: StoredPoint[];
  /** Write the block whole (its segments as one): a late point fell in it, or its raw samples are to be considered. */
  rewrite: boolean;
  /** The raw samples of its span, when the block is sealed or the writer closes (raw-window.ts): stored instead when smaller. */
  raw: RawSpan | null;
  /** Some of its segments were appended without the entropy stage (a flush's few points): the writer's close writes it whole. */
  quick: boolean;
  /**
   * What its raw window weighed when it cut the block (raw-window.ts decide): the samples and
   * lossless bytes of its span (the next blocks are sized by them) and its points' bytes.
   */
  lossless?: Decided;
}

/** A block starting at tStart in vol; `count` points of it already in the segment rows `segs`. */
export function openBlock(vol: VolumeInfo, tStart: number, tLast = tStart, count = 0, segs: { t: number; n: number }[] = []): OpenBlock {
  // quick: some segment skipped the entropy stage. A block's first segment, and the one a rewrite
  // or a close leaves, is written whole with it; appended and merged ones never come alone. So a
  // block found as one segment needs no rewrite at close (an open and close rewrote every tag's).
  return { vol, tStart, tLast, count, tail: new PointColumns(), journaled: 0, segments: segs.length, segs, late: [], rewrite: false, raw: null, quick: segs.length > 1 };
}

/** Segment rows an open block may have before it is written at once, whatever its turn (merging keeps it below: writer.ts mergeFrom). */
export const MAX_SEGMENTS = 32;

/**
 * Blocks are cut by size: about this many encoded bytes, and between MIN_BLOCK_POINTS and the
 * writer's blockSize points (index.ts: 512). Measured on issue 12's real-shaped sets (1 KB
 * pages, bench/historian/real-breakdown.ts): blocks capped at 512 points left block_data pages
 * ~30 % empty (rows of ~500 B, one or two to a page) and paid ~100 B of rows and index per
 * block; at ~3.5 KB a block fills 3 overflow pages whole and its rows cost ~3 %. A new tag's
 * first block may take 2048 points: a short series (an import of ~1,000 samples) is one block.
 */
export const BLOCK_TARGET_BYTES = 3500;
export const MIN_BLOCK_POINTS = 256;
const FIRST_BLOCK_POINTS = 2048;
/**
 * A block whose points come a minute or more apart on average may grow to the writer's
 * slowBlockSize (index.ts: 4096) instead of blockSize. blockSize keeps a plot's edge blocks small
 * for fast data; a slow tag has few points in any range (a year at 1 a minute: 525,600, decoded
 * in a few ms), and capped at 512 points its blocks were ~500 B rows, one to a 1 KB page: 3-minute
 * data took 1.45x the zlib baseline on disk against 1.17x with blocks cut by size
 * (`bench/historian/real-breakdown.ts`, issue 12's real-shaped sets).
 */
export const SLOW_INTERVAL_MS = 60_000;
/**
 * A first block cut at a point between half and all of `points`, fixed per tag id (the
 * fractional parts of id times the golden ratio spread evenly): tags defined together and fed
 * together (a station's start) otherwise fill their blocks in the same second, and the flush
 * that seals them all held a 2,000-tag station's thread for 1.5 s (10,000 tags: several s).
 * Later blocks keep the phase: they are cut by their own size.
 */
export function staggeredFirstBlock(id: number, points: number): number {
  const spread = (id * 0.6180339887498949) % 1;
  return Math.max(Math.min(points, MIN_BLOCK_POINTS), Math.round(points * (1 - spread / 2)));
}

/** An open block at close weighs its raw samples against its points from this many samples on (below, a few bytes either way). */
const MIN_SETTLE = 16;

export class TagWriter {
  open: OpenBlock | null = null;
  sealed: OpenBlock[] = [];
  late: StoredPoint[] = [];
  events: StoredPoint[] = [];
  sortBuffer: Sample[] = [];
  /** A sample came into the sorting buffer before one already in it (buffer()): the release sorts it. */
  private unsorted = false;
  lastPushedT = -Infinity;
  lastArchivedT = -Infinity;
  /** The newest archived point, unless an analog point newer than it is in `newest*` (archiveAnalog). */
  private newestPoint: ArchivedSample | null = null;
  private newestAsNumbers = false;
  private newestT = 0;
  private newestValue = 0;
  private newestStatus = 0;
  private newestFlags = 0;
  dirty = false;
  /** The catalog holds a state for it (not NULL, at rest): the next save must write it even when it is at rest now. */
  stateSaved = false;
  /** Raw samples over the open block's span, when the tag is compressed (raw-window.ts). */
  private raw: RawWindow | null = null;
  /** The raw window found its samples the smaller (raw-window.ts decide): the next point starts a new block. */
  private sealNext = false;
  /** `received` as last recorded on disk (catalog or a volume's flush_delta row). */
  savedReceived: number;
  /** Points per block: grows or shrinks with how well the tag's data encodes (bytes per point of its last block). */
  blockPoints: number;
  /** The same for a block of slow points (SLOW_INTERVAL_MS), up to maxSlowBlockPoints. */
  slowBlockPoints: number;
  /** A block's bytes have sized these since the writer opened (learnBlockSize). */
  private learned = false;
  private compressorInstance: Compressor | null = null;
  /** The sampling interval the tag's server granted (ms; 0: none said): see grant(). */
  private grantedMs = 0;
  /** How to rebuild the compressor of a tag at rest (from its last archived point), until it is first needed. */
  private resting: (() => ArchivedSample | null) | null = null;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly kind: TagKind,
    public versions: TagVersion[],
    /** Samples handed to append/insert. */
    public received: number,
    /** Values the volumes hold, records the historian added (cyclic, hold) included, and those records alone. */
    public stored: number,
    public added: number,
    readonly maxBlockPoints: number,
    staggerFirstBlock = false,
    readonly maxSlowBlockPoints = maxBlockPoints,
  ) {
    // The first block may take FIRST_BLOCK_POINTS when slowBlockSize allows, fast data too: one
    // block a tag costs a plot nothing, and an import's short series (~1,000 samples) is then one
    // row, not a 512-point block of ~800 B on a 1 KB page and a remainder (pump-1s: 1.23x -> 1.04x).
    let first = Math.min(Math.max(maxBlockPoints, maxSlowBlockPoints), FIRST_BLOCK_POINTS);
    if (staggerFirstBlock) first = staggeredFirstBlock(id, first);
    this.blockPoints = first;
    this.slowBlockPoints = first;
    this.savedReceived = received;
  }

  /**
   * The newest archived point (what an idle tag's compressor resumes from). An analog point is
   * kept as numbers and made an object when asked for (a flush's state, not every point).
   */
  get lastPoint(): ArchivedSample | null {
    if (this.newestAsNumbers) {
      this.newestPoint = { t: this.newestT, value: this.newestValue, status: this.newestStatus, flags: this.newestFlags };
      this.newestAsNumbers = false;
    }
    return this.newestPoint;
  }

  set lastPoint(p: ArchivedSample | null) {
    this.newestPoint = p;
    this.newestAsNumbers = false;
  }

  /** Points at which a block is full: more when its points are slow (SLOW_INTERVAL_MS). */
  blockLimit(count: number, tStart: number, tLast: number): number {
    const slow = count > 1 && tLast - tStart >= SLOW_INTERVAL_MS * (count - 1);
    return slow ? this.slowBlockPoints : this.blockPoints;
  }

  /**
   * Points per block when late points are merged into sealed blocks: blockLimit's rule, but never
   * past blockSize with fast points (only an appending tag's first block may).
   */
  mergedBlockLimit(count: number, tStart: number, tLast: number): number {
    const slow = count > 1 && tLast - tStart >= SLOW_INTERVAL_MS * (count - 1);
    return slow ? this.slowBlockPoints : Math.min(this.blockPoints, this.maxBlockPoints);
  }

  get config(): TagConfig { return this.versions[this.versions.length - 1]!.config; }

  /**
   * The current version as its compressor goes by: its cycle the slower of the configured one and
   * the one the tag's server granted (grant()), a fact of the connection, not of the version.
   */
  private get compressorConfig(): TagConfig {
    const config = this.config;
    const cycleMs = grantedCycleMs(config.cycleMs, this.grantedMs);
    return cycleMs === config.cycleMs ? config : { ...config, cycleMs };
  }

  /** The sampling interval the tag's server granted its monitored item (ms; 0: none said): its cyclic record goes by it where it is slower. */
  grant(samplingMs: number): void {
    if (!(samplingMs >= 0) || !Number.isFinite(samplingMs)) throw new Error(`tag '${this.name}': granted sampling interval must be a number of ms >= 0, got ${samplingMs}`);
    this.grantedMs = samplingMs;
    this.compressorInstance?.setCycle?.(grantedCycleMs(this.config.cycleMs, samplingMs));
  }

  /** The compressor is in memory (not at rest since the open): it may hold something. */
  get awake(): boolean { return this.compressorInstance !== null; }

  get compressor(): Compressor {
    if (this.compressorInstance === null) {
      const last = this.resting?.() ?? null;
      this.resting = null;
      this.compressorInstance = last === null ? createCompressor(this.compressorConfig)
        : restoreCompressor(this.compressorConfig, restingCompressor(this.kind === 'analog' ? 'analog' : 'discrete', last));
      if (last !== null) this.lastPoint = last;
    }
    return this.compressorInstance;
  }

  /** A tag at rest: its compressor comes back from the archive's last point, when first needed. */
  rest(lastPoint: () => ArchivedSample | null): void {
    this.compressorInstance = null;
    this.resting = lastPoint;
    this.lastPushedT = this.lastArchivedT;
  }

  /** A new configuration version: the old compressor hands over what it held. */
  reconfigure(versions: TagVersion[], archive: (p: ArchivedSample) => void): void {
    for (const p of this.compressor.flush()) archive(p);
    this.versions = versions;
    this.compressorInstance = createCompressor(this.compressorConfig);
    this.dirty = true;
  }

  restore(state: PersistedState): void {
    this.lastPushedT = state.lastPushedT ?? -Infinity;
    this.lastArchivedT = state.lastArchivedT ?? -Infinity;
    this.resting = null;
    const config = this.compressorConfig;
    this.compressorInstance = state.compressor !== undefined ? restoreCompressor(config, state.compressor) : createCompressor(config);
    this.sortBuffer = (state.sortBuffer ?? []).map(([t, value, status]) => ({ t, value, status }));
    this.unsorted = true;
  }

  /** What catalog tag.state keeps: null at rest (tag-state.ts). */
  stateBytes(): Uint8Array | null {
    // Never woken since it rested (or new) and nothing buffered: at rest. Samples in the sorting
    // buffer must be saved (a flush is durable), so their tag's compressor is woken for its state.
    if (this.compressorInstance === null && this.sortBuffer.length === 0) return null;
    const family = this.kind === 'analog' ? 'analog' : 'discrete';
    const pushed = Number.isFinite(this.lastPushedT) ? this.lastPushedT : null;
    const archived = Number.isFinite(this.lastArchivedT) ? this.lastArchivedT : null;
    // Without a sorting buffer (analog tags always): the compressor's state as it holds it, no snapshot object.
    if (this.sortBuffer.length === 0) return encodeCompressorState(this.compressor, family, pushed, archived, this.lastPoint);
    const state: PersistedState = {
      compressor: this.compressor.snapshot(),
      lastPushedT: pushed,
      lastArchivedT: archived,
      sortBuffer: this.sortBuffer.map((s) => [s.t, s.value, s.status]),
    };
    return encodeState(state, family, this.lastPoint);
  }

  /**
   * Archives one point. Discrete and text points become event rows; analog points go to
   * archiveAnalog.
   */
  archivePoint(p: ArchivedSample, locate: (t: number) => VolumeInfo): void {
    if (this.kind === 'analog') {
      if (typeof p.value !== 'number') throw new Error(`analog point at t=${p.t}: value must be a number, got ${typeof p.value}`);
      return this.archiveAnalog(p.t, p.value, p.status, p.flags, locate);
    }
    this.dirty = true;
    if (p.t >= this.lastArchivedT) this.lastPoint = p;
    this.events.push(p);
    if (p.t > this.lastArchivedT) this.lastArchivedT = p.t;
  }

  /**
   * Archives one analog point, given as numbers (a lossless tag's samples make no object on
   * their way to the columns). Points after the last archived one extend the open block (a new
   * block when it is full or the volume changes); others are late and merged at the next flush.
   */
  archiveAnalog(t: number, value: number, status: number, flags: number, locate: (t: number) => VolumeInfo): void {
    this.dirty = true;
    if (t >= this.lastArchivedT) this.noteNewest(t, value, status, flags);
    if (t <= this.lastArchivedT) {
      this.late.push({ t, value, status, flags });
      return;
    }
    this.lastArchivedT = t;
    let ob = this.open;
    // A compressed tag's window, while it covers the block, cuts it where a lossless block would end (keepRaw).
    const full = ob !== null && ob.count >= this.blockLimit(ob.count, ob.tStart, ob.tLast) && !this.raw?.covers(ob.tStart);
    if (ob === null || t >= ob.vol.end || full || this.sealNext) ob = this.startBlock(ob, t, locate);
    this.raw?.noteValue(t, value, status, flags, ob.tStart);
    ob.tail.pushValue(t, value, status, flags);
    ob.tLast = t;
    ob.count++;
  }

  private noteNewest(t: number, value: number, status: number, flags: number): void {
    this.newestAsNumbers = true;
    this.newestT = t;
    this.newestValue = value;
    this.newestStatus = status;
    this.newestFlags = flags;
  }

  /** Seals the open block (if any) and opens the one point t starts. */
  private startBlock(ob: OpenBlock | null, t: number, locate: (t: number) => VolumeInfo): OpenBlock {
    this.sealNext = false;
    if (ob !== null) {
      if (this.raw?.decided) ob.lossless = this.raw.decided;
      if (this.raw) this.raw.decided = null;
      ob.raw = this.raw?.cut(ob.tStart, ob.tLast) ?? null;
      this.sealed.push(ob);
      // Only the first block may pass blockSize with fast points (until the seal is written and its size learned).
      this.blockPoints = Math.min(this.blockPoints, this.maxBlockPoints);
      // Sealed before a flush wrote any block (an import appends a tag's series at once): sized
      // by its own bytes now, as its write would size them, or every block of a long series
      // keeps the first block's 2,048 points (3-minute data: ~2 KB rows; 0.90x -> 0.89x of the
      // zlib baseline on the Tennessee Eastman process end to end). Lossless blocks whose
      // points are all in memory only; a compressed tag is sized by its raw window.
      if (!this.learned && this.raw === null && ob.segments === 0 && ob.tail.length === ob.count) {
        this.learnBlockSize(ob.count, encodeBlockColumns(ob.tail.view()).length);
      }
    }
    const vol = ob !== null && t < ob.vol.end ? ob.vol : locate(t);
    this.open = openBlock(vol, t);
    this.raw?.startAt(t);
    return this.open;
  }

  /** A raw sample about to go through a compressor (not 'none'): kept for the block's choice. */
  keepRaw(s: Sample, locate: (t: number) => VolumeInfo): void {
    // Sized for the samples of a block it decides on (due() at the smaller size, then the sample kept after it).
    const raw = (this.raw ??= new RawWindow(Math.max(this.maxBlockPoints, this.maxSlowBlockPoints), Math.min(this.blockPoints, this.slowBlockPoints) + 1));
    // Below the smaller of the two block sizes the window cannot be due: one comparison a sample.
    if (raw.size >= Math.min(this.blockPoints, this.slowBlockPoints)) this.weighRaw(raw, locate);
    raw.keep(s);
  }

  /** keepRaw() once the window may be due: where a lossless block of the same samples would end (by their own pace, not the points'). */
  private weighRaw(raw: RawWindow, locate: (t: number) => VolumeInfo): void {
    if (!raw.due(this.blockLimit(raw.size, raw.first, raw.last)) || !raw.decide()) return;
    // The samples win: the block ends on the newest one and the next starts on the sample
    // about to be kept, as a lossless block would (the same samples, so the same bytes and the
    // same next size).
    for (const p of this.compressor.restart()) this.archivePoint(p, locate);
    this.sealNext = true;
  }

  /**
   * At close: the open block stays open (its segments) but is written whole (segments a flush
   * appended skip the entropy stage), storing the raw samples of its span when they are the
   * smaller, as a sealed block would: a short series (an import of 1,000 samples a tag) is mostly
   * its open block, and its last points (a deadband's hold record) cost more than the samples
   * (a block of 162 noisy samples: 214 bytes as 62 points, 98 as samples). Below MIN_SETTLE raw
   * samples it stays as the compressor left it, so a restart costs the points it archived
   * (restart.test.ts). The window does not outlive the writer.
   */
  settleOpen(): void {
    const ob = this.open;
    // Segments a flush appended skip the entropy stage: at close the block is written whole, as
    // its next writer (or none: an import's short series is mostly its open block) finds it.
    if (ob && (ob.quick || ob.tail.length > 0)) ob.rewrite = true;
    if (this.raw && ob && ob.count && this.raw.size >= MIN_SETTLE) {
      ob.raw = this.raw.cut(ob.tStart, ob.tLast);
      if (ob.raw) ob.rewrite = true;
    }
    if (ob?.rewrite) this.dirty = true;
    this.raw = null;
  }

  /** After a block of n points took `bytes`: the next blocks aim at BLOCK_TARGET_BYTES. */
  learnBlockSize(n: number, bytes: number): void {
    if (n < 16) return;
    this.learned = true;
    const target = Math.round(BLOCK_TARGET_BYTES / (bytes / n));
    // Never past the writer's block sizes, whatever MIN_BLOCK_POINTS (a blockSize of 64 stays 64).
    this.blockPoints = Math.min(this.maxBlockPoints, Math.max(MIN_BLOCK_POINTS, target));
    this.slowBlockPoints = Math.min(Math.max(this.maxBlockPoints, this.maxSlowBlockPoints), Math.max(MIN_BLOCK_POINTS, target));
  }

  /** A discrete or text sample into the sorting buffer (checked: a copy the caller cannot change). */
  buffer(s: Sample): void {
    const buffer = this.sortBuffer;
    if (buffer.length > 0 && s.t < buffer[buffer.length - 1]!.t) this.unsorted = true;
    buffer.push(s);
  }

  /**
   * Releases the sorted part of the sorting buffer older than `horizon` into
   * the compressor (which archives changes); a value behind what the
   * compressor has seen is archived as given.
   */
  releaseEvents(horizon: number, archive: (p: ArchivedSample) => void): void {
    const buffer = this.sortBuffer;
    if (buffer.length === 0) return;
    if (this.unsorted) buffer.sort(byTime); // stable: samples of one time keep their order
    this.unsorted = false;
    let n = 0;
    while (n < buffer.length && buffer[n]!.t <= horizon) n++;
    if (n === 0) return;
    // Out of the buffer before the compressor sees any (as a splice did): one it refuses is not retried.
    const released = n === buffer.length ? buffer : buffer.slice(0, n);
    this.sortBuffer = n === buffer.length ? [] : buffer.slice(n);
    for (let i = 0; i < released.length; i++) {
      const s = released[i]!;
      if (s.t > this.lastPushedT) {
        this.lastPushedT = s.t;
        const out = this.compressor.push(s);
        for (let k = 0; k < out.length; k++) archive(out[k]!);
      } else {
        this.archiveLate({ t: s.t, value: s.value, status: s.status, flags: 0 }, archive);
      }
    }
    this.dirty = true;
  }

  /**
   * A sample at or before the newest one pushed (or one inserted): archived as given, so for one
   * time the last sample received wins. The compressor lets go of what it replaced and hands over
   * what it held at other times (Compressor.pushLate), archived with it in time order; a raw
   * sample the window keeps at its time is replaced too (a block stored as its samples must not
   * bring the old one back).
   */
  archiveLate(p: ArchivedSample, archive: (p: ArchivedSample) => void): void {
    // At rest the compressor holds only the archive's last point: an older sample concerns it not
    // (and waking it reads the archive).
    if (this.compressorInstance === null && p.t < this.lastArchivedT) return archive(p);
    const out = this.compressor.pushLate(p);
    if (typeof p.value === 'number') this.raw?.replace(p.t, p.value, p.status);
    let i = 0;
    while (i < out.length && out[i]!.t < p.t) archive(out[i++]!);
    archive(p);
    while (i < out.length) archive(out[i++]!);
    if (p.t > this.lastPushedT) this.lastPushedT = p.t;
  }

  /** Samples waiting in the sorting buffer at these times: dropped (an insert received after them replaces them). */
  dropBuffered(times: ReadonlySet<number>): void {
    if (this.sortBuffer.length > 0) this.sortBuffer = this.sortBuffer.filter((s) => !times.has(s.t));
  }
}

const byTime = (a: Sample, b: Sample): number => a.t - b.t;
