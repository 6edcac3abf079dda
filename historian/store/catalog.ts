/**
 * catalog.sqlite: tags, their configuration versions and counters, the writer's per-tag state,
 * the list of volumes and the change feed's head and log (format 3, schema.ts). A catalog of
 * format 1 or 2 is read as it is (catalog-legacy.ts) and migrated when a writer opens it.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { TagConfig, TagKind, TagVersion } from '../types.js';
import { legacyTags, migrateCatalog } from './catalog-legacy.js';
import type { VolumePeriod } from './periods.js';
import { CATALOG_DDL, CATALOG_PAGE_SIZE, CATALOG_FORMAT, CATALOG_FORMAT_3, KIND_CODES, LEGACY_CATALOG_FORMATS, closeWritable, hasColumn, hasTable, openReadOnly, openWritable, readMeta } from './schema.js';
import { configFromStored, storedConfigJson } from './versions.js';

export interface TagRecord {
  id: number;
  name: string;
  kind: TagKind;
  /** Counters: read/README.md says what each means. */
  received: number;
  archived: number;
  added: number;
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

/** Opens the catalog; a writer creates it, or migrates an older format (`migrated` then says so). */
export function openCatalogDb(dir: string, readOnly: boolean): Database.Database & { migrated?: boolean } {
  if (readOnly) return openReadOnly(catalogPath(dir));
  const db: Database.Database & { migrated?: boolean } = openWritable(catalogPath(dir), { pageSize: CATALOG_PAGE_SIZE });
  // One transaction: a reader opening the catalog meanwhile sees all of it or none.
  db.transaction(() => {
    if (!hasTable(db, 'meta')) {
      db.exec(CATALOG_DDL);
      db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('format', CATALOG_FORMAT);
      return;
    }
    const format = readMeta(db).get('format') ?? '';
    if (LEGACY_CATALOG_FORMATS.includes(format)) {
      migrateCatalog(db);
      db.migrated = true;
    } else if (format === CATALOG_FORMAT_3) {
      // Its configurations keep their full JSON (read as they are); new versions keep their range in the columns.
      db.exec('ALTER TABLE tag_version ADD COLUMN range_low REAL; ALTER TABLE tag_version ADD COLUMN range_high REAL;');
      db.prepare("UPDATE meta SET value = ? WHERE key = 'format'").run(CATALOG_FORMAT);
    } else if (format !== CATALOG_FORMAT) throw new Error(`${catalogPath(dir)}: meta.format: expected ${CATALOG_FORMAT}, got ${format}`);
  })();
  return db;
}

/** A version's range as tag_version keeps it: low, high (nulls without one). */
export const rangeColumns = (config: TagConfig): [number | null, number | null] =>
  config.range ? [config.range.low, config.range.high] : [null, null];

/** Reads tags with their versions (ordered by validFrom). Used by the writer and the readers. */
export function loadTags(db: Database.Database): TagRecord[] {
  if (!hasTable(db, 'config')) return legacyTags(db);
  const configs = new Map((db.prepare('SELECT id, json FROM config').raw().all() as [number, string][]).map(([id, json]) => [id, json]));
  const tags = db.prepare('SELECT id, name, kind, received, archived, added FROM tag ORDER BY id').all() as
    (Omit<TagRecord, 'versions' | 'kind'> & { kind: number })[];
  const range = hasColumn(db, 'tag_version', 'range_low') ? 'range_low, range_high' : 'NULL, NULL';
  const versions = db.prepare(`SELECT tag_id, version, valid_from, valid_to, config_id, ${range} FROM tag_version ORDER BY tag_id, version`)
    .raw().all() as [number, number, number, number | null, number, number | null, number | null][];
  const byId = new Map<number, TagRecord>(tags.map((t) => [t.id, { ...t, kind: KIND_CODES[t.kind]!, versions: [] }]));
  for (const [tagId, version, validFrom, validTo, configId, low, high] of versions) {
    const tag = byId.get(tagId);
    if (!tag) continue;
    const json = configs.get(configId);
    if (json === undefined) throw new Error(`catalog: tag ${tag.name} version ${version}: config ${configId} is missing`);
    const config = configFromStored(json, tag.name, tag.kind, low, high);
    tag.versions.push({ tagId, version, validFrom, validTo, config });
  }
  return [...byId.values()];
}

