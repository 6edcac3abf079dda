/**
 * The alarm journal upstream (<data>/alarms.sqlite, owned by the alarms
 * module): one point per journal line, at the line's time.
 *
 *   <m>_alarms,alarm=<id>,area=<area>,condition=<HH|..|SYNC>,event=<event>,priority=<1-4>,site=<site>,state=<A-H>,tag=<tag>,user=<user>
 *     seq=<n>i,value=<float>|value_bool=<bool>|value_text="..",value_suspect=true,message="..",message_key="..",message_params="{..}",comment=".." <t>
 *
 * Tags are what a region groups by (all bounded sets; area, tag and user left
 * out when absent); the event is a tag so two lines of one alarm in the same
 * millisecond (activated, then acknowledged) stay two points on InfluxDB. The
 * value's field is named by its type (a field keeps one type per shard);
 * value_suspect is there only when the value is an uncertain sample's;
 * message_key and message_params (JSON) only for a message the station made
 * (the console's catalog key: a region translates it into its language).
 * message, comment and value_text are string fields: left out on
 * VictoriaMetrics, which has none.
 */
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../../../shared/api.js';
import type { Lines } from '../line-protocol/batch.js';
import type { Dialect } from '../line-protocol/escape.js';
import { PointBuilder } from '../line-protocol/point.js';
import type { SequencedSource } from './sequenced.js';
import { sqliteSource } from './sqlite-source.js';
import { hasColumn, storedText } from '../../alarms/journal/journal.js';

export interface RecordEncoding {
  measurement: string;
  site: string;
  dialect: Dialect;
  stringFields: boolean;
}

export function alarmEncoder(e: RecordEncoding): (j: JournalEntry, out: Lines) => void {
  const measurement = `${e.measurement}_alarms`;
  return (j, out) => {
    const p = new PointBuilder(e.dialect, e.stringFields)
      .tag('alarm', j.alarmId).tag('area', j.area).tag('condition', j.condition).tag('event', j.event).tag('priority', j.priority)
      .tag('site', e.site).tag('state', j.state).tag('tag', j.tag).tag('user', j.user)
      .int('seq', j.seq);
    const v = j.value;
    if (typeof v === 'number') p.float('value', v);
    else if (typeof v === 'boolean') p.bool('value_bool', v);
    else if (typeof v === 'string') p.text('value_text', v);
    if (j.valueSuspect) p.bool('value_suspect', true);
    p.text('message', j.message);
    if (j.text) p.text('message_key', j.text.key).text('message_params', JSON.stringify(j.text.params));
    p.text('comment', j.comment);
    const line = p.line(measurement, j.t);
    if (typeof line === 'string') out.push(line, j.t, j.alarmId);
    else out.refuse({ line: `${measurement},alarm=${JSON.stringify(j.alarmId)} seq=${j.seq}i ${j.t}`, reason: line.reason, said: line.said, t: j.t, key: j.alarmId, record: JSON.stringify(j) });
  };
}

/** The journal table read on the sync's own connection; a line's time is when it was written. */
export function journalSource(db: Database.Database): SequencedSource<JournalEntry> {
  return sqliteSource<JournalEntry>(db, {
    table: 'journal', seq: 'seq', writtenAt: 't',
    // A journal the station has not opened since a column came (a CLI on an older data directory) lacks it.
    columns: `seq, t, alarm_id, tag, area, condition, event, state, value, ${hasColumn(db, 'value_suspect') ? 'value_suspect' : '0 AS value_suspect'}, priority, user, comment, message, ${hasColumn(db, 'text') ? 'text' : 'NULL AS text'}`,
    toRecord: (r) => ({
      seq: r.seq as number, t: r.t as number, alarmId: r.alarm_id as string, tag: r.tag as string | null, area: r.area as string | null,
      condition: r.condition as JournalEntry['condition'], event: r.event as JournalEntry['event'], state: r.state as JournalEntry['state'],
      value: JSON.parse(r.value as string) as JournalEntry['value'], valueSuspect: r.value_suspect === 1, priority: r.priority as number, user: r.user as string | null,
      comment: r.comment as string | null, message: r.message as string, text: storedText(r.text),
    }),
  });
}
