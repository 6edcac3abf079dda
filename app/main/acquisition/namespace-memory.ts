/**
 * For tags configured by namespace index (ns=N;…): the URI index N had on
 * the server when the tag was first acquired. Kept in <data>/acquisition.sqlite
 * beside the gap ledger (per-server state that outlives a run), so a server
 * that renumbers its namespaces while the station is stopped is caught too.
 */
import Database from 'better-sqlite3';

const DDL = `
CREATE TABLE IF NOT EXISTS namespace_seen (
  server TEXT NOT NULL,
  node_id TEXT NOT NULL,
  uri TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (server, node_id)
);
`;

export class NamespaceMemory {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(DDL);
    this.stmt = {
      get: this.db.prepare('SELECT uri FROM namespace_seen WHERE server = ? AND node_id = ?').pluck(),
      put: this.db.prepare('INSERT OR IGNORE INTO namespace_seen(server, node_id, uri, since) VALUES (?, ?, ?, ?)'),
    };
  }

  /** The URI remembered for this node id (index form) of this server; null before its first acquisition. */
  uriOf(server: string, nodeId: string): string | null {
    return (this.stmt.get.get(server, nodeId) as string | undefined) ?? null;
  }

  /** Remembers each URI at its node id's first acquisition only (later ones must match it, not replace it), in one transaction. */
  rememberAll(server: string, entries: readonly (readonly [nodeId: string, uri: string])[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const [nodeId, uri] of entries) this.stmt.put.run(server, nodeId, uri, now);
    })();
  }

  close(): void {
    this.db.close();
  }
}
