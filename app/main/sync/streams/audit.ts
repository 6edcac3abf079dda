/**
 * The audit trail upstream (<data>/audit.sqlite, owned by the accounts
 * module): one point per entry, at the entry's time, with the hash it was
 * chained with, so the region holds a copy the station cannot rewrite and
 * can check the station's head against it.
 *
 *   <m>_audit,action=<action>,result=<ok|refused|failed>,role=<role>,site=<site>,target=<target>,user=<user>
 *     seq=<n>i,hash="..",prev="..",target="..",old_value="..",new_value="..",comment="..",detail="..",source=".." <at>
 *
 * Tags: who, what and the outcome (user, role, target left out when absent).
 * The target is a tag too, so station entries of one action in the same
 * millisecond (two shelves expiring together) stay two points on InfluxDB; a
 * target that cannot be a tag (a control character, a trailing backslash on
 * 1.x) still travels in the target field. source is the caller's address
 * ("ws:10.0.0.5:51234") or "station". A user name that cannot be a tag (a
 * refused sign-in keeps what was typed) goes in a user_text field instead. String fields are left out on
 * VictoriaMetrics, which has none.
 */
import type Database from 'better-sqlite3';
import type { Lines } from '../line-protocol/batch.js';
import { PointBuilder } from '../line-protocol/point.js';
import type { ChainedEntry } from '../../accounts/audit/trail.js';
import type { RecordEncoding } from './alarms.js';
import type { SequencedSource } from './sequenced.js';
import { sqliteSource } from './sqlite-source.js';

export function auditEncoder(e: RecordEncoding): (a: ChainedEntry, out: Lines) => void {
  const measurement = `${e.measurement}_audit`;
  return (a, out) => {
    const p = new PointBuilder(e.dialect, e.stringFields).tag('action', a.action).tag('result', a.result).tag('role', a.role).tag('site', e.site);
    p.softTag('target', a.target);
    // A refused sign-in names whatever was typed: when that cannot be a tag it travels as a field.
    if (!p.softTag('user', a.user)) p.text('user_text', a.user);
    p.int('seq', a.seq)
      .text('hash', a.hash).text('prev', a.prev).text('target', a.target).text('old_value', a.oldValue).text('new_value', a.newValue)
      .text('comment', a.comment).text('detail', a.detail).text('source', a.source);
    const line = p.line(measurement, a.at);
    const key = `audit ${a.seq}`;
    if (typeof line === 'string') out.push(line, a.at, key);
    else out.refuse({ line: `${measurement},action=${JSON.stringify(a.action)} seq=${a.seq}i ${a.at}`, reason: line.reason, said: line.said, t: a.at, key, record: JSON.stringify(a) });
  };
}

/** The audit table read on the sync's own connection. */
export function auditSource(db: Database.Database): SequencedSource<ChainedEntry> {
  return sqliteSource<ChainedEntry>(db, {
    table: 'audit', seq: 'seq', writtenAt: 'at',
    columns: 'seq, at, user, role, action, target, old_value, new_value, comment, result, detail, source, prev, hash',
    toRecord: (r) => ({
      seq: r.seq as number, at: r.at as number, user: r.user as string | null, role: r.role as string | null, action: r.action as string,
      target: r.target as string | null, oldValue: r.old_value as string | null, newValue: r.new_value as string | null,
      comment: r.comment as string | null, result: r.result as ChainedEntry['result'], detail: r.detail as string | null,
      source: r.source as string | null, prev: r.prev as string, hash: r.hash as string,
    }),
  });
}
