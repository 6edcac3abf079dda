/**
 * The frozen-value window (tags[i].alarms.frozen.afterS) edited from the engineer's settings
 * (alarms.editSettings) through the real dispatcher, a real station YAML and real SQLite: written
 * with the file's comments kept, audited old and new, in effect at once in the engine; a window
 * outside the YAML's own bounds is refused naming the field and the range, nothing written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { internalConnection, type Connection } from '../api/connection.js';
import type { AuditRecord } from '../api/audit-sink.js';
import { silentLogger } from '../log.js';
import { ConfigStore } from '../station/config-store.js';
import { loadStationConfig } from '../station/config-file.js';
import type { ApiResponse } from '../../shared/api.js';
import { AlarmsModule } from './module.js';
import { LI, T0, fixtureRaw } from './engine/testing.js';

const FROZEN = 'LI-101/frozen';
const HEADER = '# Fixture station: comments must survive an engineer\'s edit\n';
/** The window written in the file at the start (s). */
const WINDOW_S = 600;

let dir: string;
let file: string;
let t: number;
let m: AlarmsModule;
let d: Dispatcher;
let audit: AuditRecord[];

const eng = internalConnection('eng1');
const op = internalConnection('op1');
const roles = new Map<Connection, ['engineer'] | ['operator']>([[eng, ['engineer']], [op, ['operator']]]);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-frozen-edit-'));
  file = join(dir, 'station.yaml');
  const raw = fixtureRaw();
  const li = raw.tags[0] as { alarms: Record<string, unknown> };
  li.alarms.frozen = { afterS: WINDOW_S, priority: 3 };
  writeFileSync(file, HEADER + stringify(raw));
  t = T0;
  audit = [];
  const clock = { now: () => t, monotonic: () => t };
  m = AlarmsModule.open({ config: new ConfigStore(loadStationConfig(file), { source: file }), dataDir: dir, logger: silentLogger(), clock, tickMs: 3_600_000, valuePeriodMs: 3_600_000 });
  d = new Dispatcher(silentLogger());
  d.useSessions({ sessionOf: (c) => { const r = roles.get(c); return r ? { id: c.id, user: r[0] === 'engineer' ? 'eng1' : 'op1', displayName: 'x', roles: r, since: 0 } : null; } });
  d.useAudit({ record: (e) => audit.push(e) });
  m.register(d, new EventHub());
  m.start();
});

