/**
 * The writer: takes samples, runs them through the tags' compressors and sorting buffers, and
 * every flush interval writes what changed in one transaction per touched volume, then the
 * tags' counters and state in the catalog. Volumes are committed before the catalog, so after
 * a crash the catalog is never ahead of the data (recovery.ts reconciles the rest).
 *
 * Every flush that writes is one write sequence number (the change feed): each point and event
 * row written carries it, in the same transaction as the data; the catalog's change_head moves
 * to it after the volumes committed. The counters move by what each write changed on disk
 * (a replaced value counts once), recorded in the volume too (flush_delta) for crash recovery.
 */
import { AnalogCompressor } from '../compression/analog.js';
import { LosslessCompressor } from '../compression/lossless.js';
import type { PointSink } from '../compression/types.js';
import { isBad } from '../status.js';
import { type ArchivedSample, Flag, type Sample, type TagConfig, type TagVersion } from '../types.js';
import { Catalog, type VolumeInfo } from './catalog.js';
import { mergeIntoVolume, mergeSorted, sortUnique } from './merge.js';
import { settleDecided, settleWith } from './raw-window.js';
import type { VolumePeriod } from './periods.js';
import { counterRow, lastPointOf, recount, recoverTag, recoverWrites } from './recovery.js';
import type { JournalWrite } from './journal.js';
import { decodeState } from './tag-state.js';
import { inFile } from './connections.js';
import { catalogPath } from './catalog.js';
import { VolumeUnreadableError, catalogError, isDamage } from './unreadable.js';
import { MAX_SEGMENTS, type OpenBlock, TagWriter } from './tag-writer.js';
import { checkConfig, sameConfig, versionAt } from './versions.js';
import { type CountDelta, type StoredPoint, type StoredRun, type VolumeStore, storedRun } from './volume.js';
import { type CycleRate, VolumeSet } from './volumes.js';

export interface WriterOptions {
  /** 'auto': each new volume a month, a week or a day, whichever keeps it under about 1 GiB at the archive's data rate. */
  volumePeriod: VolumePeriod | 'auto';
  flushIntervalMs: number;
  sortWindowMs: number;
  /** Most points in one analog block (blocks are cut sooner by size: tag-writer.ts). */
  blockSize: number;
  /** Most points in a block of slow points (tag-writer.ts SLOW_INTERVAL_MS); default blockSize. */
  slowBlockSize?: number;
  /** Wall clock (ms): the sorting buffer releases values older than now - sortWindowMs. */
  now: () => number;
  /** Where a failed background flush is reported (the data stays queued for the next one). */
  onError: (err: Error) => void;
  /** Segment rows a background flush aims at (SEGMENTS_PER_FLUSH): more tags with new points take turns. */
  segmentsPerFlush?: number;
  /** First blocks cut at a per-tag point (tag-writer.ts staggeredFirstBlock): for live data, not imports. */
  staggerBlocks?: boolean;
}

/** A write into a volume for one tag; returns what it changed in the tag's counters. */
interface Job { tag: TagWriter; run: (store: VolumeStore) => CountDelta | void }
/**
 * A volume's part of a flush: its writes, and what the tags' bookkeeping does once they are
 * committed (`after`) and the samples they write (`samples`: the change log's count). Per volume:
 * a flush whose later volume fails keeps the earlier volumes' commits (settleCommitted).
 */
interface VolumeWork { vol: VolumeInfo; jobs: Job[]; merges: Job[]; journal: JournalWrite[]; after: (() => void)[]; samples: number }

/**
 * A background flush writes about `segmentsPerFlush` segment rows: with more tags than that
 * receiving points, tags take *turns*, one flush in `turns` each (a power of two up to
 * MAX_TURNS, from how many tags have new points), and the other tags' new
 * points go to the volume's journal row, one per flush for all tags. Every flush is durable; a
 * flush of 10,000 live tags writes ~625 segment rows instead of 10,000. Readers see a tag's
 * newest points when its turn comes (at most `turns` flush intervals later); an explicit
 * flush() and publish(tags) write them at once.
 */
export const MAX_TURNS = 16;
export const SEGMENTS_PER_FLUSH = 500;

/** Turns for n tags with new points: the least power of two that brings the rows per flush to `perFlush` or fewer, at most MAX_TURNS. */
export function turnsFor(n: number, perFlush: number): number {
  let turns = 1;
  while (turns < MAX_TURNS && n > turns * perFlush) turns *= 2;
  return turns;
}

/**
 * A volume's journal rows, by the flush that wrote them. A row is deleted MAX_TURNS flushes
 * later: turns are powers of two up to MAX_TURNS, so within any MAX_TURNS flushes in a row every
 * tag had its turn, whatever the turns were meanwhile (a flush whose volume write failed is not
 * counted: its tags' turn was not taken).
 */
