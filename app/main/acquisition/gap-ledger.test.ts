/** The gap ledger on a real SQLite file: what a reader after a sequence number gets, across changes and a reopen. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GapLedger } from './gap-ledger.js';

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
});
