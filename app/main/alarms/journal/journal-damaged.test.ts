/**
 * A damaged alarms.sqlite stops the station naming the file and what to do, as every station
 * database does (sqlite-file-error.ts): damage in the schema (found at open) and in a page of lines
 * (found when the start's retention runs through them). The file is left as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import Database from 'better-sqlite3';
import { silentLogger } from '../../log.js';
import { ConfigStore } from '../../station/config-store.js';
import { loadStationConfig } from '../../station/config-file.js';
import { AlarmsModule } from '../module.js';
import { AlarmJournal } from './journal.js';
import { T0, fixtureRaw } from '../engine/testing.js';

let dir: string;
let file: string;
const remedy = /holds the alarm journal.* restore it from a backup, or move it .*aside/;

function startModule(): AlarmsModule {
  const yaml = join(dir, 'station.yaml');
  const m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(yaml), { source: yaml }), dataDir: dir, logger: silentLogger(), clock: { now: () => T0 }, tickMs: 3_600_000 });
  try {
    m.start();
  } catch (err) {
    m.stop();
    throw err;
  }
  return m;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-journal-damaged-'));
  file = join(dir, 'alarms.sqlite');
  writeFileSync(join(dir, 'station.yaml'), stringify(fixtureRaw()));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a damaged alarms.sqlite', () => {
  it('damaged in its schema: opening names the file and what to do, and leaves it as it was', () => {
    const db = new Database(file);
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    db.close();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100, 4096); // the schema page's b-tree, past the file header
    writeFileSync(file, bytes);
    expect(() => AlarmJournal.open(dir)).toThrow(`${file}: database disk image is malformed`);
    expect(() => startModule()).toThrow(remedy);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('damaged in a page of lines: the start stops with the file and what to do, not a bare SqliteError', () => {
    const journal = AlarmJournal.open(dir);
    const line = { alarmId: 'XI-1/limit', tag: 'XI-1', area: 'A1', condition: 'H', event: 'activated', state: 'B', value: 60, valueSuspect: false, priority: 1, user: null, comment: null, message: 'XI-1 high', text: null } as const;
    journal.write(Array.from({ length: 3000 }, (_, i) => ({ ...line, t: T0 - 500 * 86_400_000 + i })));
    journal.close();
    const bytes = readFileSync(file);
    const pageSize = 4096;
    // A page in the middle of the lines' b-tree (the schema page and the first tables stay whole: the file opens).
    bytes.fill(0x5a, pageSize * 20, pageSize * 21);
    writeFileSync(file, bytes);
    expect(() => startModule()).toThrow(`${file}: database disk image is malformed`);
    expect(() => startModule()).toThrow(remedy);
  });
});
