/**
 * KPI periods through the module, on a real alarms.sqlite written by the real engine, against hand
 * counts (EEMUA 191 / ISA-18.2: flood is more than 10 annunciations in 10 min and ends below 5; a
 * rate is annunciations per operator per 10-minute period; stale is active over 24 h).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { silentLogger } from '../log.js';
import { ConfigStore } from '../station/config-store.js';
import { loadStationConfig } from '../station/config-file.js';
import { AlarmsModule } from './module.js';
import { T0, extraTags, fixtureRaw } from './engine/testing.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
let dir: string;
let t: number;
let m: AlarmsModule;

const set = (tag: string, value: number) => {
  m.write([{ tag, t, value, status: 0 }]);
  m.flush();
};
const advanceTo = (end: number) => {
  while (t < end) {
    t = Math.min(end, t + 100);
    m.engine.tick();
  }
  m.flush();
};
/** 15 annunciations, one a second from T0 (XI tags: H 50, no delays), each high for 0.5 s. */
const fifteenInFifteenSeconds = () => {
  for (let i = 0; i < 15; i++) {
    set(extraTags[i % 12]!, 60);
    advanceTo(T0 + i * S + 500);
    set(extraTags[i % 12]!, 40);
    advanceTo(T0 + (i + 1) * S);
  }
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-alarm-kpi-'));
  const yaml = join(dir, 'station.yaml');
  writeFileSync(yaml, stringify(fixtureRaw()));
  t = T0;
  m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(yaml), { source: yaml }), dataDir: dir, logger: silentLogger(), clock: { now: () => t }, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
  m.start();
});

afterEach(() => {
  m.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('KPI periods', () => {
  it('a period that starts during a flood counts the flood from its start until it ends', () => {
    fifteenInFifteenSeconds();
    advanceTo(T0 + 2 * H);
    // Hand count: at T0+60 s the window holds all 15 (flood); it falls below 5 when the 11th
    // (T0+10 s) leaves, at T0+610 s: 550 s of flood in the period.
    const k = m.kpi(T0 + 60 * S, T0 + H);
    expect(k.annunciations).toBe(0);
    expect(k.flood.timeMs).toBe(550 * S);
    expect(k.flood.percentTime).toBeCloseTo((100 * 550) / 3540, 9);
  });

  it('a period typed to end in the future ends now: rates over the periods that passed, an alarm active 1 s is not stale', () => {
    fifteenInFifteenSeconds();
    advanceTo(T0 + 20 * MIN);
    // Hand count: 15 annunciations in the two 10-minute periods since T0, one operator.
    const k = m.kpi(T0, t + 24 * H);
    expect(k.to).toBe(t);
    expect(k.flood.periods).toBe(2);
    expect(k.ratePer10Min.average).toBe(7.5);
    set('XI-12', 60);
    advanceTo(t + S);
    const later = m.kpi(t - H, t + 30 * H);
    expect(later.stale).toEqual([]);
  });
});
