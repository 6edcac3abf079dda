/**
 * The alarm journal stream over a journal the alarms module wrote, read on
 * the sync's own read-only connection: one literal line per journal line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmJournal } from '../../alarms/journal/journal.js';
import type { JournalDraft } from '../../alarms/engine/types.js';
import { Lines } from '../line-protocol/batch.js';
import { alarmEncoder, journalSource } from './alarms.js';
import { SequencedStream } from './sequenced.js';
import { openReadOnly } from './sqlite-source.js';

const T = 1_700_000_000_000;
const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

const draft = (over: Partial<JournalDraft>): JournalDraft => ({
  t: T, alarmId: 'TK101.Level/limit', tag: 'TK101.Level', area: 'Area 1', condition: 'HH', event: 'activated', state: 'B',
  value: 9.75, valueSuspect: false, priority: 1, user: null, comment: null, message: 'Tank 101 level high high', text: null, ...over,
});

function journal() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-stream-'));
  const j = AlarmJournal.open(dir);
  const db = openReadOnly(j.file);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => j.close(), () => db.close());
  return { j, db };
}

describe('alarm journal stream', () => {
  it('InfluxDB 1.x: tags sorted and escaped, the value field named by its type, text fields quoted on one line', () => {
    const { j, db } = journal();
    j.write([
      draft({}),
      draft({ t: T + 1500, event: 'acknowledged', state: 'C', user: 'ivan petrov', comment: 'called the "field" crew\nlevel falling' }),
      draft({ t: T + 2000, alarmId: 'comm/sim', tag: null, area: null, condition: 'COMM', event: 'activated', value: null, priority: 2, message: 'Communication lost with server sim' }),
      draft({ t: T + 3000, alarmId: 'TK101.Pump/state', tag: 'TK101.Pump', condition: 'STATE', event: 'returned', state: 'D', value: false, priority: 3, message: 'Pump tripped' }),
      draft({ t: T + 4000, alarmId: 'TK101.Grade/state', tag: 'TK101.Grade', condition: 'STATE', value: 'off "spec"', priority: 4, message: 'Grade, off spec' }),
    ]);
    const stream = new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'North 1', dialect: 'v1', stringFields: true }));
    const out = new Lines();
    const r = stream.read(null, 10, null, out);
    expect(out.text).toEqual([
      'tf_alarms,alarm=TK101.Level/limit,area=Area\\ 1,condition=HH,event=activated,priority=1,site=North\\ 1,state=B,tag=TK101.Level seq=1i,value=9.75,message="Tank 101 level high high" 1700000000000',
      'tf_alarms,alarm=TK101.Level/limit,area=Area\\ 1,condition=HH,event=acknowledged,priority=1,site=North\\ 1,state=C,tag=TK101.Level,user=ivan\\ petrov seq=2i,value=9.75,message="Tank 101 level high high",comment="called the \\"field\\" crew level falling" 1700000001500',
      'tf_alarms,alarm=comm/sim,condition=COMM,event=activated,priority=2,site=North\\ 1,state=B seq=3i,message="Communication lost with server sim" 1700000002000',
      'tf_alarms,alarm=TK101.Pump/state,area=Area\\ 1,condition=STATE,event=returned,priority=3,site=North\\ 1,state=D,tag=TK101.Pump seq=4i,value_bool=false,message="Pump tripped" 1700000003000',
      'tf_alarms,alarm=TK101.Grade/state,area=Area\\ 1,condition=STATE,event=activated,priority=4,site=North\\ 1,state=B,tag=TK101.Grade seq=5i,value_text="off \\"spec\\"",message="Grade, off spec" 1700000004000',
    ]);
    expect(out.keys).toEqual(['TK101.Level/limit', 'TK101.Level/limit', 'comm/sim', 'TK101.Pump/state', 'TK101.Grade/state']);
    expect([r.cursor, r.more, r.oldestWrittenAt]).toEqual(['5', false, T]);
    expect(stream.head()).toBe('5');
    expect(stream.backlog('3')).toEqual({ records: 2, oldestWrittenAt: T + 3000 });
  });

  it('VictoriaMetrics: no string fields; lines written after the first read come after the cursor', () => {
    const { j, db } = journal();
    j.write([draft({ user: 'a\\b' })]);
    const stream = new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v2', stringFields: false }));
    const first = new Lines();
    const r = stream.read(null, 10, null, first);
    j.write([draft({ t: T + 10, event: 'shelved', state: 'F', user: 'op', comment: 'maintenance' })]);
    const second = new Lines();
    stream.read(r.cursor, 10, null, second);
    expect([...first.text, ...second.text]).toEqual([
      'tf_alarms,alarm=TK101.Level/limit,area=Area\\ 1,condition=HH,event=activated,priority=1,site=N,state=B,tag=TK101.Level,user=a\\\\b seq=1i,value=9.75 1700000000000',
      'tf_alarms,alarm=TK101.Level/limit,area=Area\\ 1,condition=HH,event=shelved,priority=1,site=N,state=F,tag=TK101.Level,user=op seq=2i,value=9.75 1700000000010',
    ]);
  });

  it('a value from an uncertain sample goes with value_suspect=true; a journal from before the mark reads as not marked', () => {
    const { j, db } = journal();
    j.write([draft({ valueSuspect: true })]);
    const out = new Lines();
    new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: false })).read(null, 10, null, out);
    expect(out.text).toEqual([
      'tf_alarms,alarm=TK101.Level/limit,area=Area\\ 1,condition=HH,event=activated,priority=1,site=N,state=B,tag=TK101.Level seq=1i,value=9.75,value_suspect=true 1700000000000',
    ]);

    // A journal file written before the column existed, as that version made it.
    const dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-old-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const old = new Database(join(dir, 'alarms.sqlite'));
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, t INTEGER NOT NULL, alarm_id TEXT NOT NULL, tag TEXT, area TEXT,
      condition TEXT NOT NULL, event TEXT NOT NULL, state TEXT NOT NULL, value TEXT NOT NULL, priority INTEGER NOT NULL, user TEXT, comment TEXT,
      message TEXT NOT NULL)`);
    old.prepare("INSERT INTO journal (t, alarm_id, tag, area, condition, event, state, value, priority, message) VALUES (?, 'a/limit', 'a', null, 'H', 'activated', 'B', '2.5', 2, 'm')").run(T);
    old.close();
    const ro = openReadOnly(join(dir, 'alarms.sqlite'));
    cleanups.push(() => ro.close());
    const oldOut = new Lines();
    new SequencedStream('alarms', journalSource(ro), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: false })).read(null, 10, null, oldOut);
    expect(oldOut.text).toEqual(['tf_alarms,alarm=a/limit,condition=H,event=activated,priority=2,site=N,state=B,tag=a seq=1i,value=2.5 1700000000000']);
    // The station opening it adds the column; its lines stay unmarked.
    const reopened = AlarmJournal.open(dir);
    cleanups.push(() => reopened.close());
    expect(reopened.read(0, 10).map((e) => [e.value, e.valueSuspect, e.text])).toEqual([[2.5, false, null]]);
  });

  it('a message the station made goes with its catalog key and parameters, for a region in another language', () => {
    const { j, db } = journal();
    const text = { key: 'alarms.comm.lost', params: { server: 'sim "A"' } };
    j.write([draft({ alarmId: 'comm/sim', tag: null, area: null, condition: 'COMM', value: null, message: 'Communication lost with server sim "A"', text })]);
    expect(j.read(0, 10).map((e) => e.text)).toEqual([text]);
    const out = new Lines();
    new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true })).read(null, 10, null, out);
    expect(out.text).toEqual([
      'tf_alarms,alarm=comm/sim,condition=COMM,event=activated,priority=1,site=N,state=B seq=1i,message="Communication lost with server sim \\"A\\"",' +
        'message_key="alarms.comm.lost",message_params="{\\"server\\":\\"sim \\\\\\"A\\\\\\"\\"}" 1700000000000',
    ]);
  });

  it('a line that cannot be written is refused with its reason and the record kept', () => {
    const { j, db } = journal();
    j.write([draft({ value: 1, user: 'x\\' })]);
    const stream = new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }));
    const out = new Lines();
    expect(stream.read(null, 10, null, out).cursor).toBe('1');
    expect(out.count).toBe(0);
    expect(out.refused).toHaveLength(1);
    expect(out.refused[0]!.reason).toBe('user tag "x\\\\" ends with a backslash, which InfluxDB 1.x cannot read');
    expect(JSON.parse(out.refused[0]!.record!)).toMatchObject({ seq: 1, alarmId: 'TK101.Level/limit', user: 'x\\' });
  });

  it('lines deleted by retention before they were sent are reported lost, never skipped silently', () => {
    const { j, db } = journal();
    const day = 86_400_000;
    j.write([1, 2, 3, 4].map((k) => draft({ t: T - 10 * day + k })));
    j.write([draft({ t: T })]);
    const stream = new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }), true);
    const r1 = stream.read(null, 2, null, new Lines());
    expect([r1.cursor, r1.lost]).toEqual(['2', undefined]);
    expect(j.prune(5, T)).toBe(4);
    const out = new Lines();
    const r2 = stream.read(r1.cursor, 10, null, out);
    expect([r2.cursor, r2.lost, out.count]).toEqual(['5', '2 records (alarms 3–4) deleted at the station before they were sent', 1]);
  });

  it('after the wall clock stepped back, retention deletes only the lines before the first one within it: no hole among lines not sent', () => {
    // Lines 1-2 at -10 d, 3-4 within the period, then the clock stepped back: 5-6 dated -9 d, 7 now.
    const { j, db } = journal();
    const day = 86_400_000;
    j.write([-10, -10, -1, -1, -9, -9, 0].map((d, k) => draft({ t: T + d * day + k })));
    const stream = new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }), true);
    const r1 = stream.read(null, 1, null, new Lines());
    expect(j.prune(5, T)).toBe(2); // 1 and 2: 5 and 6 follow 3, within the period, and stay
    const out = new Lines();
    const r2 = stream.read(r1.cursor, 10, null, out);
    expect([r2.cursor, r2.lost, out.count]).toEqual(['7', '1 record (alarms 2) deleted at the station before they were sent', 5]);
  });

  it('a hole among the numbers inside a page is reported too (a journal pruned by an older version, by time alone)', () => {
    const { j, db } = journal();
    j.write([1, 2, 3, 4, 5, 6].map((k) => draft({ t: T + k })));
    const writer = new Database(j.file);
    writer.prepare('DELETE FROM journal WHERE seq IN (3, 4)').run();
    writer.close();
    const stream = new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }), true);
    const r1 = stream.read(null, 1, null, new Lines());
    const r2 = stream.read(r1.cursor, 10, null, new Lines());
    expect([r2.cursor, r2.lost]).toEqual(['6', '2 records (alarms 3–4) deleted at the station before they were sent']);
  });

  it('every line after the watermark deleted: reported at once, not when the next line comes', () => {
    const { j, db } = journal();
    const day = 86_400_000;
    j.write([1, 2, 3].map((k) => draft({ t: T - 10 * day + k })));
    const stream = new SequencedStream('alarms', journalSource(db), alarmEncoder({ measurement: 'tf', site: 'N', dialect: 'v1', stringFields: true }), true);
    const r1 = stream.read(null, 1, null, new Lines());
    expect(j.prune(5, T)).toBe(3);
    const r2 = stream.read(r1.cursor, 10, null, new Lines());
    expect([r2.cursor, r2.lost]).toEqual(['3', '2 records (alarms 2–3) deleted at the station before they were sent']);
  });
});
