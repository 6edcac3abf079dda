/**
 * What the writer holds for one tag between flushes: its compressor, its open analog block,
 * blocks sealed since the last flush, late points to merge, for discrete/text tags the sorting
 * buffer and the events to write, and its counters.
 */
import type { ArchivedSample, Sample, TagConfig, TagKind, TagVersion } from '../types.js';
import { Flag } from '../types.js';
import type { VolumeInfo } from './catalog.js';
import { type Compressor, createCompressor, restoreCompressor } from './codec.js';
import { type PersistedState, encodeState, restingCompressor } from './tag-state.js';
import { RawWindow } from './raw-window.js';
import type { StoredPoint } from './volume.js';

/**
 * The block a tag is filling. It is written as it grows: each flush appends the new points as
 * a segment (a segment row), so a flush costs what arrived, not what the block holds. Past
 * MAX_SEGMENTS, or after a late point changed it, the segments are rewritten as one; a full
 * block is written once more, whole, as a sealed block, and its segments go.
 */
export interface OpenBlock {
  vol: VolumeInfo;
  points: StoredPoint[];
  /** points[0 .. written) are on disk, in `segments` segment rows. */
  written: number;
  /** points[written .. journaled) are on disk in the volume's journal only (journal.ts). */
  journaled: number;
  segments: number;
  /** A point before `written` changed: write the segments again as one. */
  rewrite: boolean;
}

export const MAX_SEGMENTS = 16;

/** Blocks are cut by size: about this many encoded bytes (a page), and between these many points. */
export const BLOCK_TARGET_BYTES = 3500;
export const MIN_BLOCK_POINTS = 256;