afterEach(() => {
  m.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (c: Connection, params: unknown): Promise<ApiResponse<unknown>> => (await d.dispatch('alarms.editSettings', params, c)) as ApiResponse<unknown>;
/** The window as the file holds it, read by the YAML library alone (not the station's loader). */
const windowOnDisk = (): unknown => (parse(readFileSync(file, 'utf8')) as { tags: { alarms: { frozen?: { afterS: unknown } } }[] }).tags[0]!.alarms.frozen?.afterS;
/** A Good, unchanging LI-101 for `seconds`, ticking the engine as its timer does. */
function holdFor(seconds: number): void {
  m.write([{ tag: 'LI-101', t, value: 42, status: 0 }]);
  const end = t + seconds * 1000;
  while (t < end) {
    t = Math.min(end, t + 1000);
    m.engine.tick();
  }
  m.flush();
}
const frozenActive = () => m.engine.get(FROZEN)?.active === true;

describe('the frozen-value window in the engineer\'s settings (alarms.editSettings frozenAfterS)', () => {
  it('is written to the YAML (comments kept), audited old and new, and the engine uses the new window at once', async () => {
    const res = await call(eng, { id: FROZEN, frozenAfterS: 120, comment: 'MOC-60: TK101 transmitter is quieter than thought' });
    // The definition the console shows (the edit's answer and alarms.definitions) has the new window.
    expect(res).toMatchObject({ ok: true, result: { id: FROZEN, frozenAfterS: 120 } });
    const defs = (await d.dispatch('alarms.definitions', {}, op)) as ApiResponse<{ alarms: { id: string; frozenAfterS?: number }[] }>;
    expect(defs.ok && defs.result.alarms.filter((a) => a.frozenAfterS !== undefined)).toEqual([expect.objectContaining({ id: FROZEN, frozenAfterS: 120 })]);
    expect(readFileSync(file, 'utf8').startsWith(HEADER)).toBe(true);
    expect(windowOnDisk()).toBe(120);
    expect(audit.at(-1)).toMatchObject({
      user: 'eng1', action: 'alarms.editSettings', result: 'ok', target: FROZEN, comment: 'MOC-60: TK101 transmitter is quieter than thought',
      oldValue: { 'tags.0.alarms.frozen.afterS': WINDOW_S }, newValue: { 'tags.0.alarms.frozen.afterS': 120 },
    });
    // 2 min of a Good, unchanged value: frozen under the new window (the old one needed 10 min).
    holdFor(100);
    expect(frozenActive()).toBe(false);
    holdFor(30);
    expect(frozenActive()).toBe(true);
  });

  it('goes with other settings of the alarm in one edit and one audit entry', async () => {
    expect(await call(eng, { id: FROZEN, frozenAfterS: 900, priorities: { FROZEN: 2 }, onDelayS: 3, comment: 'MOC-61' })).toMatchObject({ ok: true });
    const onDisk = parse(readFileSync(file, 'utf8')) as { tags: { alarms: { frozen: Record<string, unknown> } }[] };
    expect(onDisk.tags[0]!.alarms.frozen).toEqual({ afterS: 900, priority: 2, onDelayS: 3 });
    expect(audit.filter((a) => a.action === 'alarms.editSettings')).toEqual([expect.objectContaining({
      result: 'ok',
      oldValue: { 'tags.0.alarms.frozen.priority': 3, 'tags.0.alarms.frozen.onDelayS': null, 'tags.0.alarms.frozen.afterS': WINDOW_S },
      newValue: { 'tags.0.alarms.frozen.priority': 2, 'tags.0.alarms.frozen.onDelayS': 3, 'tags.0.alarms.frozen.afterS': 900 },
    })]);
  });

  it('refuses a window shorter than three of the tag\'s update intervals (the fixture\'s server: 500 ms sampling and publishing, by default): 1.5 s at least', async () => {
    const before = readFileSync(file, 'utf8');
    const res = await call(eng, { id: FROZEN, frozenAfterS: 1.4, comment: 'MOC-64' });
    expect(res).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'alarms.refused.frozenAfterShort', params: { alarm: FROZEN, value: 1.4, least: 1.5 } } } });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await call(eng, { id: FROZEN, frozenAfterS: 1.5, comment: 'MOC-65' })).toMatchObject({ ok: true });
    expect(windowOnDisk()).toBe(1.5);
  });

  it('refuses a window outside the YAML\'s bounds (> 0, at most a week) naming the field and range; nothing written or changed', async () => {
    const before = readFileSync(file, 'utf8');
    // The bounds as the station YAML's documentation states them: above 0, at most 7 × 24 × 3600 s.
    const week = 7 * 24 * 3600;
    for (const bad of [0, -5, week + 1]) {
      const res = await call(eng, { id: FROZEN, frozenAfterS: bad, priorities: { FROZEN: 1 }, comment: 'MOC-62' });
      expect(res, String(bad)).toMatchObject({
        ok: false,
        error: { code: 'bad_request', message: expect.stringContaining('tags.0.alarms.frozen.afterS'), i18n: { key: 'alarms.refused.frozenAfterRange', params: { alarm: FROZEN, value: bad, max: week } } },
      });
      expect(audit.at(-1), String(bad)).toMatchObject({ action: 'alarms.editSettings', result: 'refused', oldValue: undefined, newValue: undefined });
      expect(readFileSync(file, 'utf8'), String(bad)).toBe(before);
    }
    // The engine keeps the window of the file.
    expect(m.definition(FROZEN).evaluator).toMatchObject({ kind: 'frozen', afterMs: WINDOW_S * 1000 });
    // The week itself is allowed, as in the YAML.
    expect(await call(eng, { id: FROZEN, frozenAfterS: week, comment: 'MOC-63' })).toMatchObject({ ok: true });
    expect(windowOnDisk()).toBe(week);
  });

  it('is refused for an alarm with no frozen window, and to anyone without alarms.configure', async () => {
    const before = readFileSync(file, 'utf8');
    expect(await call(eng, { id: LI, frozenAfterS: 60, comment: 'MOC-64' })).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'alarms.refused.noSuchCondition', params: { alarm: LI, condition: 'FROZEN' } } } });
    expect(await call(op, { id: FROZEN, frozenAfterS: 60, comment: 'MOC-64' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(windowOnDisk()).toBe(WINDOW_S);
  });
});