interface JournalRows { vol: VolumeInfo; rows: { flush: number; id: number }[] }

export class Writer {
  readonly catalog: Catalog;
  readonly volumes: VolumeSet;
  readonly tags = new Map<string, TagWriter>();
  private timer: NodeJS.Timeout | null = null;
  private readonly locate = (t: number): VolumeInfo => this.volumes.locate(t);
  /** The last write sequence number committed. */
  private head: number;
  /** Flushes so far (whose turn it is: turnsFor). */
  private flushes = 0;
  private readonly journals = new Map<number, JournalRows>();
  /**
   * What volumes committed at sequence number head + 1 that the catalog does not record yet: a
   * flush failed after them (a later volume's write or the catalog's commit, a full disk). The
   * next flush reuses that number and its catalog commit records them too, so the change log and
   * the volumes' max_seq (what the change feed reads) cover every committed row.
   */
  private unrecorded = { samples: 0, vols: new Set<number>(), tags: new Set<TagWriter>() };

  constructor(readonly dir: string, readonly opts: WriterOptions) {
    try {
      this.catalog = new Catalog(dir);
    } catch (err) {
      throw catalogError(catalogPath(dir), err);
    }
    this.volumes = new VolumeSet(dir, this.catalog, opts.volumePeriod, () => this.cycleRate(), opts.now);
    try {
      this.head = this.catalog.changeHead();
      // The volume being written must read: without it nothing of the present period is archived.
      // A past one that does not is passed over where it is needed (VolumeSet.tryRead).
      for (const v of this.volumes.all()) if (v.state === 'attached' && v.end > opts.now()) this.volumes.check(v);
      this.restoreTags();
    } catch (err) {
      this.volumes.closeAll();
      this.catalog.db.close();
      // Volume files are named by VolumeUnreadableError: any other damage is the catalog's.
      throw err instanceof VolumeUnreadableError ? err : catalogError(catalogPath(dir), err);
    }
    if (opts.flushIntervalMs > 0) {
      this.timer = setInterval(() => {
        try { this.flush(false); } catch (err) { opts.onError(err as Error); }
      }, opts.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** The tags from the catalog, their state and open blocks from the volumes (recovered after a crash). */
  private restoreTags(): void {
    const opts = this.opts;
    const states = this.catalog.loadStates();
    const byId = new Map<number, TagWriter>();
    for (const rec of this.catalog.tags()) {
      const tw = new TagWriter(rec.id, rec.name, rec.kind, rec.versions, rec.received, rec.archived + rec.added, rec.added, opts.blockSize, opts.staggerBlocks, opts.slowBlockSize);
      const state = states.get(rec.id);
      if (state !== undefined) {
        try {
          tw.restore(decodeState(state));
        } catch (err) {
          throw new Error(`${this.catalog.db.name}: tag '${rec.name}': state: ${(err as Error).message}`);
        }
        tw.stateSaved = true;
      }
      this.tags.set(rec.name, tw);
      byId.set(rec.id, tw);
    }
    const wasClean = this.catalog.wasClean();
    if (!wasClean) this.head = recoverWrites(this.volumes, this.catalog, this.head, byId, opts.now());
    if (this.catalog.migrated) recount(this.volumes, this.catalog, byId);
    for (const tw of this.tags.values()) recoverTag(this.volumes, tw);
    // A normal close empties every journal (its flush writes all tags): only a crash leaves rows to replay.
    const replayed = !wasClean && this.replayJournals(byId);
    for (const tw of this.tags.values()) if (!states.has(tw.id)) tw.rest(() => lastPointOf(this.volumes, tw.id));
    this.catalog.setClean(false);
    if (replayed) this.flush();
  }

  tag(name: string): TagWriter {
    const tw = this.tags.get(name);
    if (!tw) throw new Error(`tag '${name}': not defined`);
    return tw;
  }

  /** Samples a day the defined tags' acquisition cycles promise (what an 'auto' period and a volume's page size start from). */
  private cycleRate(): CycleRate {
    let samplesPerDay = 0, losslessSamplesPerDay = 0, tags = 0;
    for (const tw of this.tags.values()) {
      if (tw.config.cycleMs > 0) {
        samplesPerDay += 86_400_000 / tw.config.cycleMs;
        if (tw.config.compression.kind === 'none') losslessSamplesPerDay += 86_400_000 / tw.config.cycleMs;
        tags++;
      }
    }
    return { samplesPerDay, tags, losslessSamplesPerDay };
  }

  /** A new tag, or a new version when the config changed; an identical config changes nothing. */
  defineTag(config: TagConfig, validFrom: number = this.opts.now()): TagVersion {
    checkConfig(config);
    const tw = this.tags.get(config.name);
    if (!tw) {
      const v = this.catalog.createTag(config, validFrom);
      this.tags.set(config.name, new TagWriter(v.tagId, config.name, config.kind, [v], 0, 0, 0, this.opts.blockSize, this.opts.staggerBlocks, this.opts.slowBlockSize));
      return v;
    }
    const current = tw.versions[tw.versions.length - 1]!;
    if (sameConfig(current.config, config)) return current;
    if (config.kind !== tw.kind) throw new Error(`tag '${config.name}': kind: cannot change from ${tw.kind} to ${config.kind}; define a new tag`);
    if (validFrom <= current.validFrom) {
      throw new Error(`tag '${config.name}': validFrom ${new Date(validFrom).toISOString()} must be after the current version's ` +
        `(${new Date(current.validFrom).toISOString()})`);
    }
    const next = this.catalog.addVersion(current, config, validFrom);
    const versions = [...tw.versions.slice(0, -1), { ...current, validTo: validFrom }, next];
    tw.reconfigure(versions, (p) => tw.archivePoint(p, this.locate));
    return next;
  }

  /**
   * defineTag for many configs in one catalog transaction (one commit, not one per tag): all or
   * none. Checked first, so a bad config changes nothing.
   */
  defineTags(configs: readonly TagConfig[], validFrom: number = this.opts.now()): TagVersion[] {
    for (const c of configs) checkConfig(c);
    const before = new Map(configs.map((c) => {
      const tw = this.tags.get(c.name);
      return [c.name, tw && { tw, versions: tw.versions }];
    }));
    try {
      return this.catalog.db.transaction(() => configs.map((c) => this.defineTag(c, validFrom)))();
    } catch (err) {
      this.catalog.reloadConfigIds(); // configurations the rolled-back transaction added are gone
      for (const [name, was] of before) {
        if (!was) {
          this.tags.delete(name);
          continue;
        }
        this.tags.set(name, was.tw);
        // A new version its catalog row did not keep: back to the versions the catalog has (the
        // compressor, started afresh for it, starts afresh again; what it held was archived).
        if (was.tw.versions !== was.versions) was.tw.reconfigure(was.versions, (p) => was.tw.archivePoint(p, this.locate));
      }
      throw err;
    }
  }

  /** The sampling interval the tag's server granted (TagWriter.grant); a tag not defined is refused. */
  grant(name: string, samplingMs: number): void {
    this.tag(name).grant(samplingMs);
  }

  /**
   * In-order samples through the tag's compressor; one at or before the newest pushed is archived
   * as given (TagWriter.archiveLate). `cyclic` false: no HIST cyclic records (an import: a file
   * does not say whether the value held over a gap).
   */
  append(name: string, samples: readonly Sample[], cyclic = true): void {
    const tw = this.tag(name);
    tw.dirty = true;
    if (tw.kind !== 'analog') {
      for (let i = 0; i < samples.length; i++) tw.buffer(checked(tw.name, tw.kind, samples[i]!, i));
      tw.received += samples.length;
      return;
    }
    const comp = tw.compressor;
    const compressed = tw.config.compression.kind !== 'none';
    // A lossless tag's points go to the columns as numbers: no object per sample; a compressed
    // tag's too (no copy of each point it archives).
    const lossless = comp instanceof LosslessCompressor ? comp : null;
    const analog = comp instanceof AnalogCompressor ? comp : null;
    // Made only where used: a closure per append is not free (under tsx, esbuild names each one).
    const sink: PointSink | null = (lossless || analog) && ((t, value, status, flags) => tw.archiveAnalog(t, value, status, flags, this.locate));
    for (let i = 0; i < samples.length; i++) {
      let s = samples[i]!;
      const v = s.value;
      if (typeof v !== 'number' || !Number.isInteger(s.t) || s.status >>> 0 !== s.status || v - v !== 0) s = checked(tw.name, tw.kind, s, i);
      tw.received++;
      if (s.t <= tw.lastPushedT) {
        // Behind the compressor: archived as given (late when behind the archive too).
        this.locate(s.t);
        tw.archiveLate({ t: s.t, value: s.value, status: s.status, flags: 0 }, (p) => tw.archivePoint(p, this.locate));
        continue;
      }
      tw.lastPushedT = s.t;
      if (lossless !== null && sink !== null) {
        lossless.pushTo(s, sink, cyclic);
        continue;
      }
      if (compressed) tw.keepRaw(s, this.locate);
      if (analog !== null && sink !== null) {
        analog.pushTo(s, sink, cyclic);
        continue;
      }
      const out = comp.push(s, cyclic);
      for (let k = 0; k < out.length; k++) tw.archivePoint(out[k]!, this.locate);
    }
  }

  /**
   * Late or out-of-order samples, archived as given (no compression): for one time the last one
   * received wins, also over what the compressor holds or the sorting buffer waits with
   * (TagWriter.archiveLate, dropBuffered).
   */
  insert(name: string, samples: readonly (Sample | ArchivedSample)[]): void {
    const tw = this.tag(name);
    const points = samples.map((s, i) => {
      const c = checked(tw.name, tw.kind, s, i);
      this.locate(c.t); // refuses times in a detached volume now, not at the flush
      return { t: c.t, value: c.value, status: c.status, flags: 'flags' in s ? s.flags & 0xff : 0 };
    });
    tw.received += points.length;
    tw.dirty = true;
    const sorted = sortUnique(points);
    if (tw.kind !== 'analog') tw.dropBuffered(new Set(sorted.map((p) => p.t)));
    const archive = (p: ArchivedSample) => tw.archivePoint(p, this.locate);
    for (const p of sorted) tw.archiveLate(p, archive);
  }

  /**
   * Writes everything received so far (but what the sorting buffers and compressors still hold),
   * durably. `all` false (the timer's flushes): the open blocks of tags whose turn it is not go
   * to the journal, not to their segments (turnsFor); `publish`: tags written whatever their turn.
   */
  flush(all = true, publish?: ReadonlySet<TagWriter>): void {
    const seq = this.head + 1;
    const turn = ++this.flushes;
    const horizon = this.opts.now() - this.opts.sortWindowMs;
    const work = new Map<number, VolumeWork>();
    const at = (vol: VolumeInfo): VolumeWork => {
      let e = work.get(vol.id);
      if (!e) work.set(vol.id, (e = { vol, jobs: [], merges: [], journal: [], after: [], samples: 0 }));
      return e;
    };
    const dirty: TagWriter[] = [];
    let live = 0; // tags with new open-block points
    for (const tw of this.tags.values()) if (tw.open && (tw.open.tail.length > 0 || tw.open.rewrite)) live++;
    const turns = turnsFor(live, this.opts.segmentsPerFlush ?? SEGMENTS_PER_FLUSH);
    for (const tw of this.tags.values()) {
      if (tw.kind !== 'analog') tw.releaseEvents(horizon, (p) => tw.archivePoint(p, this.locate));
      if (!tw.dirty) continue;
      dirty.push(tw);
      const id = tw.id;
      for (const e of tw.events) {
        e.seq = seq;
        const w = at(this.locate(e.t));
        w.samples++;
        w.jobs.push({ tag: tw, run: (s) => s.putEvent(id, e.t, e.value, e.status, e.flags, seq) });
      }
      for (const p of tw.late) p.seq = seq;
      if (tw.late.length) this.planLate(tw, at);
      for (const b of tw.sealed) {
        // Its new points are stamped and counted as the block is written: once, also when the
        // raw window has it stored as its samples (all of them then this write's).
        const stepped = this.steppedAt(tw, b.tStart);
        const w = at(b.vol);
        w.jobs.push({ tag: tw, run: (s) => {
          const whole = wholeBlock(s, id, b, seq);
          w.samples += whole.stamped;
          const gone = s.deleteSegments(id);
          const put = s.putBlock(id, whole.run, stepped);
          // A compressed tag's blocks are sized as its lossless blocks would be (raw-window.ts).
          if (b.lossless) tw.learnBlockSize(b.lossless.n, b.lossless.bytes);
          else tw.learnBlockSize(whole.run.cols.length, s.lastBlockBytes);
          return { samples: gone.samples + put.samples, added: gone.added + put.added };
        } });
      }
      const open = tw.open;
      if (open && (open.rewrite || open.tail.length > 0)) {
        if (all || open.rewrite || open.segments >= MAX_SEGMENTS || (turn + id) % turns === 0 || publish?.has(tw)) {
          this.planOpen(tw, open, at(open.vol), seq);
        } else if (open.tail.length > open.journaled) {
          const n = open.tail.length;
          at(open.vol).journal.push({ tagId: id, cols: open.tail.view(open.journaled) });
          at(open.vol).after.push(() => (open.journaled = n));
        }
      }
    }
    const planned = [...work.values()];
    const committed = new Set<number>(); // volumes whose transaction committed in this flush
    const expired = this.expiredJournals(all, turn);
    for (const { vol } of expired.values()) at(vol);
    // A volume found unreadable here takes none of its work (it never will): the others are
    // written and committed, then the flush fails naming it.
    let unreadable: VolumeUnreadableError | null = null;
    for (const w of work.values()) {
      const { vol, jobs, merges, journal } = w;
      let store: VolumeStore;
      try {
        store = this.volumes.store(vol);
      } catch (err) {
        if (!isDamage(err)) {
          this.settleCommitted(planned, committed, dirty); // the volumes before it stay written
          throw err;
        }
        unreadable ??= this.volumes.markUnreadable(vol, err);
        work.delete(vol.id);
        continue;
      }
      const deltas = new Map<TagWriter, CountDelta>();
      const drop = expired.get(vol.id)?.upTo ?? 0;
      let journalId = 0;
      try {
        store.db.transaction(() => {
          for (const job of [...jobs, ...merges]) {
            const d = job.run(store);
            if (!d) continue;
            const acc = deltas.get(job.tag) ?? { samples: 0, added: 0 };
            acc.samples += d.samples;
            acc.added += d.added;
            deltas.set(job.tag, acc);
          }
          if (jobs.length || merges.length) {
            store.putDeltas(seq, [...deltas].map(([tw, d]) => ({ tagId: tw.id, received: tw.received - tw.savedReceived, ...d })));
          }
          if (journal.length) journalId = store.putJournal(journal);
          if (drop) store.dropJournal(drop);
        })();
      } catch (err) {
        if (!isDamage(err)) {
          // Not a turn taken (a full disk): the tags whose turn it was take it at the next flush.
          // Counted, their journal rows would expire (expiredJournals) before their points are
          // in a segment, and a crash then would lose them.
          this.flushes = turn - 1;
          // The volumes committed before this one are written: not again by the next flush.
          this.settleCommitted(planned, committed, dirty);
          throw inFile(store.file, err);
        }
        unreadable ??= this.volumes.markUnreadable(vol, err);
        work.delete(vol.id);
        continue;
      }
      this.noteJournal(vol, turn, journalId, drop);
      committed.add(vol.id);
      if (jobs.length || merges.length) {
        this.unrecorded.vols.add(vol.id);
        this.unrecorded.samples += w.samples; // the sealed blocks' counted as they were written
        for (const job of [...jobs, ...merges]) this.unrecorded.tags.add(job.tag);
      }
      for (const [tw, d] of deltas) {
        tw.stored += d.samples;
        tw.added += d.added;
        tw.savedReceived = tw.received; // the flush_delta rows of this volume carry what it had received
      }
    }
    for (const w of planned) for (const fn of w.after) fn();
    for (const tw of dirty) {
      tw.sealed = [];
      tw.late = [];
      tw.events = [];
    }
    if (dirty.length) {
      const { samples, vols, tags } = this.unrecorded;
      const { rows, saved } = this.catalogRows(dirty, tags);
      if (vols.size > 0) {
        this.catalog.commitWrite(seq, samples, vols, this.opts.now(), rows);
        this.head = seq;
        this.unrecorded = { samples: 0, vols: new Set(), tags: new Set() };
      } else if (rows.length) this.catalog.saveTags(rows);
      rows.forEach((row, i) => {
        saved[i]!.stateSaved = row.state !== null;
        saved[i]!.savedReceived = saved[i]!.received;
      });
      for (const tw of dirty) {
        tw.dirty = tw.open !== null && tw.open.tail.length > 0; // journaled only: its turn is to come
      }
    }
    if (unreadable) throw unreadable;
  }

  /**
   * A flush failed after `committed` volumes' transactions: what they wrote is taken off the tags
   * (the open blocks' bookkeeping done, the sealed blocks, late points and events bound for them
   * dropped), as a flush that succeeds does for all. Left queued, they were written again by the
   * next flush: a sealed block read back from segments its commit had deleted, stored twice.
   */
  private settleCommitted(planned: VolumeWork[], committed: Set<number>, dirty: TagWriter[]): void {
    if (committed.size === 0) return;
    for (const w of planned) if (committed.has(w.vol.id)) for (const fn of w.after) fn();
    for (const tw of dirty) {
      tw.sealed = tw.sealed.filter((b) => !committed.has(b.vol.id));
      tw.events = tw.events.filter((e) => !committed.has(this.locate(e.t).id)); // where flush() put it
    }
  }

  /**
   * The catalog rows a flush saves: tags it wrote to a volume, and tags whose state is not at
   * rest (or was not at the last save). A tag whose new points only went to the journal and whose
   * compressor is at rest has nothing the catalog needs before its turn.
   */
  private catalogRows(dirty: TagWriter[], wrote: Set<TagWriter>) {
    const rows: ReturnType<typeof counterRow>[] = [];
    const saved: TagWriter[] = [];
    for (const tw of dirty) {
      const row = counterRow(tw);
      if (!wrote.has(tw) && row.state === null && !tw.stateSaved) continue;
      rows.push(row);
      saved.push(tw);
    }
    return { rows, saved };
  }

  /** Journal rows to delete in this flush, per volume: all of them in a flush that writes every tag, else those MAX_TURNS flushes old. */
  private expiredJournals(all: boolean, turn: number): Map<number, { vol: VolumeInfo; upTo: number }> {
    const out = new Map<number, { vol: VolumeInfo; upTo: number }>();
    for (const [volId, j] of this.journals) {
      let upTo = 0;
      for (const r of j.rows) if (all || r.flush <= turn - MAX_TURNS) upTo = Math.max(upTo, r.id);
      if (upTo) out.set(volId, { vol: j.vol, upTo });
    }
    return out;
  }

  /** After a volume's commit: the journal row it wrote, and those it deleted. */
  private noteJournal(vol: VolumeInfo, turn: number, id: number, dropped: number): void {
    let j = this.journals.get(vol.id);
    if (!j) {
      if (!id) return;
      this.journals.set(vol.id, (j = { vol, rows: [] }));
    }
    if (dropped) j.rows = j.rows.filter((r) => r.id > dropped);
    if (id) j.rows.push({ flush: turn, id });
    if (j.rows.length === 0) this.journals.delete(vol.id);
  }

  /**
   * After a crash: the journals' points the segments do not hold yet are archived again (they
   * are written by the flush that follows the open). True when any journal row was found.
   */
  private replayJournals(byId: Map<number, TagWriter>): boolean {
    let found = false;
    const replayed = new Map<TagWriter, number>(); // values (not added records) archived again, per tag
    for (const vol of this.volumes.all()) {
      if (vol.state !== 'attached') continue;
      const journal = this.volumes.tryRead(vol, (s) => s.journal());
      if (!journal || journal.last === 0) continue;
      const { entries, last } = journal;
      found = true;
      this.journals.set(vol.id, { vol, rows: [{ flush: 0, id: last }] });
      for (const e of entries) {
        const tw = byId.get(e.tagId);
        if (!tw || tw.kind !== 'analog') continue;
        for (const p of e.points) {
          if (p.t <= tw.lastArchivedT) continue;
          tw.archivePoint({ t: p.t, value: p.value, status: p.status, flags: p.flags }, this.locate);
          if (!(p.flags & Flag.Cyclic)) replayed.set(tw, (replayed.get(tw) ?? 0) + 1);
        }
      }
    }
    // A tag at rest whose points only went to the journal had its received count saved by no
    // flush (catalogRows): it received at least the values it archives.
    for (const [tw, values] of replayed) tw.received = Math.max(tw.received, tw.stored - tw.added + values);
    return found;
  }

  /** A flush that writes the named tags' newest points to their segments, whatever their turn: a reader about to read them sees all they received. */
  publish(names: Iterable<string>): void {
    const tags = new Set<TagWriter>();
    for (const name of names) {
      const tw = this.tags.get(name);
      if (tw?.open && tw.open.tail.length > 0) tags.add(tw);
    }
    if (tags.size) this.flush(false, tags);
  }

  /** The sequence number the next write gets (volume import stamps its rows with it, then commitExternal). */
  nextSeq(): number { return this.head + 1; }

  /** Records a write done outside flush (a volume import) as the next sequence number. */
  commitExternal(seq: number, samples: number, volumeId: number): void {
    if (seq !== this.head + 1) throw new Error(`write sequence ${seq}: expected ${this.head + 1}`);
    this.catalog.commitWrite(seq, samples, [volumeId], this.opts.now(), [...this.tags.values()].map(counterRow));
    this.head = seq;
  }

  /**
   * The open block's new points as a segment; all of it as one when a late point changed it;
   * and its newest segments merged into one, size-tiered (mergeFrom), the new points kept
   * apart (no row mixes points a change-feed reader has seen with new ones), so a block written a
   * point per flush re-encodes each point about log8(n) + 1 times and readers see ~30 segments
   * at most. (Writing the whole block again every MAX_SEGMENTS flushes, as before, costs
   * O(n^2): 136 encodes per point for a block of 4096 points at one point per flush.)
   */
  private planOpen(tw: TagWriter, open: OpenBlock, w: VolumeWork, seq: number): void {
    const id = tw.id;
    const stepped = this.steppedAt(tw, open.tStart);
    const part = open.tail;
    if (open.rewrite || open.segs.length === 0) {
      let count = open.count, tStart = open.tStart;
      w.jobs.push({ tag: tw, run: (s) => {
        const whole = wholeBlock(s, id, open, seq);
        w.samples += whole.stamped;
        count = whole.run.cols.length;
        tStart = whole.run.cols.t[0]!;
        const gone = s.deleteSegments(id);
        const put = s.putSegment(id, whole.run, stepped);
        return { samples: gone.samples + put.samples, added: gone.added + put.added };
      } });
      w.after.push(() => {
        open.tail.clear();
        Object.assign(open, { segments: 1, segs: [{ t: tStart, n: count }], count, journaled: 0, late: [], raw: null, rewrite: false, quick: false });
      });
      return;
    }
    const merge = mergeFrom(open.segs.map((x) => x.n).concat(part.length));
    // A block that a few more parts like this one fill is read back and written whole when sealed:
    // merging its segments now would decode and encode them once more for nothing (the plant's
    // blocks of ~620 points in parts of 60 merged at the 8th part, two parts before their seal).
    const partsLeft = Math.ceil((tw.blockLimit(open.count, open.tStart, open.tLast) - open.count) / Math.max(1, part.length));
    const sealsSoon = partsLeft <= MERGE_FAN_IN && open.segs.length + 1 + partsLeft < MAX_SEGMENTS;
    if (merge < open.segs.length && !sealsSoon) {
      // The older segments become one; the new points are appended below as their own, so the
      // merged row keeps only sequence numbers a change-feed reader has seen (not decoded again).
      // Without the entropy stage, as the appended ones: the block is written whole with it when
      // it is sealed or the writer closes (the entropy trials were most of a 10,000-tag flush's encoding).
      const from = open.segs[merge]!.t;
      let n = 0;
      w.jobs.push({ tag: tw, run: (s) => {
        const run = s.segmentRunFrom(id, from);
        n = run.cols.length;
        const gone = s.deleteSegmentsFrom(id, from);
        const put = s.putSegment(id, run, stepped, true);
        return { samples: gone.samples + put.samples, added: gone.added + put.added };
      } });
      w.after.push(() => void open.segs.splice(merge, open.segs.length - merge, { t: from, n }));
    }
    w.samples += part.length;
    w.jobs.push({ tag: tw, run: (s) => s.putSegment(id, part.run(seq), stepped, true) });
    w.after.push(() => {
      open.segs.push({ t: part.t[0]!, n: part.length });
      open.segments = open.segs.length;
      open.quick = true;
      open.tail.clear();
      open.journaled = 0;
    });
  }

  /** Late analog points: into the open block when they fall in it (merged when it is next written whole), else merged per volume. */
  private planLate(tw: TagWriter, at: (vol: VolumeInfo) => VolumeWork): void {
    const late = sortUnique(tw.late);
    const open = tw.open;
    const openStart = open ? open.tStart : Infinity;
    const byVol = new Map<VolumeInfo, StoredPoint[]>();
    const inOpen = new Set<number>();
    for (const p of late) {
      if (p.t >= openStart) {
        open!.late.push(p);
        open!.rewrite = true;
        inOpen.add(p.t);
        continue;
      }
      const vol = this.locate(p.t);
      const list = byVol.get(vol);
      if (list) list.push(p); else byVol.set(vol, [p]);
    }
    // Once their volume committed, the points are off the queue (a flush failing at a later volume keeps the rest).
    const written = (w: VolumeWork, times: Set<number>) => {
      w.samples += times.size;
      w.after.push(() => void (tw.late = tw.late.filter((p) => !times.has(p.t))));
    };
    if (inOpen.size) written(at(open!.vol), inOpen);
    for (const [vol, points] of byVol) {
      written(at(vol), new Set(points.map((p) => p.t)));
      const stepped = this.steppedAt(tw, points[0]!.t);
      // Cut as the tag's appended blocks are (blockLimit: past blockSize for slow points), not at a fixed blockSize.
      at(vol).merges.push({ tag: tw, run: (s) => mergeIntoVolume(s, tw.id, points, (n, t0, t1) => tw.mergedBlockLimit(n, t0, t1), stepped) });
    }
  }

  private steppedAt(tw: TagWriter, t: number): boolean {
    return versionAt(tw.versions, t)!.config.stepped;
  }

  /** Shutdown: compressors hand over their held points, sorting buffers empty, all is written. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const tw of this.tags.values()) {
      const archive = (p: ArchivedSample) => tw.archivePoint(p, this.locate);
      if (tw.sortBuffer.length) tw.releaseEvents(Infinity, archive);
      if (tw.awake) for (const p of tw.compressor.flush()) archive(p);
      tw.settleOpen();
    }
    try {
      this.flush();
    } catch (err) {
      // What was bound for an unreadable volume is lost either way: the rest is closed cleanly.
      if (!isDamage(err)) throw err;
      this.opts.onError(err as Error);
    }
    this.volumes.closeAll(true);
    this.catalog.setClean(true);
    this.catalog.close();
  }
}

/**
 * With `sizes` the open block's segments and the new one (points each): the first segment to
 * merge with those after it into one (0: all of it; sizes.length - 1: none, the new one is
 * appended). Size-tiered, fan-in MERGE_FAN_IN: a segment's tier is log8 of its points; when the
 * trailing segments of tier t or lower number MERGE_FAN_IN (lowest t first) they become one,
 * which may complete a run of a higher tier too. A block written a point per flush re-encodes each point about
 * log8(n) + 1 times and has at most ~7 segments per tier (~30 for 4096 points).
 */
export function mergeFrom(sizes: readonly number[]): number {
  const tier = (n: number) => Math.floor(Math.log2(Math.max(1, n)) / 3);
  const merged = sizes.slice();
  let from = sizes.length - 1;
  for (;;) {
    // The lowest tier t with MERGE_FAN_IN segments of tier t in the trailing run of tiers <= t.
    let j = -1;
    for (let t = 0, k = merged.length - 1; k >= 0 && j < 0; t++) {
      let count = 0;
      let i = merged.length - 1;
      while (i >= 0 && tier(merged[i]!) <= t) {
        if (tier(merged[i]!) === t) count++;
        i--;
      }
      if (count >= MERGE_FAN_IN) j = i + 1;
      k = i;
    }
    if (j < 0) return from;
    const n = merged.splice(j).reduce((a, b) => a + b, 0);
    merged.push(n);
    from = Math.min(from, j);
  }
}
const MERGE_FAN_IN = 8;

/** Gives points not written yet their sequence number; returns how many. */
function stamp(points: StoredPoint[], seq: number): number {
  let n = 0;
  for (const p of points) {
    if (p.seq === undefined) {
      p.seq = seq;
      n++;
    }
  }
  return n;
}

/**
 * A block's points for writing it whole: its segments in `store` (read back: memory holds only
 * the tail), its tail, the late points that fell in it, and when it has its raw span, the raw
 * samples instead where they encode shorter. Points new to the archive get `seq` (`stamped`).
 * Without late points or a raw span (a lossless tag's seal: the common case) the segments are
 * read back as columns, not as an object per point.
 */
function wholeBlock(store: VolumeStore, tagId: number, b: OpenBlock, seq: number): { run: StoredRun; stamped: number } {
  if (b.late.length === 0 && b.raw === null) {
    const tail = b.tail.run(seq); // the tail: points not written yet, all of them this write's
    return { run: b.segments > 0 ? store.segmentRun(tagId, tail) : tail, stamped: b.tail.length };
  }
  let points = b.segments > 0 ? store.segmentPoints(tagId).concat(b.tail.points()) : b.tail.points();
  if (b.late.length) points = mergeSorted(points, sortUnique(b.late));
  if (b.raw) {
    // A block decide() sealed was weighed already, on these very points unless late ones came.
    const settled = b.lossless && b.late.length === 0 ? settleDecided(points, b.raw, b.lossless) : settleWith(points, b.raw);
    // Stored as its samples, the block comes back as new points without sequence numbers: all of
    // it is this write (one sequence number, no runs to store; the change feed sends the block
    // once more, as it now is).
    points = settled;
  }
  const stamped = stamp(points, seq);
  return { run: storedRun(points), stamped };
}

/** A copy of the sample with t truncated to ms, or an error naming the tag, the index and what was expected. */
function checked(tag: string, kind: string, s: Sample, i: number): Sample {
  if (typeof s?.t !== 'number' || !Number.isFinite(s.t)) throw sampleError(tag, i, `t: expected ms since epoch, got ${String(s?.t)}`);
  const ok = kind === 'analog' ? typeof s.value === 'number'
    : kind === 'text' ? typeof s.value === 'string'
      : typeof s.value === 'boolean' || typeof s.value === 'number';
  if (!ok) throw sampleError(tag, i, `value: expected a ${kind === 'analog' ? 'number' : kind === 'text' ? 'string' : 'boolean or number'}, got ${typeof s.value}`);
  // A StatusCode is a UInt32; a signed 32-bit integer (0x80000000 | 0) is the same code. Anything
  // else is no status: truncating it would archive a code the source never sent.
  const st = s.status;
  if (typeof st !== 'number' || !Number.isInteger(st) || st < -0x80000000 || st > 0xffffffff) {
    throw sampleError(tag, i, `status: expected a StatusCode (uint32), got ${typeof st === 'number' ? st : typeof st}`);
  }
  // NaN or ±Infinity is no value: archived only as what a Bad sample holds, never as a Good or Uncertain value.
  if (typeof s.value === 'number' && !Number.isFinite(s.value) && !isBad(s.status >>> 0)) {
    throw sampleError(tag, i, `value: expected a finite number with a Good or Uncertain status (a sample without a value needs a Bad status), got ${s.value}`);
  }
  return { t: Math.floor(s.t), value: s.value, status: s.status >>> 0 };
}

/** The error of checked(), its text built only then: every discrete sample is checked, most pass. */
const sampleError = (tag: string, i: number, what: string): Error => new Error(`tag '${tag}': sample ${i}: ${what}`);
