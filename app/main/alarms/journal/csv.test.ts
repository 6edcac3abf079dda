/** The KPI report as CSV: figures a spreadsheet reads as they are meant (no float noise), counts exact. */
import { describe, expect, it } from 'vitest';
import type { KpiReport } from '../../../shared/api.js';
import { kpiCsv } from './csv.js';

const T = Date.UTC(2026, 11, 1);

function report(over: Partial<KpiReport> = {}): KpiReport {
  return {
    from: T, to: T + 3 * 3_600_000, operators: 3, annunciations: 7,
    ratePer10Min: { average: 7 / 18 / 3, peak: 4 / 3 },
    flood: { periods: 18, periodsInFlood: 1, percentPeriods: 100 / 18, timeMs: 200_000, percentTime: (100 * 200_000) / (3 * 3_600_000) },
    chattering: [], fleeting: [], stale: [],
    byPriority: [1, 2, 3, 1],
    split: { high: 100 / 7, medium: 200 / 7, low: 400 / 7, target: { high: 5, medium: 15, low: 80 } },
    top: [],
    ...over,
  };
}

const valueOf = (csv: string, item: string) => csv.split('\r\n').find((l) => l.split(',')[1] === item)?.split(',')[4];

describe('KPI CSV', () => {
  it('starts with a UTF-8 BOM, so Excel opens it as UTF-8, and the first record is still the column names', () => {
    const csv = kpiCsv(report());
    // U+FEFF, EF BB BF once encoded as the console's Blob does (Unicode 15 §23.8).
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.slice(1).split('\r\n')[0]).toBe('section,item,tag,condition,value,detail');
  });

  it('rates to 3 decimals and percentages to 2, as read off a report; counts as they are', () => {
    const csv = kpiCsv(report());
    expect(valueOf(csv, 'per operator per 10 min (average)')).toBe('0.13');
    expect(valueOf(csv, 'per operator per 10 min (peak)')).toBe('1.333');
    expect(valueOf(csv, '10-min periods in flood (%)')).toBe('5.56');
    expect(valueOf(csv, 'time in flood (%)')).toBe('1.85');
    expect(valueOf(csv, 'high (P1) %')).toBe('14.29');
    expect(valueOf(csv, 'medium (P2) %')).toBe('28.57');
    expect(valueOf(csv, 'low (P3+P4) %')).toBe('57.14');
    expect(valueOf(csv, 'annunciations')).toBe('7');
    expect(valueOf(csv, 'P3')).toBe('3');
  });
});
