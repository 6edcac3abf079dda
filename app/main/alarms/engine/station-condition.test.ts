/**
 * The engine's sync alarms (pure: a clock moved by hand): one SYNC row per
 * enabled upstream from the config, raised and cleared by the caller with
 * the text of the moment; a new text while raised changes the row, not the
 * activation, and is journaled (messageChanged); a config reload keeps the text; unknown ids are refused.
 */
import { describe, expect, it } from 'vitest';
import { stationConfigSchema } from '../../../shared/config.js';
import { compileAlarms } from '../definitions.js';
import { AlarmEngine } from './engine.js';
import { T0, fixtureRaw } from './testing.js';

const up = (id: string, enabled = true) => ({ id, url: 'http://region.example:8086', flavour: 'influxdb1', database: 't', enabled });
const config = (priority: number) => stationConfigSchema.parse({ ...fixtureRaw(), alarms: { sync: { priority } }, sync: { upstreams: [up('region'), up('spare', false)] } });
const paused = { message: 'Sending to upstream region is paused: 401', text: { key: 'alarms.sync.paused', params: { upstream: 'region', detail: '401' } } };
const stopped = { message: 'Sending to upstream region stopped: disk full', text: { key: 'alarms.sync.stopped', params: { upstream: 'region', detail: 'disk full' } } };

describe('sync alarms in the engine', () => {
  it('raised, re-worded, reloaded and cleared', () => {
    let t = T0;
    const e = new AlarmEngine({ now: () => t }, compileAlarms(config(3)));
    expect(e.definitions().filter((d) => d.kind === 'sync').map((d) => d.id)).toEqual(['sync/region', 'sync-lost']);
    expect(e.stationCondition('sync/spare', paused)).toBe(false);
    expect(e.stationCondition('comm/sim', paused)).toBe(false);

    expect(e.stationCondition('sync/region', paused)).toBe(true);
    const row = () => e.rows().find((r) => r.id === 'sync/region')!;
    expect([row().condition, row().state, row().priority, row().message, row().text]).toEqual(['SYNC', 'B', 3, paused.message, paused.text]);
    const rev = row().revision;

    t += 1000;
    e.stationCondition('sync/region', stopped);
    expect([row().state, row().message, row().activatedAt]).toEqual(['B', stopped.message, T0]);
    expect(row().revision).toBeGreaterThan(rev);

    e.define(compileAlarms(config(2)));
    expect([row().priority, row().message, row().state]).toEqual([2, stopped.message, 'B']);

    t += 1000;
    e.stationCondition('sync/region', null);
    expect([row().state, row().returnedAt]).toEqual(['D', T0 + 2000]);
    expect(e.takeJournal().map((j) => [j.alarmId, j.event, j.state, j.priority, j.message])).toEqual([
      ['sync/region', 'activated', 'B', 3, paused.message],
      ['sync/region', 'messageChanged', 'B', 3, stopped.message],
      ['sync/region', 'returned', 'D', 2, stopped.message],
    ]);
  });
});
