/**
 * The volume files under <dir>/volumes/ and their catalog rows: which volume
 * holds a time, creation on first write (its period chosen by the data rate
 * when the archive's period is 'auto'), and the writer's open connections.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, VolumeInfo } from './catalog.js';
import { type VolumePeriod, periodOf, volumeFileName } from './periods.js';
import { VolumeStore } from './volume.js';

/** Writer connections kept open at once; the oldest used is closed beyond this. */
const MAX_OPEN = 16;
/** An 'auto' volume aims at no more than this many bytes. */
const AUTO_VOLUME_BYTES = 1 << 30;
/** Bytes per sample assumed before the archive shows its own (lossless process data: storage README). */
const ASSUMED_BYTES_PER_SAMPLE = 1.5;
const DAY = 86_400_000;

export class VolumeSet {
  readonly folder: string;
  private list: VolumeInfo[];
  private readonly open = new Map<number, VolumeStore>();

  constructor(dir: string, private readonly catalog: Catalog, private readonly period: VolumePeriod | 'auto',
    private readonly samplesPerDay: () => number = () => 0) {
    this.folder = join(dir, 'volumes');
    mkdirSync(this.folder, { recursive: true });
    this.list = catalog.volumes();
  }

  all(): readonly VolumeInfo[] { return this.list; }
  byId(id: number): VolumeInfo {
    const v = this.list.find((x) => x.id === id);
    if (!v) throw new Error(`volume ${id}: no such volume`);
    return v;
  }
  path(v: VolumeInfo): string { return join(this.folder, v.file); }
  reload(): void { this.list = this.catalog.volumes(); }

  /** The volume that holds t, created (clipped to its neighbours) when there is none; throws when detached. */
  locate(t: number): VolumeInfo {
    let lo = 0, hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.list[mid]!;
      if (t < v.start) hi = mid - 1;
      else if (t >= v.end) lo = mid + 1;
      else {
        if (v.state !== 'attached') {
          throw new Error(`volume ${v.file} (${new Date(v.start).toISOString()}) is ${v.state}: cannot archive a value at ${new Date(t).toISOString()}`);
        }
        return v;
      }
    }
    const period = this.period === 'auto' ? this.autoPeriod() : this.period;
    const p = periodOf(period, t);
    const prev = this.list[lo - 1], next = this.list[lo];
    const start = Math.max(p.start, prev?.end ?? -Infinity);
    const end = Math.min(p.end, next?.start ?? Infinity);
    // The file first, complete, then its catalog row: a reader never finds a listed volume half made.
    const file = volumeFileName(period, start);
    new VolumeStore(join(this.folder, file), { period, start, end }).close();
    const info = this.catalog.addVolume(file, period, start, end, 'attached');
    this.list.splice(lo, 0, info);
    return info;
  }

  /**
   * The longest period whose volume stays under AUTO_VOLUME_BYTES at the archive's data rate:
   * the bytes per day of the newest attached volume (its file over its period), or what the
   * tags' acquisition cycles promise. A month for slow or few tags (a 3-minute tag would
   * otherwise start a block of 480 samples every day), a day for a large fast plant.
   */
  private autoPeriod(): VolumePeriod {
    let perDay = this.samplesPerDay() * ASSUMED_BYTES_PER_SAMPLE;
    const newest = [...this.list].reverse().find((v) => v.state === 'attached' && existsSync(this.path(v)));
    if (newest) perDay = Math.max(perDay, statSync(this.path(newest)).size / Math.max(1, (newest.end - newest.start) / DAY));
    if (perDay * 31 <= AUTO_VOLUME_BYTES) return 'month';
    return perDay * 7 <= AUTO_VOLUME_BYTES ? 'week' : 'day';
  }

  /** The writer's connection to a volume, opened on demand; a listed volume's file must exist. */
  store(v: VolumeInfo, create = false): VolumeStore {
    let s = this.open.get(v.id);
    if (s) {
      this.open.delete(v.id); // re-insert: the Map's order is the use order
      this.open.set(v.id, s);
      return s;
    }
    const file = this.path(v);
    if (!create && !existsSync(file)) throw new Error(`volume ${v.file}: file ${file} is missing (listed in the catalog as ${v.state})`);
    s = new VolumeStore(file, { period: v.period, start: v.start, end: v.end });
    this.open.set(v.id, s);
    if (this.open.size > MAX_OPEN) {
      const [oldId, oldest] = this.open.entries().next().value as [number, VolumeStore];
      this.open.delete(oldId);
      oldest.close();
    }
    return s;
  }

  /** Closes the writer's connection (before a detach, export or drop). */
  release(id: number): void {
    const s = this.open.get(id);
    if (s) {
      this.open.delete(id);
      s.close();
    }
  }

  /**
   * `clean`: the catalog committed everything: the counter deltas kept for crash recovery can go
   * (a page or more per volume), and the open blocks' segments are packed into full pages.
   */
  closeAll(clean = false): void {
    for (const s of this.open.values()) {
      if (clean) {
        s.clearDeltas();
        s.packSegments();
      }
      s.close();
    }
    this.open.clear();
  }
}
