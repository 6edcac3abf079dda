/**
 * Trend groups in <data>/trends.sqlite: one row per name, shared by every
 * user of the station. A row that no longer reads as a group (hand-edited,
 * older format) is reported by name and skipped, never dropped.
 */
import Database from 'better-sqlite3';
import { ApiFailure } from '../api/dispatcher.js';
import { trendRange, type TrendGroup, type TrendRange } from '../../shared/api/trends.js';
import { z } from 'zod';
import { unreadableFile } from '../sqlite-file-error.js';

const storedPens = z.array(z.string().min(1)).min(1);

export interface SaveGroup {
  name: string;
  pens: string[];
  range: TrendRange;
  replace: boolean;
}

export class TrendGroupStore {
  private readonly db: Database.Database;
  private readonly st;

  constructor(readonly file: string, private readonly now: () => number = Date.now) {
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.exec(`CREATE TABLE IF NOT EXISTS trend_group (
        name TEXT PRIMARY KEY NOT NULL,
        pens TEXT NOT NULL,
        range TEXT NOT NULL,
        saved_by TEXT,
        saved_at INTEGER NOT NULL
      )`);
    } catch (err) {
      this.db.close();
      throw unreadableFile(file, 'the saved trend groups', err);
    }
    this.st = {
      all: this.db.prepare('SELECT name, pens, range, saved_by, saved_at FROM trend_group ORDER BY name COLLATE NOCASE'),
      one: this.db.prepare('SELECT name, pens, range, saved_by, saved_at FROM trend_group WHERE name = ?'),
      upsert: this.db.prepare(`INSERT INTO trend_group (name, pens, range, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(name) DO UPDATE SET pens = excluded.pens, range = excluded.range, saved_by = excluded.saved_by, saved_at = excluded.saved_at`),
      remove: this.db.prepare('DELETE FROM trend_group WHERE name = ?'),
    };
  }

  /** Every readable group; unreadable rows are named in `problems`. */
  listWithProblems(): { groups: TrendGroup[]; problems: string[] } {
    const groups: TrendGroup[] = [];
    const problems: string[] = [];
    for (const row of this.st.all.all() as Row[]) {
      const g = this.read(row);
      if (typeof g === 'string') problems.push(g);
      else groups.push(g);
    }
    return { groups, problems };
  }

  list(): TrendGroup[] {
    return this.listWithProblems().groups;
  }

  /** Saves a group; an existing name without replace is a conflict. Returns it and what it replaced. */
  save(g: SaveGroup, user: string | null): { group: TrendGroup; previous: TrendGroup | null } {
    return this.db.transaction(() => {
      const row = this.st.one.get(g.name) as Row | undefined;
      const previous = row ? this.read(row) : null;
      if (row && !g.replace) {
        throw new ApiFailure('conflict', `trend group "${g.name}" exists; save with replace to overwrite it`, {
          key: 'trends.error.groupExists',
          params: { name: g.name },
        });
      }
      const group: TrendGroup = { name: g.name, pens: [...g.pens], range: g.range, savedBy: user, savedAt: this.now() };
      this.st.upsert.run(group.name, JSON.stringify(group.pens), JSON.stringify(group.range), user, group.savedAt);
      return { group, previous: typeof previous === 'string' ? null : previous };
    })();
  }

  /** Deletes a group; returns what was deleted. */
  remove(name: string): TrendGroup | null {
    const row = this.st.one.get(name) as Row | undefined;
    if (!row) throw new ApiFailure('not_found', `no trend group "${name}"`, { key: 'trends.error.noGroup', params: { name } });
    this.st.remove.run(name);
    const g = this.read(row);
    return typeof g === 'string' ? null : g;
  }

  close(): void {
    this.db.close();
  }

  private read(row: Row): TrendGroup | string {
    try {
      const pens = storedPens.parse(JSON.parse(row.pens));
      const range = trendRange.parse(JSON.parse(row.range));
      return { name: row.name, pens, range, savedBy: row.saved_by, savedAt: row.saved_at };
    } catch (err) {
      return `${this.file}: trend group "${row.name}": ${(err as Error).message.split('\n')[0]}`;
    }
  }
}

interface Row {
  name: string;
  pens: string;
  range: string;
  saved_by: string | null;
  saved_at: number;
}
