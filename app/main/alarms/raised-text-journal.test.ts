/**
 * A sync alarm whose text changes while it stays raised (paused for a 401, then for a 404, then a
 * quarantine: sync/status.ts alarmNews passes each on) is journaled with each text, as a
 * "message changed" line in the state the alarm is in: not a new activation, and an acknowledged
 * alarm stays acknowledged (the spec re-annunciates only a new activation or an escalation). Before,
 * only the first activation was journaled: an investigation could not see what the alarm said later,
 * and a restart restored the first text. The alarms module over a real alarms.sqlite; the journal's
 * CSV export and the Journal page's words for the event. Expectations are written out by hand from
 * the catalog's words.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { CsvTokenizer } from '../../../historian/csv/tokenize.js';
import { Translator } from '../../shared/i18n/index.js';
import { journalMessage } from '../../renderer/lib/alarms/journal-text.js';
import { silentLogger } from '../log.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { tempDir } from '../sync/testing/harness.js';
import { fixtureRaw } from './engine/testing.js';
import { JournalCsvFile } from './journal/csv.js';
import { AlarmsModule } from './module.js';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const c of cleanups.splice(0).reverse()) c(); });

function station(): { open: () => AlarmsModule } {
  const tmp = tempDir('vigil-alarm-reworded-');
  cleanups.push(tmp.remove);
  const file = join(tmp.dir, 'station.yaml');
  writeFileSync(file, stringify({ ...fixtureRaw(), sync: { upstreams: [{ id: 'region', url: 'http://127.0.0.1:9/', flavour: 'influxdb1', database: 't' }] } }));
  return {
    open: () => {
      // No timers of its own run in between (tickMs an hour): each step is flushed by the test.
      const m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(file), { source: file }), dataDir: tmp.dir, logger: silentLogger(), tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
      m.start();
      cleanups.push(() => m.stop());
      return m;
    },
  };
}

const ID = 'sync/region';
const row = (m: AlarmsModule) => m.snapshot().rows.find((r) => r.id === ID)!;
const lines = (m: AlarmsModule) => m.journal.read(0, 1000).filter((j) => j.alarmId === ID);

const P401 = 'Sending to upstream region is paused: HTTP 401: unauthorized';
const P404 = 'Sending to upstream region is paused: HTTP 404: database not found';
const QUARANTINED = 'Data for upstream region not sent: 3 lines refused: field type conflict';

describe('a sync alarm re-worded while raised', () => {
  it('journals each new text as "message changed" in the state it is in, no new activation, no re-alarm once acknowledged', () => {
    const m = station().open();
    m.syncAlarm('region', { kind: 'paused', message: 'HTTP 401: unauthorized' });
    m.flush();
    const activatedAt = row(m).activatedAt;
    m.syncAlarm('region', { kind: 'paused', message: 'HTTP 404: database not found' });
    m.flush();
    expect([row(m).state, row(m).message, row(m).activatedAt]).toEqual(['B', P404, activatedAt]);

    m.acknowledge([ID], [row(m).revision], 'op', 'seen');
    m.flush();
    m.syncAlarm('region', { kind: 'quarantined', message: '3 lines refused: field type conflict' });
    m.flush();
    // Acknowledged, it stays so: no horn, no second activation.
    expect([row(m).state, row(m).message, row(m).audible, row(m).activatedAt]).toEqual(['C', QUARANTINED, false, activatedAt]);

    m.syncAlarm('region', null);
    m.flush();
    expect(lines(m).map((j) => [j.event, j.state, j.user, j.message])).toEqual([
      ['activated', 'B', null, P401],
      ['messageChanged', 'B', null, P404],
      ['acknowledged', 'C', 'op', P404],
      ['messageChanged', 'C', null, QUARANTINED],
      ['cleared', 'A', null, QUARANTINED],
    ]);
    // Each line carries its catalog text: the Journal page says it in the console's language, and names the event.
    const changed = lines(m).filter((j) => j.event === 'messageChanged');
    const ru = new Translator('ru');
    expect(changed.map((j) => journalMessage(j, (k, p) => ru.t(k, p)))).toEqual([
      'Отправка на сервер region приостановлена: HTTP 404: database not found',
      'Данные для сервера region не отправлены: 3 lines refused: field type conflict',
    ]);
    expect(['en', 'ru', 'zh'].map((l) => new Translator(l as 'en').t('alarmsUi.event.messageChanged'))).toEqual(['Message changed', 'Сообщение изменено', '信息已改']);

    // The CSV export has the lines, with the event and the text of the moment.
    const csv = new JournalCsvFile();
    csv.add(lines(m));
    const records: string[][] = [];
    const tk = new CsvTokenizer({ record: (f) => records.push(f), badRecord: (line, _e, _f, message) => records.push([`BAD ${line}: ${message}`]) }, ',');
    tk.push(csv.close());
    tk.end();
    const header = records[0]!.map((h) => h.replace(/^\uFEFF/, ''));
    const [event, message] = [header.indexOf('event'), header.indexOf('message')];
    expect(records.slice(1, 6).map((r) => [r[event], r[message]])).toEqual([
      ['activated', P401], ['messageChanged', P404], ['acknowledged', P404], ['messageChanged', QUARANTINED], ['cleared', QUARANTINED],
    ]);
  });

  it('the same text reported again journals nothing; a raise from normal with a new text is an activation, not a change', () => {
    const m = station().open();
    m.syncAlarm('region', { kind: 'paused', message: 'HTTP 401: unauthorized' });
    m.syncAlarm('region', { kind: 'paused', message: 'HTTP 401: unauthorized' });
    m.flush();
    m.acknowledge([ID], [row(m).revision], 'op', null);
    m.syncAlarm('region', null);
    m.syncAlarm('region', { kind: 'paused', message: 'HTTP 404: database not found' });
    m.flush();
    expect(lines(m).map((j) => [j.event, j.state, j.message])).toEqual([
      ['activated', 'B', P401],
      ['acknowledged', 'C', P401],
      ['cleared', 'A', P401],
      ['activated', 'B', P404],
    ]);
  });

  it('after a restart the row says the last text, the one last journaled', () => {
    const s = station();
    const first = s.open();
    first.syncAlarm('region', { kind: 'paused', message: 'HTTP 401: unauthorized' });
    first.syncAlarm('region', { kind: 'paused', message: 'HTTP 404: database not found' });
    first.stop();

    const second = s.open();
    expect([row(second).state, row(second).message]).toEqual(['B', P404]);
    expect(row(second).text).toEqual(lines(second).at(-1)!.text);
  });
});
