import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Lines } from '../line-protocol/batch.js';
import { type GapRecord, gapEncoder } from './gaps.js';
import { SequencedStream } from './sequenced.js';
import { sqliteSource } from './sqlite-source.js';

describe('gap ledger stream', () => {
  it('one point per gap at its start; an open gap, then its close, land on the same point', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE gap(id INTEGER PRIMARY KEY, server TEXT, start INTEGER, end_ms INTEGER, reason TEXT, written_at INTEGER)');
    const add = db.prepare('INSERT INTO gap(server, start, end_ms, reason, written_at) VALUES (?, ?, ?, ?, ?)');
    add.run('sim 1', 1_700_000_000_000, null, 'no answer for 3 s', 1_700_000_003_000);
    add.run('sim 1', 1_700_000_000_000, 1_700_000_060_000, 'no answer for 3 s\nthen "reconnected"', 1_700_000_060_000);
    const source = sqliteSource<GapRecord>(db, { table: 'gap', columns: 'server, start, end_ms, reason', toRecord: (r) => ({ server: r.server as string, start: r.start as number, end: r.end_ms as number | null, reason: r.reason as string }) });
    const stream = new SequencedStream('gaps', source, gapEncoder({ measurement: 'tf', site: 'North', dialect: 'v1', stringFields: true }));
    const out = new Lines();
    const r = stream.read(null, 10, null, out);
    expect(out.text).toEqual([
      'tf_gaps,server=sim\\ 1,site=North start=1700000000000i,ongoing=true,reason="no answer for 3 s" 1700000000000',
      'tf_gaps,server=sim\\ 1,site=North start=1700000000000i,end=1700000060000i,duration_ms=60000i,ongoing=false,reason="no answer for 3 s then \\"reconnected\\"" 1700000000000',
    ]);
    expect([r.cursor, r.more, r.oldestWrittenAt]).toEqual(['2', false, 1_700_000_003_000]);
    expect(stream.backlog('1')).toEqual({ records: 1, oldestWrittenAt: 1_700_000_060_000 });
    expect(stream.read('0', 10, '1', new Lines()).cursor).toBe('1');
    db.close();
  });
});
