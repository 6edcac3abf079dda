/**
 * For delivery tests that do not need the historian: samples in an SQLite
 * table with a sequence, sent through the same SampleEncoder as archived
 * samples, and what a test expects to find upstream.
 */
import Database from 'better-sqlite3';
import type { Flavour } from '../../../shared/config/sync.js';
import type { Lines } from '../line-protocol/batch.js';
import { SampleEncoder, type TagKind } from '../line-protocol/samples.js';
import { SequencedStream } from '../streams/sequenced.js';
import { sqliteSource } from '../streams/sqlite-source.js';
import type { OutboxStream } from '../streams/stream.js';
import { traits } from '../upstream/flavour.js';
import type { Point, PointsByTag } from './upstream-points.js';

export interface LoggedSample {
  tag: string;
  kind: TagKind;
  t: number;
  value: number | boolean | string;
  status: number;
}

export class SampleLog {
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS sample(id INTEGER PRIMARY KEY, tag TEXT NOT NULL, kind TEXT NOT NULL, t INTEGER NOT NULL,
      value, status INTEGER NOT NULL, written_at INTEGER NOT NULL)`);
  }

  append(samples: readonly LoggedSample[], writtenAt: number = Date.now()): void {
    const ins = this.db.prepare('INSERT INTO sample(tag, kind, t, value, status, written_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const s of samples) ins.run(s.tag, s.kind, s.t, typeof s.value === 'boolean' ? (s.value ? 1 : 0) : s.value, s.status, writtenAt);
    })();
  }

  /** `site`: the station's name, as sync.site says (the default is the station's name, often with spaces). */
  stream(flavour: Flavour, measurement = 'tf', site = 'North'): OutboxStream {
    const tr = traits[flavour];
    const enc = new SampleEncoder({ measurement, site, dialect: tr.dialect, statusName: tr.stringFields, textAs: tr.stringFields ? 'field' : 'tag' });
    const info = { area: 'Area1', unit: 'm' };
    const source = sqliteSource(this.db, {
      table: 'sample', columns: 'tag, kind, t, value, status',
      // SQLite keeps NaN as NULL.
      toRecord: (r) => ({ tag: r.tag as string, kind: r.kind as TagKind, t: r.t as number, value: r.kind === 'discrete' ? r.value === 1 : r.value === null ? NaN : r.value as number | string, status: r.status as number }),
    });
    const encode = (s: LoggedSample, out: Lines) => enc.encode({ tag: s.tag, kind: s.kind, t: [s.t], values: [s.value], status: [s.status] }, () => info, out);
    const stream: OutboxStream = new SequencedStream<LoggedSample>('samples', source, encode);
    // An engineer's re-send of [from, to] (as the archive's SampleStream reads it): by row, `position` the last row read.
    const range = this.db.prepare('SELECT id, tag, kind, t, value, status FROM sample WHERE t BETWEEN ? AND ? AND id > ? ORDER BY id LIMIT ?');
    stream.readTimeRange = (from, to, position, max, out) => {
      const rows = range.all(from, to, Number(position ?? 0), max) as { id: number; tag: string; kind: TagKind; t: number; value: number | string | null; status: number }[];
      for (const r of rows) encode({ tag: r.tag, kind: r.kind, t: r.t, value: r.kind === 'discrete' ? r.value === 1 : r.value ?? NaN, status: r.status }, out);
      return { position: String(rows.at(-1)?.id ?? position ?? 0), done: rows.length < max };
    };
    return stream;
  }

  /** What the upstream should hold: per tag, in time order, as upstream-points reads it. */
  expected(textAsLabel = false): PointsByTag {
    const rows = this.db.prepare('SELECT tag, kind, t, value, status FROM sample ORDER BY tag, t').all() as { tag: string; kind: TagKind; t: number; value: number | string; status: number }[];
    const out: PointsByTag = new Map();
    for (const r of rows) {
      // A bad sample without a value (NaN, NULL in SQLite) is sent with its status only; discrete states are 0/1.
      // A bad discrete or text sample carries a placeholder, not a value: its status only too.
      const bad = r.status >>> 30 >= 2;
      const value: Point['value'] = r.value === null || (r.kind !== 'analog' && bad) || (r.kind === 'text' && textAsLabel && r.value === '') ? null : r.value;
      const list = out.get(r.tag) ?? [];
      list.push({ t: r.t, value, status: r.status });
      out.set(r.tag, list);
    }
    return out;
  }

  close(): void {
    this.db.close();
  }
}
