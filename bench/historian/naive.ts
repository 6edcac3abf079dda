/**
 * The baseline a first version would write: one SQLite row per sample with an
 * index on (tag_id, t), WAL, one transaction per acquisition batch.
 */
import Database from 'better-sqlite3';
import type { Sample } from '../../historian/types.js';
import { dirBytes } from './disk.js';
import { dirname } from 'node:path';

const ROWS_PER_STATEMENT = 200;

export class NaiveStore {
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement;
  private readonly insertMany: Database.Statement;
  readonly insertBatch: (batch: { tagId: number; samples: Sample[] }[]) => void;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // The clustered (tag_id, t) key is the index: one B-tree, the strongest simple baseline.
    this.db.exec(`CREATE TABLE IF NOT EXISTS samples (tag_id INTEGER NOT NULL, t INTEGER NOT NULL, value REAL, status INTEGER NOT NULL,
      PRIMARY KEY (tag_id, t)) WITHOUT ROWID`);
    const insert = 'INSERT OR REPLACE INTO samples (tag_id, t, value, status) VALUES ';
    this.insertRow = this.db.prepare(`${insert}(?, ?, ?, ?)`);
    // Multi-row statements: the per-call cost of the driver is not what this baseline measures.
    this.insertMany = this.db.prepare(insert + new Array(ROWS_PER_STATEMENT).fill('(?, ?, ?, ?)').join(', '));
    const params: number[] = new Array(ROWS_PER_STATEMENT * 4);
    this.insertBatch = this.db.transaction((batch: { tagId: number; samples: Sample[] }[]) => {
      let k = 0;
      for (const { tagId, samples } of batch) {
        for (const s of samples) {
          params[k++] = tagId;
          params[k++] = s.t;
          params[k++] = typeof s.value === 'boolean' ? Number(s.value) : (s.value as number);
          params[k++] = s.status;
          if (k === params.length) {
            this.insertMany.run(params);
            k = 0;
          }
        }
      }
      for (let i = 0; i < k; i += 4) this.insertRow.run(params[i], params[i + 1], params[i + 2], params[i + 3]);
    });
  }

  /** File bytes after folding the WAL into the database. */
  bytesOnDisk(): number {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return dirBytes(dirname(this.file));
  }

  /** Reads every sample of the tags back; returns the count (the work is the decode). */
  readAll(tagIds: number[]): number {
    const stmt = this.db.prepare('SELECT t, value, status FROM samples WHERE tag_id = ? ORDER BY t').raw(true);
    let n = 0;
    let checksum = 0;
    for (const id of tagIds) {
      for (const row of stmt.iterate(id) as IterableIterator<[number, number, number]>) {
        checksum += row[1];
        n++;
      }
    }
    if (Number.isNaN(checksum)) throw new Error('naive read returned NaN values');
    return n;
  }

  /** min/max/count per bucket (a cheaper query than the historian's min/max/first/last). */
  plot(tagId: number, start: number, end: number, buckets: number): unknown[] {
    const width = Math.ceil((end - start) / buckets);
    return this.db
      .prepare(`SELECT CAST((t - ?) / ? AS INTEGER) AS b, min(value), max(value), count(*) FROM samples
                WHERE tag_id = ? AND t >= ? AND t < ? GROUP BY b ORDER BY b`)
      .raw(true)
      .all(start, width, tagId, start, end);
  }

  /** Sample average per interval (not time-weighted: what a naive GROUP BY gives). */
  average(tagId: number, start: number, end: number, intervalMs: number): unknown[] {
    return this.db
      .prepare(`SELECT CAST((t - ?) / ? AS INTEGER) AS b, avg(value) FROM samples
                WHERE tag_id = ? AND t >= ? AND t < ? AND status < 1073741824 GROUP BY b ORDER BY b`)
      .raw(true)
      .all(start, intervalMs, tagId, start, end);
  }

  close(): void {
    this.db.close();
  }
}