export function loadVolumes(db: Database.Database): VolumeInfo[] {
  return (db.prepare('SELECT id, file, period, t_start, t_end, state FROM volume ORDER BY t_start').all() as VolumeRow[]).map(toVolume);
}

/** A tag's row as the writer saves it at a flush. */
export interface TagRow { id: number; received: number; archived: number; added: number; state: Uint8Array | null }

/** Tag rows one UPDATE saves: 1,000 rows took 1.1 ms one by one, 0.85 ms 64 to a statement (commit included). */
const TAG_ROWS_PER_UPDATE = 64;

/**
 * The writer's handle on the catalog. Every change of tags, versions or
 * volumes bumps meta.generation (counter and state writes at each flush do not), so
 * readers reload their lists only then.
 */
export class Catalog {
  readonly db: Database.Database;
  /** The catalog was of an older format, migrated on open: the counters must be recounted. */
  readonly migrated: boolean;
  private readonly st;
  /** putTags' parameters (reused: a flush saves every live tag's row). */
  private readonly tagParams: (number | Uint8Array | null)[] = new Array(5 * TAG_ROWS_PER_UPDATE);
  /** Config JSON (without the name) -> id: most tags share a few configurations. */
  private readonly configIds: Map<string, number>;

  constructor(readonly dir: string) {
    const db = openCatalogDb(dir, false);
    this.db = db;
    this.migrated = db.migrated === true;
    this.st = {
      insertTag: db.prepare('INSERT INTO tag(name, kind) VALUES (?, ?)'),
      insertConfig: db.prepare('INSERT INTO config(json) VALUES (?)'),
      insertVersion: db.prepare(`INSERT INTO tag_version(tag_id, version, valid_from, valid_to, config_id, range_low, range_high)
        VALUES (?, ?, ?, NULL, ?, ?, ?)`),
      closeVersion: db.prepare('UPDATE tag_version SET valid_to = ? WHERE tag_id = ? AND version = ?'),
      saveTag: db.prepare('UPDATE tag SET received = ?, archived = ?, added = ?, state = ? WHERE id = ?'),
      saveTagRun: db.prepare(`UPDATE tag SET received = v.column2, archived = v.column3, added = v.column4, state = v.column5
        FROM (VALUES ${new Array(TAG_ROWS_PER_UPDATE).fill('(?, ?, ?, ?, ?)').join(', ')}) AS v WHERE tag.id = v.column1`),
      loadStates: db.prepare('SELECT id, state FROM tag WHERE state IS NOT NULL').raw(),
      addVolume: db.prepare('INSERT INTO volume(file, period, t_start, t_end, state) VALUES (?, ?, ?, ?, ?)'),
      volumeState: db.prepare('UPDATE volume SET state = ? WHERE id = ?'),
      removeVolume: db.prepare('DELETE FROM volume WHERE id = ?'),
      gone: db.prepare(`INSERT INTO volume_gone(file, t_start, t_end, max_seq, reason, at)
        SELECT file, t_start, t_end, max_seq, ?, ? FROM volume WHERE id = ?`),
      putMeta: db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)'),
      dropMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
      lastLog: db.prepare('SELECT seq, written_at AS writtenAt, samples FROM change_log ORDER BY seq DESC LIMIT 1'),
      putLog: db.prepare('INSERT INTO change_log(seq, written_at, samples) VALUES (?, ?, ?)'),
      extendLog: db.prepare('UPDATE change_log SET seq = ?, samples = samples + ? WHERE seq = ?'),
      volumeSeq: db.prepare('UPDATE volume SET max_seq = max(max_seq, ?) WHERE id = ?'),
      bump: db.prepare(`INSERT INTO meta(key, value) VALUES ('generation', '1')
        ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`),
    };
    this.configIds = new Map();
    this.reloadConfigIds();
  }

  /**
   * Reads the configuration ids from the table again: after a transaction that added some was
   * rolled back (writer.ts defineTags), the ids it had cached name rows that are not there.
   */
  reloadConfigIds(): void {
    this.configIds.clear();
    for (const [id, json] of this.db.prepare('SELECT id, json FROM config').raw().all() as [number, string][]) this.configIds.set(json, id);
  }

  tags(): TagRecord[] { return loadTags(this.db); }
  volumes(): VolumeInfo[] { return loadVolumes(this.db); }

  /** The id of a configuration (without its name), added when new. */
  private configId(config: TagConfig): number {
    const json = storedConfigJson(config);
    let id = this.configIds.get(json);
    if (id === undefined) this.configIds.set(json, (id = Number(this.st.insertConfig.run(json).lastInsertRowid)));
    return id;
  }

  /** Creates a tag with its first version; returns the version. */
  createTag(config: TagConfig, validFrom: number): TagVersion {
    return this.db.transaction(() => {
      const id = Number(this.st.insertTag.run(config.name, KIND_CODES.indexOf(config.kind)).lastInsertRowid);
      this.st.insertVersion.run(id, 1, validFrom, this.configId(config), ...rangeColumns(config));
      this.st.bump.run();
      return { tagId: id, version: 1, validFrom, validTo: null, config };
    })();
  }

  /** Closes `previous` at validFrom and opens the next version there. */
  addVersion(previous: TagVersion, config: TagConfig, validFrom: number): TagVersion {
    return this.db.transaction(() => {
      this.st.closeVersion.run(validFrom, previous.tagId, previous.version);
      this.st.insertVersion.run(previous.tagId, previous.version + 1, validFrom, this.configId(config), ...rangeColumns(config));
      this.st.bump.run();
      return { tagId: previous.tagId, version: previous.version + 1, validFrom, validTo: null, config };
    })();
  }

  /** The writer's state of tags that have one (others are at rest: tag-state.ts). */
  loadStates(): Map<number, Buffer> {
    return new Map(this.st.loadStates.all() as [number, Buffer][]);
  }

  /** Counters and writer state of the given tags, in one transaction. */
  saveTags(rows: TagRow[]): void {
    this.db.transaction(() => this.putTags(rows))();
  }

  /** The rows' counters and state (one row per tag), TAG_ROWS_PER_UPDATE to a statement. */
  private putTags(rows: TagRow[]): void {
    const params = this.tagParams;
    let i = 0;
    for (; i + TAG_ROWS_PER_UPDATE <= rows.length; i += TAG_ROWS_PER_UPDATE) {
      for (let k = 0; k < TAG_ROWS_PER_UPDATE; k++) {
        const r = rows[i + k]!;
        params[5 * k] = r.id;
        params[5 * k + 1] = r.received;
        params[5 * k + 2] = r.archived;
        params[5 * k + 3] = r.added;
        params[5 * k + 4] = r.state;
      }
      this.st.saveTagRun.run(params);
    }
    for (; i < rows.length; i++) {
      const r = rows[i]!;
      this.st.saveTag.run(r.received, r.archived, r.added, r.state, r.id);
    }
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
  commitWrite(seq: number, samples: number, volumeIds: Iterable<number>, now: number, rows: TagRow[] = []): void {
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
  setVolumeState(id: number, state: VolumeState, now: number, rows: TagRow[] = []): void {
    this.db.transaction(() => {
      if (state === 'detached') this.st.gone.run('detached', now, id);
      this.st.volumeState.run(state, id);
      this.putTags(rows);
      this.st.bump.run();
    })();
  }

  /** Drops a volume's row, keeping what the change feed must report about it (reason, last sequence number). */
  removeVolume(id: number, reason: string, now: number, rows: TagRow[] = []): void {
    this.db.transaction(() => {
      this.st.gone.run(reason, now, id);
      this.st.removeVolume.run(id);
      this.putTags(rows);
      this.st.bump.run();
    })();
  }

  close(): void {
    compactIfSparse(this.db);
    closeWritable(this.db);
  }
}

/**
 * The tag rows shrink when tags come to rest (their state becomes NULL), and SQLite leaves the
 * pages they filled mostly empty: a closing writer rewrites the catalog when its pages hold less
 * than ~70 % of their size in rows (the catalog is small: a VACUUM takes milliseconds; 34
 * compressed tags of an import left 13 KB of tag pages for 3 KB of rows). Skipped when another
 * connection holds the write lock (SQLITE_BUSY); in WAL mode readers do not stop it.
 */
function compactIfSparse(db: Database.Database): void {
  const [pages, payload] = db.prepare('SELECT sum(pgsize), sum(payload) FROM dbstat').raw().get() as [number, number];
  if (pages <= 1.4 * payload + 4096) return;
  try {
    db.pragma('busy_timeout = 0'); // the write lock taken elsewhere: leave it for the next close
    db.exec('VACUUM');
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY' && (err as { code?: string }).code !== 'SQLITE_LOCKED') throw err;
  }
}
