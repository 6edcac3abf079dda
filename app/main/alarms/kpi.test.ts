/**
 * KPI arithmetic on hand-made journal lines (EEMUA 191 figures of the spec):
 * every expectation is counted by hand from the lines written here.
 */
import { describe, expect, it } from 'vitest';
import { computeKpi, floodTime, type KpiLine, type KpiSettings } from './kpi.js';

const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
const S = 1000;
const MIN = 60 * S;
const settings: KpiSettings = { operators: 1, fleetingSeconds: 5, staleHours: 24, chatteringCount: 3, chatteringWindowS: 60, flood: { windowMinutes: 10, startAbove: 10, endBelow: 5 } };
const line = (t: number, alarmId: string, event: KpiLine['event'], priority = 3, state = event === 'activated' ? 'B' : 'A'): KpiLine => ({ t, alarmId, tag: alarmId.split('/')[0]!, condition: 'H', event, state, priority });

describe('alarm KPIs', () => {
  it('rate per operator per 10 min, worst period, periods in flood, priority split', () => {
    // 0-10 min: 12 annunciations (11 x P3, 1 x P1); 10-20 min: 2 (P2); 20-30 min: none.
    const lines = [
      ...Array.from({ length: 11 }, (_, i) => line(T0 + i * 30 * S, `A${i}/limit`, 'activated')),
      line(T0 + 9 * MIN, 'P1/limit', 'activated', 1),
      line(T0 + 12 * MIN, 'M/limit', 'activated', 2),
      line(T0 + 13 * MIN, 'M/limit', 'escalated', 2, 'B'),
      // Not annunciations: activated while shelved, acknowledgements.
      line(T0 + 14 * MIN, 'S/limit', 'activated', 1, 'F'),
      line(T0 + 15 * MIN, 'M/limit', 'acknowledged', 2, 'C'),
    ];
    const k = computeKpi(T0, T0 + 30 * MIN, lines, [], { ...settings, operators: 2 });
    expect(k.annunciations).toBe(14);
    expect(k.ratePer10Min).toEqual({ average: 14 / 3 / 2, peak: 12 / 2 });
    expect(k.flood).toMatchObject({ periods: 3, periodsInFlood: 1, percentPeriods: 100 / 3 });
    expect(k.byPriority).toEqual([1, 2, 11, 0]);
    expect(k.split).toEqual({ high: 100 / 14, medium: 200 / 14, low: 1100 / 14, target: { high: 5, medium: 15, low: 80 } });
    expect(k.top[0]).toEqual({ alarmId: 'M/limit', tag: 'M', condition: 'H', count: 2 });
    expect(k.top).toHaveLength(10);
  });

  it('time in flood: from the 11th annunciation in 10 min until fewer than 5 remain', () => {
    const times = Array.from({ length: 11 }, (_, i) => T0 + i * 10 * S); // 0, 10, ..., 100 s
    // Starts at 100 s (11 in the window). The window loses them at 600, 610, ... s: 4 remain at 660 s.
    expect(floodTime(times, T0, T0 + 3600 * S, settings.flood)).toBe(560 * S);
    // Clipped to the period.
    expect(floodTime(times, T0 + 200 * S, T0 + 300 * S, settings.flood)).toBe(100 * S);
    expect(floodTime(times.slice(0, 10), T0, T0 + 3600 * S, settings.flood)).toBe(0);
    const k = computeKpi(T0, T0 + 60 * MIN, times.map((t, i) => line(t, `X${i}/limit`, 'activated')), [], settings);
    expect(k.flood.timeMs).toBe(560 * S);
    expect(k.flood.percentTime).toBeCloseTo((100 * 560) / 3600, 9);
  });

  it('chattering (3 activations within 60 s), fleeting (back within 5 s), stale (active over 24 h)', () => {
    const lines = [
      line(T0, 'C/limit', 'activated'), line(T0 + 10 * S, 'C/limit', 'returned'),
      line(T0 + 20 * S, 'C/limit', 'activated'), line(T0 + 30 * S, 'C/limit', 'returned'),
      line(T0 + 59 * S, 'C/limit', 'activated'), line(T0 + 62 * S, 'C/limit', 'cleared'),
      // Two activations in 60 s, a third 61 s after the first: not chattering.
      line(T0, 'N/limit', 'activated'), line(T0 + 30 * S, 'N/limit', 'cleared'), line(T0 + 30 * S, 'N/limit', 'activated'),
      line(T0 + 40 * S, 'N/limit', 'cleared'), line(T0 + 61 * S, 'N/limit', 'activated'),
      // Active 25 h within the period; another since before it.
      line(T0 + MIN, 'L/limit', 'activated'), line(T0 + MIN + 25 * 3600 * S, 'L/limit', 'latched'),
    ];
    const k = computeKpi(T0, T0 + 30 * 3600 * S, lines, [{ alarmId: 'OLD/state', tag: 'OLD', condition: 'STATE', since: T0 - 48 * 3600 * S }], settings);
    expect(k.chattering).toEqual([{ alarmId: 'C/limit', tag: 'C', condition: 'H', maxIn60s: 3, activations: 3 }]);
    expect(k.fleeting).toEqual([{ alarmId: 'C/limit', tag: 'C', condition: 'H', count: 1 }]);
    expect(k.stale).toEqual([
      { alarmId: 'OLD/state', tag: 'OLD', condition: 'STATE', activeSince: T0 - 48 * 3600 * S, activeMs: 78 * 3600 * S },
      { alarmId: 'N/limit', tag: 'N', condition: 'H', activeSince: T0 + 61 * S, activeMs: 30 * 3600 * S - 61 * S },
      { alarmId: 'L/limit', tag: 'L', condition: 'H', activeSince: T0 + MIN, activeMs: 25 * 3600 * S },
    ]);
  });

  it('an empty period: zeros, no division by zero', () => {
    const k = computeKpi(T0, T0 + 5 * MIN, [], [], settings);
    expect(k).toMatchObject({ annunciations: 0, ratePer10Min: { average: 0, peak: 0 }, flood: { periods: 1, periodsInFlood: 0, timeMs: 0 }, split: { high: 0, medium: 0, low: 0 } });
    expect([k.chattering, k.fleeting, k.stale, k.top]).toEqual([[], [], [], []]);
  });
});
