/**
 * An active alarm's condition or whole definition removed from the configuration, live (an edit
 * through the ConfigStore) or while the station was down (station.yaml edited, then a restart): the
 * alarms module on real SQLite and a real YAML file, the spec's fixture (LI-101 H 80 P2, HH 90 P1,
 * on-delay 5 s). The activation ends in the journal (the KPI does not keep it active for ever), the
 * kept state goes, and the row is never shown as another condition (LI at 85 is not HH, P1).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument, stringify, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { silentLogger } from '../log.js';
import { ConfigStore } from '../station/config-store.js';
import { loadStationConfig } from '../station/config-file.js';
import { AlarmsModule } from './module.js';
import { Harness, LI, T0, fixtureConfig, fixtureRaw } from './engine/testing.js';
import type { PersistedAlarm } from './engine/types.js';

let dir: string;
let file: string;
let t: number;
let store: ConfigStore;
let m: AlarmsModule;
const clock = { now: () => t };

function open(): AlarmsModule {
  store = new ConfigStore(loadStationConfig(file), { source: file });
  const mod = AlarmsModule.open({ config: store, dataDir: dir, logger: silentLogger(), clock, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
  mod.start();
  return mod;
}
const set = (tag: string, value: number) => {
  m.write([{ tag, t, value, status: 0 }]);
  m.flush();
};
const advance = (ms: number) => {
  const end = t + ms;
  while (t < end) {
    t = Math.min(end, t + 100);
    m.engine.tick();
  }
  m.flush();
};
const li = (doc: Document) => (doc.get('tags') as YAMLSeq<YAMLMap>).items.find((x) => x.get('name') === 'LI-101')!;
/** station.yaml edited by hand while the station is down. */
const editOffline = (f: (doc: Document) => void) => {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  f(doc);
  writeFileSync(file, doc.toString());
};
const removeH = (doc: Document) => (li(doc).getIn(['alarms', 'limits']) as YAMLMap).delete('H');
const removeAlarms = (doc: Document) => li(doc).delete('alarms');
const journal = () => m.journal.read(0, 1000).filter((e) => e.alarmId === LI).map((e) => `${(e.t - T0) / 1000}s ${e.event} ${e.state} ${e.condition} P${e.priority}${e.comment ? ` (${e.comment})` : ''}`);
const row = () => m.engine.rows().find((r) => r.id === LI);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-removal-'));
  file = join(dir, 'station.yaml');
  writeFileSync(file, stringify(fixtureRaw()));
  t = T0;
  m = open();
  set('LI-101', 85);
  advance(5000);
  m.engine.acknowledge([LI], [row()!.revision], 'op1', null);
  m.flush();
});

afterEach(() => {
  m.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the H limit of an active H alarm removed', () => {
  it('live: the H activation ends (cleared, H, P2), nothing is shown as HH at 85', () => {
    store.edit((doc) => removeH(doc));
    advance(10_000);
    expect(row()).toBeUndefined();
    expect(journal()).toEqual(['5s activated B H P2', '5s acknowledged C H P2', '5s cleared A H P2 (condition removed from configuration)']);
    expect(m.journal.states().map((s) => s.id)).not.toContain(LI);
    // HH (90) still trips as configured.
    set('LI-101', 91);
    advance(5000);
    expect(row()).toMatchObject({ state: 'B', condition: 'HH', priority: 1 });
  });

  it('while the station was down: after the restart the H activation ends; no HH P1 row with LI at 85', () => {
    m.stop();
    editOffline(removeH);
    t += 60_000;
    m = open();
    advance(200);
    expect(row()).toBeUndefined();
    set('LI-101', 85);
    advance(10_000);
    expect(row()).toBeUndefined();
    expect(journal()).toEqual(['5s activated B H P2', '5s acknowledged C H P2', '65s cleared A H P2 (condition removed from configuration)']);
    expect(m.journal.states().map((s) => s.id)).not.toContain(LI);
    // Ended once: the next restart finds nothing to end.
    m.stop();
    t += 60_000;
    m = open();
    advance(200);
    expect(journal()).toHaveLength(3);
  });
});

describe('the alarm removed while active', () => {
  it('live: its activation ends in the journal and the KPI does not list it stale a day later', () => {
    store.edit((doc) => removeAlarms(doc));
    advance(1000);
    expect(row()).toBeUndefined();
    expect(journal().at(-1)).toBe('5s cleared A H P2 (alarm removed from configuration)');
    expect(m.journal.states().map((s) => s.id)).not.toContain(LI);
    t += 25 * 3_600_000;
    expect(m.kpi(T0, t).stale).toEqual([]);
  });

  it('while the station was down: ended at the restart, kept state dropped; put back a week later it comes back normal, not B with the old activation', () => {
    const saved = readFileSync(file, 'utf8');
    m.stop();
    editOffline(removeAlarms);
    t += 60_000;
    m = open();
    set('LI-101', 50);
    advance(1000);
    expect(journal().at(-1)).toBe('65s cleared A H P2 (alarm removed from configuration)');
    expect(m.journal.states().map((s) => s.id)).not.toContain(LI);
    expect(m.kpi(T0, t + 25 * 3_600_000).stale).toEqual([]);
    m.stop();
    writeFileSync(file, saved);
    t += 7 * 86_400_000;
    m = open();
    advance(200);
    expect(row()).toBeUndefined();
    expect(m.engine.summary().horn.tone).toBeNull();
    set('LI-101', 50);
    advance(10_000);
    expect(row()).toBeUndefined();
  });
});

describe('a state kept by an older version (no tag, area, priority or message kept) of an alarm since removed', () => {
  it('its activation still ends, under its tag (from the id) and condition, and its kept state is dropped', () => {
    const h = new Harness();
    h.set('LI-101', 85).advance(5000);
    const kept = h.engine.takeChanges().persist.map((p) => {
      const { tag: _t, area: _a, priority: _p, message: _m, ...old } = p;
      return old as PersistedAlarm;
    });
    const config = fixtureConfig();
    const r = new Harness({ ...config, tags: config.tags.map((x) => (x.name === 'LI-101' ? { ...x, alarms: undefined } : x)) });
    r.engine.restore(kept);
    expect(r.engine.takeJournal()).toMatchObject([{ alarmId: LI, tag: 'LI-101', condition: 'H', event: 'cleared', state: 'A', comment: 'alarm removed from configuration' }]);
    expect(r.engine.takeChanges().removed).toEqual([LI]);
  });
});
