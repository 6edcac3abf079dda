/**
 * The audit trail stream over a trail the accounts module wrote, read on the
 * sync's own read-only connection: one literal line per entry, with the hash
 * chain computed here from the documented formula (chain.ts).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../accounts/audit/trail.js';
import { Lines } from '../line-protocol/batch.js';
import { auditEncoder, auditSource } from './audit.js';
import { SequencedStream } from './sequenced.js';
import { openReadOnly } from './sqlite-source.js';

const T = 1_700_000_000_000;
const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

const sha = (prev: string, canonical: string) => createHash('sha256').update(`${prev}\n${canonical}`).digest('hex');

function trail() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-stream-'));
  let now = T;
  const a = AuditTrail.open(dir, { now: () => now, sleep: async () => {} });
  const db = openReadOnly(a.file);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => a.close(), () => db.close());
  return { a, db, at: (t: number) => { now = t; } };
}

describe('audit trail stream', () => {
  it('InfluxDB 1.x: who, what and outcome as tags; the chain hash, values and address as fields', () => {
    const { a, db, at } = trail();
    a.record({ user: null, role: null, action: 'station.started', result: 'ok', source: 'station', detail: '2 accounts' });
    at(T + 250);
    a.record({ user: 'eng 1', role: 'engineer', action: 'alarms.setLimit', target: 'TK101.Level/limit', oldValue: { value: 9 }, newValue: { value: 9.5 }, comment: 'per MOC "17"\nsigned', result: 'ok', source: 'ws:10.0.0.5:51234' });
    at(T + 300);
    a.record({ user: 'bad\tname', role: null, action: 'session.signIn', result: 'refused', detail: 'unknown user', source: 'ws:10.0.0.9:40000' });
    const h1 = sha('0'.repeat(64), JSON.stringify([1, T, null, null, 'station.started', null, null, null, null, 'ok', '2 accounts', 'station']));
    const h2 = sha(h1, JSON.stringify([2, T + 250, 'eng 1', 'engineer', 'alarms.setLimit', 'TK101.Level/limit', '{"value":9}', '{"value":9.5}', 'per MOC "17"\nsigned', 'ok', null, 'ws:10.0.0.5:51234']));
    const h3 = sha(h2, JSON.stringify([3, T + 300, 'bad\tname', null, 'session.signIn', null, null, null, null, 'refused', 'unknown user', 'ws:10.0.0.9:40000']));
    const stream = new SequencedStream('audit', auditSource(db), auditEncoder({ measurement: 'tf', site: 'North', dialect: 'v1', stringFields: true }));
    const out = new Lines();
    const r = stream.read(null, 10, null, out);
    expect(out.text).toEqual([
      `tf_audit,action=station.started,result=ok,site=North seq=1i,hash="${h1}",prev="${'0'.repeat(64)}",detail="2 accounts",source="station" 1700000000000`,
      `tf_audit,action=alarms.setLimit,result=ok,role=engineer,site=North,target=TK101.Level/limit,user=eng\\ 1 seq=2i,hash="${h2}",prev="${h1}",target="TK101.Level/limit",old_value="{\\"value\\":9}",new_value="{\\"value\\":9.5}",comment="per MOC \\"17\\" signed",source="ws:10.0.0.5:51234" 1700000000250`,
      `tf_audit,action=session.signIn,result=refused,site=North user_text="bad\tname",seq=3i,hash="${h3}",prev="${h2}",detail="unknown user",source="ws:10.0.0.9:40000" 1700000000300`,
    ]);
    expect(out.keys).toEqual(['audit 1', 'audit 2', 'audit 3']);
    expect([r.cursor, r.more, r.oldestWrittenAt]).toEqual(['3', false, T]);
    expect(stream.backlog('1')).toEqual({ records: 2, oldestWrittenAt: T + 250 });
  });

  it('VictoriaMetrics: tags and numbers only; a read stops at until', () => {
    const { a, db } = trail();
    a.record({ user: 'op', role: 'operator', action: 'alarms.acknowledge', target: 'comm/sim', result: 'ok', source: 'ipc:window' });
    a.record({ user: 'op', role: 'operator', action: 'alarms.acknowledge', target: 'comm/plc', result: 'ok', source: 'ipc:window' });
    const stream = new SequencedStream('audit', auditSource(db), auditEncoder({ measurement: 'tf', site: 'N', dialect: 'v2', stringFields: false }));
    const out = new Lines();
    const r = stream.read(null, 10, '1', out);
    expect(out.text).toEqual(['tf_audit,action=alarms.acknowledge,result=ok,role=operator,site=N,target=comm/sim,user=op seq=1i 1700000000000']);
    expect([r.cursor, r.more]).toEqual(['1', false]);
  });

  it("an engineer's re-send: entries written in [from, to], paged by sequence number", () => {
    const { a, db, at } = trail();
    for (let k = 0; k < 5; k++) {
      at(T + k * 1000);
      a.record({ user: 'op', role: 'operator', action: 'alarms.silence', result: 'ok', source: 'ipc:window' });
    }
    const stream = new SequencedStream('audit', auditSource(db), auditEncoder({ measurement: 'tf', site: 'N', dialect: 'v2', stringFields: false }));
    const first = new Lines();
    const p1 = stream.readTimeRange!(T + 1000, T + 3000, null, 2, first);
    const second = new Lines();
    const p2 = stream.readTimeRange!(T + 1000, T + 3000, p1.position, 2, second);
    expect([p1, p2]).toEqual([{ position: '3', done: false }, { position: '4', done: true }]);
    expect([...first.text, ...second.text]).toEqual([
      'tf_audit,action=alarms.silence,result=ok,role=operator,site=N,user=op seq=2i 1700000001000',
      'tf_audit,action=alarms.silence,result=ok,role=operator,site=N,user=op seq=3i 1700000002000',
      'tf_audit,action=alarms.silence,result=ok,role=operator,site=N,user=op seq=4i 1700000003000',
    ]);
  });

  it('a trail restored from an older copy is sent again from its start, its reused numbers too, and the loss is said', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-restore-'));
    const older = join(dir, 'older.sqlite');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let now = T;
    let a = AuditTrail.open(dir, { now: () => now, sleep: async () => {} });
    const action = (n: number) => ({ user: 'op', role: 'operator', action: `alarms.silence.${n}`, result: 'ok' as const, source: 'ipc:window' });
    for (const n of [1, 2]) a.record(action(n));
    a.close();
    copyFileSync(a.file, older); // closed: the WAL is in the file
    a = AuditTrail.open(dir, { now: () => now, sleep: async () => {} });
    for (const n of [3, 4, 5]) a.record(action(n));
    const encode = auditEncoder({ measurement: 'tf', site: 'N', dialect: 'v2', stringFields: false });
    let db = openReadOnly(a.file);
    const sent = new SequencedStream('audit', auditSource(db), encode).read(null, 10, null, new Lines());
    expect(sent.cursor).toBe('5');
    db.close();
    a.close();

    copyFileSync(older, a.file); // the restore: entries 3..5 are gone, and the next one is number 3 again
    now = T + 60_000;
    a = AuditTrail.open(dir, { now: () => now, sleep: async () => {} });
    a.record(action(6));
    db = openReadOnly(a.file);
    cleanups.push(() => a.close(), () => db.close());
    const out = new Lines();
    const r = new SequencedStream('audit', auditSource(db), encode).read('5', 10, null, out);
    expect(r.restarted).toBe(true);
    expect(r.cursor).toBe('3');
    expect(r.lost).toContain('records now end at 3, below 5 already sent');
    expect(out.text.map((l) => /action=([^,]+)/.exec(l)![1])).toEqual(['alarms.silence.1', 'alarms.silence.2', 'alarms.silence.6']);
  });
});
