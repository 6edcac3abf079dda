/**
 * Up to when a pen's last value may be drawn as held: only while the value was known to be
 * live. A server that never connected in this run ('connecting', its `since` the station's
 * start) never made the last archived value current: nothing is known after it.
 */
import { describe, expect, it } from 'vitest';
import type { LinkState } from '../api-client.js';
import { traceFromRaw } from './build.js';
import { liveEdge } from './live-edge.js';
import { gapSpans } from './overlays.js';
import { readAt } from './readout.js';
import { Kind } from './trace.js';

const GOOD = 0, SENSOR = 0x808c0000;
const NOW = 1_000_000;
const tag = { name: 'T1', server: 'plc' };

function station(link: LinkState, linkSince: number, server: { state: 'connecting' | 'connected' | 'lost'; since: number } | null, status: number | null = GOOD) {
  return {
    link,
    linkSince,
    servers: new Map(server ? [['plc', server]] : []),
    values: new Map(status === null ? [] : [['T1', { status }]]),
  };
}

const edge = (s: ReturnType<typeof station>) => liveEdge(s, NOW)(tag);

describe('the live edge', () => {
  it('now while the link, the server and the value are good', () => {
    expect(edge(station('connected', 0, { state: 'connected', since: 100 }))).toBe(NOW);
  });

  it('a server that never connected in this run: nothing after the last value (not its since)', () => {
    expect(edge(station('connected', 0, { state: 'connecting', since: 900_000 }))).toBe(-Infinity);
  });

  it('a server lost after being live: the moment it was lost', () => {
    expect(edge(station('connected', 0, { state: 'lost', since: 700_000 }))).toBe(700_000);
  });

  it('a bad value, no value or an unknown server: nothing after the last value', () => {
    expect(edge(station('connected', 0, { state: 'connected', since: 100 }, SENSOR))).toBe(-Infinity);
    expect(edge(station('connected', 0, { state: 'connected', since: 100 }, null))).toBe(-Infinity);
    expect(edge(station('connected', 0, null))).toBe(-Infinity);
  });

  it('the console\'s link down: when it went down, if the value was live then; else what was known then', () => {
    expect(edge(station('down', 800_000, { state: 'connected', since: 100 }))).toBe(800_000);
    expect(edge(station('down', 800_000, { state: 'connecting', since: 100 }))).toBe(-Infinity);
    expect(edge(station('down', 800_000, { state: 'lost', since: 600_000 }))).toBe(600_000);
    expect(edge(station('down', 800_000, { state: 'connected', since: 100 }, SENSOR))).toBe(-Infinity);
  });
});

describe('a server that never connected, last value weeks ago', () => {
  const last = NOW - 21 * 86_400_000;
  const tr = traceFromRaw({ n: 1, t: Float64Array.of(last), value: Float64Array.of(5), status: Uint32Array.of(GOOD), flags: new Uint32Array(1), complete: true },
    last - 1000, null, null, false);
  const until = edge(station('connected', 0, { state: 'connecting', since: NOW - 60_000 }));

  it('a no-data band from the last value to now, not a line held Good', () => {
    expect(gapSpans(tr, NOW - 86_400_000, NOW, until, NOW).at(-1)).toEqual([last, NOW, Kind.NoData, 0x809b0000]); // BadNoData
  });

  it('the readout after the last value: no data, not held', () => {
    expect(readAt(tr, NOW - 3_600_000, { liveUntil: until })).toMatchObject({ kind: 'gap', noData: true });
  });
});
