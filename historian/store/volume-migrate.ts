/**
 * A volume file of format 1 or 2 made into format 3 (schema.ts), in place, when a writer opens
 * it: the blocks' bytes move unchanged (the codec still decodes v1/v2 blocks) with a summary
 * computed from them; open segments become segment rows; events keep their rows. Then the file
 * is vacuumed (one-time: it also turns on incremental auto-vacuum).
 */
import type Database from 'better-sqlite3';
import { decodeBlock } from './codec.js';
import { FORMAT, VOLUME_DDL, hasColumn } from './schema.js';
import { encodeSummary } from './summary-codec.js';
import { summarize } from './codec.js';
import { Flag } from '../types.js';

export function migrateVolume(db: Database.Database): void {
  const seqs = hasColumn(db, 'block', 'seq_min');
  db.transaction(() => {
    db.exec(`ALTER TABLE meta RENAME TO legacy_meta; ALTER TABLE block RENAME TO legacy_block;
      ALTER TABLE block_data RENAME TO legacy_block_data; ALTER TABLE event RENAME TO legacy_event;
      DROP TABLE IF EXISTS block_index; DROP INDEX IF EXISTS block_open; DROP INDEX IF EXISTS block_seq; DROP INDEX IF EXISTS event_seq;`);
    db.exec(VOLUME_DDL);
    db.exec("INSERT INTO meta(key, value) SELECT key, value FROM legacy_meta WHERE key <> 'format'");
    db.prepare("INSERT INTO meta(key, value) VALUES ('format', ?)").run(FORMAT);
    const rows = db.prepare(`SELECT b.tag_id, b.t_start, b.sealed, ${seqs ? 'b.seq_min, b.seq_max, d.seqs' : '0, 0, NULL'}, d.bytes
      FROM legacy_block b JOIN legacy_block_data d USING (tag_id, t_start) ORDER BY b.tag_id, b.t_start`).raw();
    const putData = db.prepare('INSERT INTO block_data(data, seqs) VALUES (?, ?)');
    const putBlock = db.prepare('INSERT INTO block(tag_id, t_start, t_end, seq_min, seq_max, summary, data_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const putSegment = db.prepare('INSERT INTO segment(tag_id, t_start, t_end, seq_min, seq_max, summary, data, seqs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const [tagId, tStart, sealed, seqMin, seqMax, seqBytes, bytes] of rows.all() as Iterable<[number, number, number, number, number, Buffer | null, Buffer]>) {
      const cols = decodeBlock(bytes);
      let added = 0;
      for (let i = 0; i < cols.length; i++) if (cols.flags[i]! & Flag.Cyclic) added++;
      const s = summarize(cols, false);
      const summary = encodeSummary({ ...s, added });
      if (sealed) {
        const dataId = Number(putData.run(bytes, seqBytes).lastInsertRowid);
        putBlock.run(tagId, tStart, s.tEnd, seqMin, seqMax, summary, dataId);
      } else putSegment.run(tagId, tStart, s.tEnd, seqMin, seqMax, summary, bytes, seqBytes);
    }
    db.exec(`INSERT INTO event(tag_id, t, value, status, flags, seq) SELECT tag_id, t, value, status, flags, ${seqs ? 'seq' : '0'} FROM legacy_event;
      DROP TABLE legacy_block; DROP TABLE legacy_block_data; DROP TABLE legacy_event; DROP TABLE legacy_meta;`);
  })();
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  } catch (err) {
    // A reader has the file open: it stays as migrated, only not compacted yet.
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
  }
}