export class TagWriter {
  open: OpenBlock | null = null;
  sealed: OpenBlock[] = [];
  late: StoredPoint[] = [];
  events: StoredPoint[] = [];
  sortBuffer: Sample[] = [];
  lastPushedT = -Infinity;
  lastArchivedT = -Infinity;
  /** The newest archived point (what an idle tag's compressor resumes from). */
  lastPoint: ArchivedSample | null = null;
  dirty = false;
  /** The catalog holds a state for it (not NULL, at rest): the next save must write it even when it is at rest now. */
  stateSaved = false;
  /** Raw samples over the open block's span, when the tag is compressed (raw-window.ts). */
  private raw: RawWindow | null = null;
  /** `received` as last recorded on disk (catalog or a volume's flush_delta row). */
  savedReceived: number;
  /** Points per block: grows or shrinks with how well the tag's data encodes (bytes per point of its last block). */
  blockPoints: number;
  private compressorInstance: Compressor | null = null;
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
  ) {
    this.blockPoints = Math.min(maxBlockPoints, 1024);
    this.savedReceived = received;
  }

  get config(): TagConfig { return this.versions[this.versions.length - 1]!.config; }

  /** The compressor is in memory (not at rest since the open): it may hold something. */
  get awake(): boolean { return this.compressorInstance !== null; }

  get compressor(): Compressor {
    if (this.compressorInstance === null) {
      const last = this.resting?.() ?? null;
      this.resting = null;
      this.compressorInstance = last === null ? createCompressor(this.config)
        : restoreCompressor(this.config, restingCompressor(this.kind === 'analog' ? 'analog' : 'discrete', last));
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
    this.compressorInstance = createCompressor(this.config);
    this.dirty = true;
  }

  restore(state: PersistedState): void {
    this.lastPushedT = state.lastPushedT ?? -Infinity;
    this.lastArchivedT = state.lastArchivedT ?? -Infinity;
    this.resting = null;
    this.compressorInstance = state.compressor !== undefined ? restoreCompressor(this.config, state.compressor) : createCompressor(this.config);
    this.sortBuffer = (state.sortBuffer ?? []).map(([t, value, status]) => ({ t, value, status }));
  }

  /** What catalog tag.state keeps: null at rest (tag-state.ts). */
  stateBytes(): Uint8Array | null {
    if (this.compressorInstance === null) return null; // never woken since it rested
    const state: PersistedState = {
      compressor: this.compressorInstance.snapshot(),
      lastPushedT: Number.isFinite(this.lastPushedT) ? this.lastPushedT : null,
      lastArchivedT: Number.isFinite(this.lastArchivedT) ? this.lastArchivedT : null,
      sortBuffer: this.sortBuffer.length ? this.sortBuffer.map((s) => [s.t, s.value, s.status]) : undefined,
    };
    return encodeState(state, this.kind === 'analog' ? 'analog' : 'discrete', this.lastPoint);
  }

  /**
   * Archives one point. Discrete and text points become event rows. Analog points after the
   * last archived one extend the open block (a new block when it is full or the volume
   * changes); others are late and merged at the next flush.
   */
  archivePoint(p: ArchivedSample, locate: (t: number) => VolumeInfo): void {
    this.dirty = true;
    if (p.t >= this.lastArchivedT) this.lastPoint = p;
    if (this.kind !== 'analog') {
      this.events.push(p);
      if (p.t > this.lastArchivedT) this.lastArchivedT = p.t;
      return;
    }
    if (p.t <= this.lastArchivedT) {
      this.late.push(p);
      return;
    }
    this.lastArchivedT = p.t;
    let ob = this.open;
    if (ob === null || p.t >= ob.vol.end || ob.points.length >= this.blockPoints) {
      if (ob !== null) {
        this.settle(ob);
        this.sealed.push(ob);
      }
      const vol = ob !== null && p.t < ob.vol.end ? ob.vol : locate(p.t);
      ob = this.open = { vol, points: [], written: 0, journaled: 0, segments: 0, rewrite: false };
      this.raw?.startAt(p.t);
    }
    ob.points.push(p);
  }

  /** A raw sample about to go through a compressor (not 'none'): kept for the block's choice. */
  keepRaw(s: Sample): void {
    (this.raw ??= new RawWindow()).keep(s, this.open?.points.length ?? 0);
  }

  /**
   * At close: the open block stays open (its segments) but stores the raw samples of its span
   * when they are the smaller, as a sealed block would: a short series (an import of 1,000
   * samples a tag) is mostly its open block. A short open block (fewer than MIN_BLOCK_POINTS
   * raw samples: a few dozen bytes either way) stays as the compressor left it, so a restart
   * costs the points it archived (restart.test.ts). The window does not outlive the writer.
   */
  settleOpen(): void {
    const ob = this.open;
    if (this.raw && ob && ob.points.length && this.raw.size >= MIN_BLOCK_POINTS && this.settle(ob)) ob.rewrite = true;
    this.raw = null;
  }

  /** The block's points or the raw samples of its span, the smaller; true when they changed (all to be stamped and written again). */
  private settle(ob: OpenBlock): boolean {
    if (!this.raw) return false;
    const points = this.raw.settle(ob.points);
    if (points === ob.points) return false;
    ob.points = points;
    ob.written = 0;
    ob.journaled = 0;
    return true;
  }

  /** After a block of n points took `bytes`: the next blocks aim at BLOCK_TARGET_BYTES. */
  learnBlockSize(n: number, bytes: number): void {
    if (n < 16) return;
    this.blockPoints = Math.max(MIN_BLOCK_POINTS, Math.min(this.maxBlockPoints, Math.round(BLOCK_TARGET_BYTES / (bytes / n))));
  }

  /**
   * Releases the sorted part of the sorting buffer older than `horizon` into
   * the compressor (which archives changes); a value behind what the
   * compressor has seen is archived as given.
   */
  releaseEvents(horizon: number, archive: (p: ArchivedSample) => void): void {
    if (this.sortBuffer.length === 0) return;
    this.sortBuffer.sort((a, b) => a.t - b.t);
    let n = 0;
    while (n < this.sortBuffer.length && this.sortBuffer[n]!.t <= horizon) n++;
    if (n === 0) return;
    for (const s of this.sortBuffer.splice(0, n)) {
      if (s.t > this.lastPushedT) {
        this.lastPushedT = s.t;
        for (const p of this.compressor.push(s)) archive(p);
      } else {
        archive({ t: s.t, value: s.value, status: s.status, flags: 0 });
      }
    }
    this.dirty = true;
  }
}

/** Cyclic and hold records in a list of points. */
export const cyclicIn = (points: readonly ArchivedSample[]): number => points.reduce((n, p) => n + (p.flags & Flag.Cyclic ? 1 : 0), 0);
