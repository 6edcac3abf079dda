/**
 * What the writer holds for one tag between flushes: its compressor, its open
 * analog block, blocks sealed since the last flush, late points to merge, and
 * for discrete/text tags the sorting buffer and the events to write.
 */
import type { ArchivedSample, Sample, TagConfig, TagKind, TagVersion } from '../types.js';
import type { VolumeInfo } from './catalog.js';
import { type Compressor, type CompressorState, createCompressor, restoreCompressor } from './codec.js';
import type { StoredPoint } from './volume.js';

/**
 * The block a tag is filling. It is written as it grows: each flush appends
 * the new points as a segment (a row with sealed = 0, a block like any other
 * for readers), so a flush costs what arrived, not what the block holds. Past
 * MAX_SEGMENTS, or after a late point changed it, the segments are rewritten
 * as one; a full block is written once more, whole and sealed.
 */
export interface OpenBlock {
  vol: VolumeInfo;
  points: StoredPoint[];
  /** points[0 .. written) are on disk, in segments starting at these times. */
  written: number;
  segments: number[];
  /** A point before `written` changed: write the segments again as one. */
  rewrite: boolean;
}

export const MAX_SEGMENTS = 16;

/** What is kept in catalog.tag_state between runs. */
export interface PersistedState {
  compressor?: CompressorState;
  lastPushedT: number | null;
  lastArchivedT: number | null;
  sortBuffer?: [number, number | boolean | string, number][];
}

export class TagWriter {
  compressor: Compressor;
  open: OpenBlock | null = null;
  sealed: OpenBlock[] = [];
  late: StoredPoint[] = [];
  events: StoredPoint[] = [];
  sortBuffer: Sample[] = [];
  lastPushedT = -Infinity;
  lastArchivedT = -Infinity;
  dirty = false;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly kind: TagKind,
    public versions: TagVersion[],
    public received: number,
    public archived: number,
  ) {
    this.compressor = createCompressor(this.config);
  }

  get config(): TagConfig { return this.versions[this.versions.length - 1]!.config; }

  /** A new configuration version: the old compressor hands over what it held. */
  reconfigure(versions: TagVersion[], archive: (p: ArchivedSample) => void): void {
    for (const p of this.compressor.flush()) archive(p);
    this.versions = versions;
    this.compressor = createCompressor(this.config);
    this.dirty = true;
  }

  restore(state: PersistedState): void {
    this.lastPushedT = state.lastPushedT ?? -Infinity;
    this.lastArchivedT = state.lastArchivedT ?? -Infinity;
    if (state.compressor !== undefined) this.compressor = restoreCompressor(this.config, state.compressor);
    this.sortBuffer = (state.sortBuffer ?? []).map(([t, value, status]) => ({ t, value, status }));
  }

  snapshot(): PersistedState {
    return {
      compressor: this.compressor.snapshot(),
      lastPushedT: Number.isFinite(this.lastPushedT) ? this.lastPushedT : null,
      lastArchivedT: Number.isFinite(this.lastArchivedT) ? this.lastArchivedT : null,
      sortBuffer: this.sortBuffer.length ? this.sortBuffer.map((s) => [s.t, s.value, s.status]) : undefined,
    };
  }

  /**
   * Archives one point. Discrete and text points become event rows. Analog
   * points after the last archived one extend the open block (a new block
   * when it is full or the volume changes); others are late and merged at
   * the next flush.
   */
  archivePoint(p: ArchivedSample, blockSize: number, locate: (t: number) => VolumeInfo): void {
    this.archived++;
    this.dirty = true;
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
    if (ob === null || p.t >= ob.vol.end || ob.points.length >= blockSize) {
      if (ob !== null) this.sealed.push(ob);
      const vol = ob !== null && p.t < ob.vol.end ? ob.vol : locate(p.t);
      ob = this.open = { vol, points: [], written: 0, segments: [], rewrite: false };
    }
    ob.points.push(p);
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
