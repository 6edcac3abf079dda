/**
 * Catalogs of format 1 and 2 (before format 3 shared configurations and kept counters and state
 * in the tag row): read as they are, and migrated in place by a writer.
 *   tag(id, name UNIQUE, kind TEXT), tag_version(..., config TEXT), tag_state(tag_id,
 *   samples_received, samples_archived, state TEXT), volume(..., [max_seq]), [change_log, volume_gone]
 */
import type Database from 'better-sqlite3';
import type { TagConfig, TagKind } from '../types.js';
import type { TagRecord } from './catalog.js';
import { CATALOG_DDL, CATALOG_FORMAT, KIND_CODES, hasColumn, hasTable } from './schema.js';
import { storedConfigJson } from './versions.js';

export function legacyTags(db: Database.Database): TagRecord[] {
  const tags = db.prepare(`SELECT id, name, kind, coalesce(s.samples_received, 0) AS received, coalesce(s.samples_archived, 0) AS archived
    FROM tag LEFT JOIN tag_state s ON s.tag_id = tag.id ORDER BY id`).all() as Omit<TagRecord, 'versions' | 'added'>[];
  const versions = db.prepare('SELECT tag_id, version, valid_from, valid_to, config FROM tag_version ORDER BY tag_id, version')
    .all() as { tag_id: number; version: number; valid_from: number; valid_to: number | null; config: string }[];
  const byId = new Map<number, TagRecord>(tags.map((t) => [t.id, { ...t, added: 0, versions: [] }]));
  for (const v of versions) {
    byId.get(v.tag_id)?.versions.push({
      tagId: v.tag_id, version: v.version, validFrom: v.valid_from, validTo: v.valid_to, config: JSON.parse(v.config) as TagConfig,
    });
  }
  return [...byId.values()];
}

/**
 * Rewrites a format 1/2 catalog as format 3, inside the caller's transaction. The counters are
 * carried over as they were; the writer recounts them from the volumes afterwards (the old
 * ones counted cyclic records as archived and drifted after crashes).
 */
export function migrateCatalog(db: Database.Database): void {
  const tags = legacyTags(db);
  const states = new Map((db.prepare('SELECT tag_id, state FROM tag_state').raw().all() as [number, string][]));
  const volumes = db.prepare(`SELECT id, file, period, t_start, t_end, state, ${hasColumn(db, 'volume', 'max_seq') ? 'max_seq' : '0'} FROM volume`).raw().all();
  const log = hasTable(db, 'change_log') ? db.prepare('SELECT seq, written_at, samples FROM change_log').raw().all() : [];
  const gone = hasTable(db, 'volume_gone') ? db.prepare('SELECT id, file, t_start, t_end, max_seq, reason, at FROM volume_gone').raw().all() : [];
  const meta = db.prepare("SELECT key, value FROM meta WHERE key <> 'format'").raw().all() as [string, string][];
  db.exec(`DROP TABLE meta; DROP TABLE tag; DROP TABLE tag_version; DROP TABLE tag_state; DROP TABLE volume;
    DROP TABLE IF EXISTS change_log; DROP TABLE IF EXISTS volume_gone;`);
  db.exec(CATALOG_DDL);
  const put = (sql: string, rows: unknown[][]) => { const st = db.prepare(sql); for (const r of rows) st.run(...r); };
  put('INSERT INTO meta(key, value) VALUES (?, ?)', [['format', CATALOG_FORMAT], ...meta]);
  put('INSERT INTO volume(id, file, period, t_start, t_end, state, max_seq) VALUES (?, ?, ?, ?, ?, ?, ?)', volumes as unknown[][]);
  put('INSERT INTO change_log(seq, written_at, samples) VALUES (?, ?, ?)', log as unknown[][]);
  put('INSERT INTO volume_gone(id, file, t_start, t_end, max_seq, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)', gone as unknown[][]);
  const configIds = new Map<string, number>();
  const putConfig = db.prepare('INSERT INTO config(json) VALUES (?)');
  const putTag = db.prepare('INSERT INTO tag(id, name, kind, received, archived, added, state) VALUES (?, ?, ?, ?, ?, 0, ?)');
  const putVersion = db.prepare(`INSERT INTO tag_version(tag_id, version, valid_from, valid_to, config_id, range_low, range_high)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  for (const t of tags) {
    const state = states.get(t.id);
    putTag.run(t.id, t.name, KIND_CODES.indexOf(t.kind as TagKind), t.received, t.archived, state === undefined ? null : Buffer.from(state));
    for (const v of t.versions) {
      const json = storedConfigJson(v.config);
      let id = configIds.get(json);
      if (id === undefined) configIds.set(json, (id = Number(putConfig.run(json).lastInsertRowid)));
      putVersion.run(t.id, v.version, v.validFrom, v.validTo, id, ...(v.config.range ? [v.config.range.low, v.config.range.high] : [null, null]));
    }
  }
}
