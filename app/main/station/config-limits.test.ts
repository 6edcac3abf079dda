/**
 * Settings that can never work as written are refused at load, naming file:line:col, the field,
 * the value and what bounds it: an alarm limit outside its tag's EU range (the transmitter
 * saturates at its range, so the alarm could never trip) and a server's staleAfterMs below a
 * publishing interval of the same server. Line numbers are counted by hand in the YAML below.
 */
import { describe, expect, it } from 'vitest';
import { configTextLoader } from './testing/config-text.js';

/** Line 5: staleAfterMs (its value at column 19); 7/8: the groups; 16: range; 21/23/26/27: the HH, H, L, LL values (columns 22, 18, 21, 22). */
const farm = (o: { stale?: number; pub?: number; slow?: number; range?: string; hh?: number; h?: number; l?: number; ll?: number } = {}) => `station: { name: Test Farm }
servers:
  - id: sim
    endpoint: opc.tcp://127.0.0.1:4840/vigil
    staleAfterMs: ${o.stale ?? 3000}
    groups:
      - { id: fast, publishingIntervalMs: ${o.pub ?? 500} }
      - { id: slow, publishingIntervalMs: ${o.slow ?? 2000} }
    publishingIntervalMs: 500
areas: [{ id: Area1, name: Area one }]
tags:
  - name: Area1.TK101.Level
    server: sim
    nodeId: "ns=1;s=Area1.TK101.Level"
    unit: m
    range: ${o.range ?? '[0, 20]'}
    kind: analog
    area: Area1
    alarms:
      limits:
        HH: { value: ${o.hh ?? 19}, priority: 1, message: Level high high }
        H:
          value: ${o.h ?? 17}
          priority: 2
          message: Level high
        L: { value: ${o.l ?? 2}, priority: 3, message: Level low }
        LL: { value: ${o.ll ?? 1}, priority: 1, message: Level low low }
`;

/** The ConfigError's message lines, or 'ok'. */
const load = configTextLoader('vigil-config-limits-');

describe('alarm limits and the tag\'s EU range', () => {
  it('accepts limits inside the range, and at its ends (v >= HH trips at a saturated transmitter)', () => {
    expect(load(farm()).lines).toEqual(['ok']);
    expect(load(farm({ hh: 20, ll: 0 })).lines).toEqual(['ok']);
  });

  it('refuses a HH above the EU high naming file:line:col, the field, the value and the range', () => {
    const { file, lines } = load(farm({ hh: 25 }));
    expect(lines).toEqual([
      `invalid station config ${file}:`,
      `  ${file}:21:22: tags[0].alarms.limits.HH.value: expected HH within the tag's range [0, 20] ` +
        '(a limit outside it can never trip: the transmitter saturates at its range); got 25',
    ]);
  });

  it('refuses each limit outside the range, below the low end too, with a negative range', () => {
    const { file, lines } = load(farm({ range: '[-10, 60]', h: 61, l: -10.5, ll: -40, hh: 70 }));
    const why = '(a limit outside it can never trip: the transmitter saturates at its range)';
    expect(lines.slice(1)).toEqual([
      `  ${file}:21:22: tags[0].alarms.limits.HH.value: expected HH within the tag's range [-10, 60] ${why}; got 70`,
      `  ${file}:23:18: tags[0].alarms.limits.H.value: expected H within the tag's range [-10, 60] ${why}; got 61`,
      `  ${file}:26:21: tags[0].alarms.limits.L.value: expected L within the tag's range [-10, 60] ${why}; got -10.5`,
      `  ${file}:27:22: tags[0].alarms.limits.LL.value: expected LL within the tag's range [-10, 60] ${why}; got -40`,
    ]);
  });

  it('a tag without a range has no range to check against', () => {
    expect(load(farm({ hh: 500 }).replace('    range: [0, 20]\n', '    compression: { kind: none }\n')).lines).toEqual(['ok']);
  });
});

describe('staleAfterMs and the publishing intervals of its server', () => {
  it('accepts staleAfterMs equal to the longest publishing interval', () => {
    expect(load(farm({ stale: 2000 })).lines).toEqual(['ok']);
  });

  it('refuses staleAfterMs below a group\'s publishing interval, naming both', () => {
    const { file, lines } = load(farm({ stale: 1500 }));
    expect(lines.slice(1)).toEqual([
      `  ${file}:5:19: servers[0].staleAfterMs: expected at least servers[0].groups[1].publishingIntervalMs (group "slow"), 2000 ms ` +
        '(a server publishing less often is silent longer than staleAfterMs between publishes by design); got 1500',
    ]);
  });

  it('refuses it below the server\'s own interval and every group\'s it is below', () => {
    const { file, lines } = load(farm({ stale: 400, pub: 450 }));
    const why = '(a server publishing less often is silent longer than staleAfterMs between publishes by design); got 400';
    expect(lines.slice(1)).toEqual([
      `  ${file}:5:19: servers[0].staleAfterMs: expected at least servers[0].publishingIntervalMs, 500 ms ${why}`,
      `  ${file}:5:19: servers[0].staleAfterMs: expected at least servers[0].groups[0].publishingIntervalMs (group "fast"), 450 ms ${why}`,
      `  ${file}:5:19: servers[0].staleAfterMs: expected at least servers[0].groups[1].publishingIntervalMs (group "slow"), 2000 ms ${why}`,
    ]);
  });
});
