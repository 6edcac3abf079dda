/**
 * catalog.sqlite: tags, their configuration versions and counters, the
 * writer's per-tag state, and the list of volumes.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { TagConfig, TagKind, TagVersion } from '../types.js';
import type { VolumePeriod } from './periods.js';
import {
  CATALOG_DDL, CATALOG_FEED_DDL, CATALOG_FORMAT, OLD_CATALOG_FORMATS, closeWritable, migrateCatalog, openReadOnly, openWritable, readMeta,
} from './schema.js';

export interface TagRecord {
  id: number;
  name: string;
  kind: TagKind;
  received: number;
  archived: number;
  versions: TagVersion[];
}

export type VolumeState = 'attached' | 'detached';

export interface VolumeInfo {
  id: number;
  /** File name under <dir>/volumes/. */
  file: string;
  period: VolumePeriod;
  /** Period covered, [start, end) ms UTC. */
  start: number;
  end: number;
  state: VolumeState;
}

interface VolumeRow { id: number; file: string; period: VolumePeriod; t_start: number; t_end: number; state: VolumeState }
const toVolume = (r: VolumeRow): VolumeInfo => ({ id: r.id, file: r.file, period: r.period, start: r.t_start, end: r.t_end, state: r.state });

export const catalogPath = (dir: string): string => join(dir, 'catalog.sqlite');

/** A change log row covers this much wall-clock time of flushes at most: writtenAt is exact to it. */
export const LOG_GRAIN_MS = 60_000;

export function openCatalogDb(dir: string, readOnly: boolean): Database.Database {
  if (readOnly) return openReadOnly(catalogPath(dir));
  const db = openWritable(catalogPath(dir));
  // One transaction: a reader opening the catalog meanwhile sees all of it or none.
  db.transaction(() => {
    db.exec(CATALOG_DDL);
    const format = readMeta(db).get('format');
    if (format === undefined) {
      db.exec(CATALOG_FEED_DDL);
      db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('format', CATALOG_FORMAT);
    } else if (OLD_CATALOG_FORMATS.includes(format)) migrateCatalog(db);
    else if (format !== CATALOG_FORMAT) throw new Error(`${catalogPath(dir)}: meta.format: expected ${CATALOG_FORMAT}, got ${format}`);
  })();
  return db;
}

/** Reads tags with their versions (ordered by validFrom). Used by the writer and the readers. */
export function loadTags(db: Database.Database): TagRecord[] {
  const tags = db.prepare(`SELECT id, name, kind, coalesce(s.samples_received, 0) AS received, coalesce(s.samples_archived, 0) AS archived
    FROM tag LEFT JOIN tag_state s ON s.tag_id = tag.id ORDER BY id`).all() as Omit<TagRecord, 'versions'>[];
  const versions = db.prepare('SELECT tag_id, version, valid_from, valid_to, config FROM tag_version ORDER BY tag_id, version')
    .all() as { tag_id: number; version: number; valid_from: number; valid_to: number | null; config: string }[];
  const byId = new Map<number, TagRecord>(tags.map((t) => [t.id, { ...t, versions: [] }]));
  for (const v of versions) {
    byId.get(v.tag_id)?.versions.push({
      tagId: v.tag_id, version: v.version, validFrom: v.valid_from, validTo: v.valid_to, config: JSON.parse(v.config) as TagConfig,
    });
  }
  return [...byId.values()];
}

export function loadVolumes(db: Database.Database): VolumeInfo[] {
  return (db.prepare('SELECT id, file, period, t_start, t_end, state FROM volume ORDER BY t_start').all() as VolumeRow[]).map(toVolume);
}

/**
 * The writer's handle on the catalog. Every change of tags, versions or
 * volumes bumps meta.generation (tag_state writes at each flush do not), so
 * readers reload their lists only then.
 */
export class Catalog {
  readonly db: Database.Database;
  private readonly st;

