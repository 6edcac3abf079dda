/**
 * The API's schema of a station-made alarm text (alarms.ts stationText): the flat form every
 * journal line and row had, and sync-lost's detail kept beside it as a catalog message (nested,
 * as the sync words a loss), which a console must receive whole, not stripped.
 */
import { describe, expect, it } from 'vitest';
import { stationText } from './alarms.js';

const detail = 'alarms: 2 records (alarms 4–5) deleted at the station before they were sent';
const said = { key: 'sync.loss.inStream', params: { stream: 'alarms', detail: { key: 'sync.loss.deleted', params: { count: 2, stream: 'alarms', single: 'no', first: 4, last: 5, again: 'no' } } } };

describe('an alarm text in the API', () => {
  it('takes the flat form of earlier lines and keeps a nested message whole', () => {
    const flat = { key: 'alarms.sync.lostAt', params: { upstream: 'backup', detail } };
    expect(stationText.parse(flat)).toEqual(flat);
    const nested = { ...flat, nested: { detail: said } };
    expect(stationText.parse(nested)).toEqual(nested);
    const times = { ...flat, nested: { detail: { key: 'sync.check.gaps', params: { count: 2, missingAts: [1, 2], around: 'one', anchorAt: 3 } } } };
    expect(stationText.parse(times)).toEqual(times);
  });

  it('refuses a nested message that is not one, naming where', () => {
    const wrong = stationText.safeParse({ key: 'alarms.sync.lostAt', params: { upstream: 'backup', detail }, nested: { detail: 'alarms: 2 records' } });
    expect(wrong.success).toBe(false);
    expect(wrong.error!.issues[0]!.path).toEqual(['nested', 'detail']);
    const deep = stationText.safeParse({ key: 'alarms.sync.lostAt', params: { detail }, nested: { detail: { key: 'sync.loss.inStream', params: { detail: { key: 1, params: {} } } } } });
    expect(deep.success).toBe(false);
    // A flat param stays a string or a number: a message goes in nested.
    expect(stationText.safeParse({ key: 'alarms.sync.lostAt', params: { detail: said } }).success).toBe(false);
  });
});
