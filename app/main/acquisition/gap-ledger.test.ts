/** The gap ledger on a real SQLite file: what a reader after a sequence number gets, across changes and a reopen. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GapLedger } from './gap-ledger.js';
import { gapLedgerSource } from './gap-source.js';

describe('gap ledger', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'vigil-ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every insert and every change the next sequence number, durably', () => {
    const file = join(dir, 'acquisition.sqlite');
    let ledger = new GapLedger(file);
    const gap = ledger.openGap('plc', 1000, 'connection lost', 'opc.tcp://a:4840');
    const switched = ledger.failover('plc', 1500, 'opc.tcp://a:4840', 'opc.tcp://b:4840', 'serviceLevel');
    expect([gap.seq, switched.seq]).toEqual([1, 2]);
    expect(ledger.openGaps('plc').map((g) => g.id)).toEqual([gap.id]);
    const closed = ledger.closeGap(gap.id, 2000, 'pending');
    expect(closed).toMatchObject({ id: gap.id, seq: 3, from: 1000, to: 2000, backfill: 'pending' });
    // A reader that saw seq 2 gets the gap again, changed.
    expect(ledger.read(2, 10)).toEqual([closed]);
    ledger.close();

    ledger = new GapLedger(file);
    expect(ledger.unfinishedBackfills('plc').map((g) => g.id)).toEqual([gap.id]);
    const done = ledger.setBackfill(gap.id, 'done', 42, null);
    expect(done.seq).toBe(4);
    expect(ledger.read(0, 2).map((e) => e.seq)).toEqual([2, 4]);
    expect(ledger.read(0, 10).map((e) => [e.kind, e.seq])).toEqual([['failover', 2], ['gap', 4]]);
    expect(ledger.list('plc', 10).map((e) => e.id)).toEqual([switched.id, gap.id]);
    expect(ledger.list('other', 10)).toEqual([]);
    ledger.heartbeat('plc', 5000);
    expect(ledger.lastHeartbeat('plc')).toBe(5000);
    ledger.clearHeartbeat('plc');
    expect(ledger.lastHeartbeat('plc')).toBeNull();
    ledger.close();
  });

  it('serves the sync only gaps, in sequence, each again when it closes, with when it was written', () => {
    const ledger = new GapLedger(join(dir, 'acquisition.sqlite'));
    const source = gapLedgerSource(ledger);
    expect(source.head()).toBeNull();
    expect(source.backlog(0)).toEqual({ records: 0, oldestWrittenAt: null });
    const before = Date.now();
    const a = ledger.openGap('plc', 1000, 'connection lost', 'opc.tcp://a:4840'); // seq 1
    ledger.failover('plc', 1100, 'opc.tcp://a:4840', 'opc.tcp://b:4840', 'lost'); // seq 2, not a gap
    ledger.failover('plc', 1200, 'opc.tcp://b:4840', 'opc.tcp://a:4840', 'serviceLevel'); // seq 3
    const b = ledger.openGap('tank', 1300, 'subscription timed out on the server', null); // seq 4
    expect(source.head()).toBe(4);
    const first = source.read(0, 10, null);
    expect(first.map((r) => [r.seq, r.record])).toEqual([
      [1, { server: 'plc', start: 1000, end: null, reason: 'connection lost' }],
      [4, { server: 'tank', start: 1300, end: null, reason: 'subscription timed out on the server' }],
    ]);
    for (const r of first) expect(r.writtenAt).toBeGreaterThanOrEqual(before);
    // A page of one skips the failovers in between: the reader is never stuck on them.
    expect(source.read(1, 1, null).map((r) => r.seq)).toEqual([4]);
    expect(source.read(0, 10, 3).map((r) => r.seq)).toEqual([1]);
    ledger.failover('plc', 1400, 'opc.tcp://a:4840', 'opc.tcp://b:4840', 'lost'); // seq 5
    expect(source.head()).toBe(4);
    ledger.closeGap(a.id, 2000, 'pending'); // seq 6
    expect(source.read(4, 10, null).map((r) => [r.seq, r.record])).toEqual([[6, { server: 'plc', start: 1000, end: 2000, reason: 'connection lost' }]]);
    expect(source.backlog(4).records).toBe(1);
    expect(source.backlog(0).records).toBe(2); // b (seq 4) and a closed (seq 6)
    expect(b.seq).toBe(4);
    ledger.close();
  });

  it('keeps a ledger written before written_at existed, dating its rows by their own times', () => {
    const file = join(dir, 'old.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL UNIQUE, server TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('gap', 'failover')), t_from INTEGER NOT NULL, t_to INTEGER, cause TEXT NOT NULL,
      endpoint TEXT, to_endpoint TEXT, backfill TEXT, backfilled INTEGER NOT NULL DEFAULT 0, note TEXT);
      CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL); INSERT INTO counter VALUES ('seq', 7);
      INSERT INTO ledger(seq, server, kind, t_from, t_to, cause) VALUES (7, 'plc', 'gap', 1000, 5000, 'connection lost');`);
    db.close();
    const ledger = new GapLedger(file);
    const source = gapLedgerSource(ledger);
    expect(source.read(0, 10, null)).toEqual([{ seq: 7, writtenAt: 5000, record: { server: 'plc', start: 1000, end: 5000, reason: 'connection lost' } }]);
    expect(ledger.openGap('plc', 6000, 'connection lost', null).seq).toBe(8);
    // The table of gap scopes is added to the older file: a pending gap there keeps its tags.
    ledger.closeGap(1, 5000, 'pending');
    ledger.setScope(1, { tags: new Set(['Level']), after: new Map([['Level', 900]]), holes: null });
    expect(ledger.scopes('plc')).toEqual(new Map([[1, { tags: new Set(['Level']), after: new Map([['Level', 900]]), holes: null }]]));
    ledger.close();
  });

  it('keeps which tags a pending gap covers, and from when each is read, across a reopen until its backfill ends', () => {
    const file = join(dir, 'acquisition.sqlite');
    let ledger = new GapLedger(file);
    // Queue holes of two tags; a loss of every tag (each with its last value, one never had any); a gap without a scope.
    const holes = ledger.openGap('plc', 1000, 'values lost in the server\'s queue', null);
    ledger.closeGap(holes.id, 3000, 'pending');
    ledger.setScope(holes.id, {
      tags: new Set(['Level', 'Temp']), after: new Map([['Level', 900], ['Temp', 1500]]),
      holes: new Map([['Level', [[900, 1200], [2000, 3000]]], ['Temp', [[1500, 1600]]]]),
    });
    const lost = ledger.openGap('plc', 4000, 'connection lost', null);
    ledger.setScope(lost.id, { tags: null, after: new Map([['Level', 3900], ['Flow', -Infinity]]), holes: null });
    ledger.openGap('plc', 4100, 'connection lost', null);
    const elsewhere = ledger.openGap('tank', 4000, 'connection lost', null);
    ledger.setScope(elsewhere.id, { tags: new Set(['Pump']), after: new Map(), holes: null });
    ledger.close();

    ledger = new GapLedger(file);
    expect(ledger.scopes('plc')).toEqual(new Map([
      [holes.id, {
        tags: new Set(['Level', 'Temp']), after: new Map([['Level', 900], ['Temp', 1500]]),
        holes: new Map([['Level', [[900, 1200], [2000, 3000]]], ['Temp', [[1500, 1600]]]]),
      }],
      [lost.id, { tags: null, after: new Map([['Level', 3900], ['Flow', -Infinity]]), holes: null }],
    ]));
    expect(ledger.scopes('tank')).toEqual(new Map([[elsewhere.id, { tags: new Set(['Pump']), after: new Map(), holes: null }]]));
    // Narrowed to the tags read again (the others' values archived): only those are kept.
    ledger.setScope(holes.id, { tags: new Set(['Temp']), after: new Map([['Level', 900], ['Temp', 1500]]), holes: new Map([['Temp', [[1500, 1600]]]]) });
    expect(ledger.scopes('plc').get(holes.id)).toEqual({ tags: new Set(['Temp']), after: new Map([['Temp', 1500]]), holes: new Map([['Temp', [[1500, 1600]]]]) });
    // Running, then archiving: still kept; done or off: gone (never read again).
    ledger.setBackfill(holes.id, 'running', 0, null);
    expect([...ledger.scopes('plc').keys()]).toEqual([holes.id, lost.id]);
    ledger.setBackfill(holes.id, 'done', 3, null);
    ledger.closeGap(elsewhere.id, 5000, 'off');
    ledger.close();

    ledger = new GapLedger(file);
    expect([...ledger.scopes('plc').keys()]).toEqual([lost.id]);
    expect(ledger.scopes('tank')).toEqual(new Map());
    ledger.close();
    // Nothing kept of the ended gaps: the table does not grow with every gap ever backfilled.
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT gap_id, tag FROM gap_scope ORDER BY tag').all()).toEqual([{ gap_id: lost.id, tag: 'Flow' }, { gap_id: lost.id, tag: 'Level' }]);
    db.close();
  });
  it('has a gap\'s scope, and a capacity refusal\'s end, on disk by the time anyone hears of the gap', () => {
    const file = join(dir, 'acquisition.sqlite');
    const ledger = new GapLedger(file);
    // What a station killed at that moment leaves: another connection reads the file as it is then.
    const onDisk = new Database(file, { readonly: true });
    const heard: { seq: number; scope: number; refused: number }[] = [];
    ledger.onChange((e) => heard.push({
      seq: e.seq,
      scope: (onDisk.prepare('SELECT COUNT(*) FROM gap_scope WHERE gap_id = ?').pluck().get(e.id) as number),
      refused: (onDisk.prepare('SELECT COUNT(*) FROM capacity_refused').pluck().get() as number),
    }));
    ledger.noteCapacityRefused('plc', 1000, new Map([['Temp', 900], ['Flow', -Infinity]]));
    const refusal = ledger.recordGap('plc', 1000, 3000, 'tags refused for the server\'s capacity', null, 'pending',
      { tags: new Set(['Temp', 'Flow']), after: new Map([['Temp', 900]]), holes: null }, true);
    expect(refusal).toMatchObject({ from: 1000, to: 3000, backfill: 'pending' });
    // Heard of opened and closed, each time with its two tags' scope and the refusal no longer kept apart.
    expect(heard).toEqual([{ seq: 1, scope: 2, refused: 0 }, { seq: 2, scope: 2, refused: 0 }]);
    heard.length = 0;
    ledger.openGap('plc', 4000, 'connection lost', null, { tags: null, after: new Map([['Temp', 3900], ['Flow', 3800], ['Level', 3950]]), holes: null });
    expect(heard).toEqual([{ seq: 3, scope: 3, refused: 0 }]);
    onDisk.close();
    ledger.close();
  });

  it('keeps what a gap\'s earlier backfill runs found, with the tags left to read, until the gap ends', () => {
    const file = join(dir, 'acquisition.sqlite');
    let ledger = new GapLedger(file);
    const gap = ledger.openGap('plc', 1000, 'connection lost', null);
    ledger.closeGap(gap.id, 2000, 'pending');
    const soFar = { samples: 7, read: 1, refused: [{ tag: 'Temp', status: 'BadHistoryOperationUnsupported' }], historyFrom: 1500, devicesAhead: ['Device'] };
    expect(ledger.putOff(gap.id, soFar, 'not filled yet', { tags: new Set(['Flow']), after: new Map([['Flow', 900]]), holes: null }))
      .toMatchObject({ backfill: 'pending', backfilledSamples: 7, note: 'not filled yet' });
    ledger.close();

    ledger = new GapLedger(file);
    expect(ledger.runsSoFar(gap.id)).toEqual(soFar);
    expect(ledger.scopes('plc').get(gap.id)).toEqual({ tags: new Set(['Flow']), after: new Map([['Flow', 900]]), holes: null });
    ledger.setBackfill(gap.id, 'partial', 9, null);
    expect(ledger.runsSoFar(gap.id)).toBeNull();
    ledger.close();
  });

  it('reads the runs kept by a ledger written before devices ahead were kept, and keeps them from then on', () => {
    const file = join(dir, 'acquisition.sqlite');
    new GapLedger(file).close();
    // gap_runs as it was before its devices_ahead column, with one gap's earlier run in it.
    const db = new Database(file);
    db.exec(`DROP TABLE gap_runs; CREATE TABLE gap_runs (gap_id INTEGER PRIMARY KEY, samples INTEGER NOT NULL, read INTEGER NOT NULL, refused TEXT NOT NULL, history_from INTEGER);
      INSERT INTO gap_runs VALUES (1, 4, 1, '[]', NULL);`);
    db.close();
    const ledger = new GapLedger(file);
    try {
      expect(ledger.runsSoFar(1)).toEqual({ samples: 4, read: 1, refused: [], historyFrom: null, devicesAhead: [] });
      const gap = ledger.openGap('plc', 1000, 'connection lost', null);
      ledger.closeGap(gap.id, 2000, 'pending');
      const soFar = { samples: 2, read: 2, refused: [], historyFrom: null, devicesAhead: ['Device'] };
      ledger.putOff(gap.id, soFar, 'not filled yet', { tags: new Set(['Flow']), after: new Map(), holes: null });
      expect(ledger.runsSoFar(gap.id)).toEqual(soFar);
    } finally {
      ledger.close();
    }
  });
});