  constructor(readonly dir: string) {
    this.db = openCatalogDb(dir, false);
    this.st = {
      insertTag: this.db.prepare('INSERT INTO tag(name, kind) VALUES (?, ?)'),
      insertVersion: this.db.prepare('INSERT INTO tag_version(tag_id, version, valid_from, valid_to, config) VALUES (?, ?, ?, NULL, ?)'),
      closeVersion: this.db.prepare('UPDATE tag_version SET valid_to = ? WHERE tag_id = ? AND version = ?'),
      saveState: this.db.prepare('INSERT OR REPLACE INTO tag_state(tag_id, samples_received, samples_archived, state) VALUES (?, ?, ?, ?)'),
      loadStates: this.db.prepare('SELECT tag_id, state FROM tag_state'),
      addVolume: this.db.prepare('INSERT INTO volume(file, period, t_start, t_end, state) VALUES (?, ?, ?, ?, ?)'),
      volumeState: this.db.prepare('UPDATE volume SET state = ? WHERE id = ?'),
      removeVolume: this.db.prepare('DELETE FROM volume WHERE id = ?'),
      gone: this.db.prepare(`INSERT INTO volume_gone(file, t_start, t_end, max_seq, reason, at)
        SELECT file, t_start, t_end, max_seq, ?, ? FROM volume WHERE id = ?`),
      putMeta: this.db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)'),
      dropMeta: this.db.prepare('DELETE FROM meta WHERE key = ?'),
      lastLog: this.db.prepare('SELECT seq, written_at AS writtenAt, samples FROM change_log ORDER BY seq DESC LIMIT 1'),
      putLog: this.db.prepare('INSERT INTO change_log(seq, written_at, samples) VALUES (?, ?, ?)'),
      extendLog: this.db.prepare('UPDATE change_log SET seq = ?, samples = samples + ? WHERE seq = ?'),
      volumeSeq: this.db.prepare('UPDATE volume SET max_seq = max(max_seq, ?) WHERE id = ?'),
      bump: this.db.prepare(`INSERT INTO meta(key, value) VALUES ('generation', '1')
        ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`),
    };
  }

  tags(): TagRecord[] { return loadTags(this.db); }
  volumes(): VolumeInfo[] { return loadVolumes(this.db); }

  /** Creates a tag with its first version; returns the version. */
  createTag(config: TagConfig, validFrom: number): TagVersion {
    return this.db.transaction(() => {
      const id = Number(this.st.insertTag.run(config.name, config.kind).lastInsertRowid);
      this.st.insertVersion.run(id, 1, validFrom, JSON.stringify(config));
      this.st.bump.run();
      return { tagId: id, version: 1, validFrom, validTo: null, config };
    })();
  }

  /** Closes `previous` at validFrom and opens the next version there. */
  addVersion(previous: TagVersion, config: TagConfig, validFrom: number): TagVersion {
    return this.db.transaction(() => {
      this.st.closeVersion.run(validFrom, previous.tagId, previous.version);
      this.st.insertVersion.run(previous.tagId, previous.version + 1, validFrom, JSON.stringify(config));
      this.st.bump.run();
      return { tagId: previous.tagId, version: previous.version + 1, validFrom, validTo: null, config };
    })();
  }

  loadStates(): Map<number, string> {
    const rows = this.st.loadStates.all() as { tag_id: number; state: string }[];
    return new Map(rows.map((r) => [r.tag_id, r.state]));
  }

  /** Counters and writer state of the given tags, in one transaction. */
  saveTags(rows: { id: number; received: number; archived: number; state: string }[]): void {
    this.db.transaction(() => this.putTags(rows))();
  }

  private putTags(rows: { id: number; received: number; archived: number; state: string }[]): void {
    for (const r of rows) this.st.saveState.run(r.id, r.received, r.archived, r.state);
  }

  /** The last write sequence number committed (0 before the first). */
  changeHead(): number {
    return Number(readMeta(this.db).get('change_head') ?? 0);
  }

  /**
   * After the volumes committed write `seq`: the tags' counters and state, the new head, the
   * change log and the volumes' last sequence numbers, in one transaction. Flushes within
   * LOG_GRAIN_MS of the log's last row extend it, so the log grows by a row a minute at most.
   */
  commitWrite(seq: number, samples: number, volumeIds: Iterable<number>, now: number,
    rows: { id: number; received: number; archived: number; state: string }[] = []): void {
    this.db.transaction(() => {
      this.putTags(rows);
      this.st.putMeta.run('change_head', String(seq));
      const last = this.st.lastLog.get() as { seq: number; writtenAt: number; samples: number } | undefined;
      if (last && last.seq < seq && now - last.writtenAt < LOG_GRAIN_MS && now >= last.writtenAt) this.st.extendLog.run(seq, samples, last.seq);
      else this.st.putLog.run(seq, now, samples);
      for (const id of volumeIds) this.st.volumeSeq.run(seq, id);
    })();
  }

  /** Marks a normal close (the next open need not look for writes the catalog missed), or clears it. */
  setClean(clean: boolean): void {
    if (clean) this.st.putMeta.run('clean', '1');
    else this.st.dropMeta.run('clean');
  }
  wasClean(): boolean { return readMeta(this.db).get('clean') === '1'; }

  addVolume(file: string, period: VolumePeriod, start: number, end: number, state: VolumeState): VolumeInfo {
    return this.db.transaction(() => {
      const id = Number(this.st.addVolume.run(file, period, start, end, state).lastInsertRowid);
      this.st.bump.run();
      return { id, file, period, start, end, state };
    })();
  }
  /** A detached volume also leaves a volume_gone row: the change feed reports what it held and a reader did not get. */
  setVolumeState(id: number, state: VolumeState, now: number): void {
    this.db.transaction(() => {
      if (state === 'detached') this.st.gone.run('detached', now, id);
      this.st.volumeState.run(state, id);
      this.st.bump.run();
    })();
  }
  /** Drops a volume's row, keeping what the change feed must report about it (reason, last sequence number). */
  removeVolume(id: number, reason: string, now: number): void {
    this.db.transaction(() => {
      this.st.gone.run(reason, now, id);
      this.st.removeVolume.run(id);
      this.st.bump.run();
    })();
  }

  close(): void { closeWritable(this.db); }
}
