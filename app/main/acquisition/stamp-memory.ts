/**
 * Tags whose own source stamps were seen wrong while their server's clock was right (a device
 * clock an hour behind, a stamp frozen while the value changes: subscription.ts restamp). Kept in
 * <data>/acquisition.sqlite beside the gap ledger: a gap the last run left open is backfilled at
 * the next start, before any live value could show the stamps wrong again, and its history must be
 * dated as the live values were (backfill.ts). Forgotten once the tag's stamps are seen right.
 */
import Database from 'better-sqlite3';

const DDL = `
CREATE TABLE IF NOT EXISTS stamps_wrong (
  server TEXT NOT NULL,
  tag TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (server, tag)
);
`;

export class StampMemory {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(DDL);
    this.stmt = {
      all: this.db.prepare('SELECT tag, since FROM stamps_wrong WHERE server = ?'),
      put: this.db.prepare('INSERT OR IGNORE INTO stamps_wrong(server, tag, since) VALUES (?, ?, ?)'),
      drop: this.db.prepare('DELETE FROM stamps_wrong WHERE server = ? AND tag = ?'),
    };
  }

  /** The server's tags whose stamps are wrong, with since when (ms). */
  wrong(server: string): Map<string, number> {
    const rows = this.stmt.all.all(server) as { tag: string; since: number }[];
    return new Map(rows.map((r) => [r.tag, r.since]));
  }

  /** Said wrong (kept from its first time) or right again (forgotten). */
  note(server: string, tag: string, wrong: boolean, at: number): void {
    if (wrong) this.stmt.put.run(server, tag, at);
    else this.stmt.drop.run(server, tag);
  }

  close(): void {
    this.db.close();
  }
}
