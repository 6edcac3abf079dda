/**
 * One load reports every problem of the file: what spans parts (duplicates, references,
 * intervals, alarm limits) is checked on every part that parsed while other parts have schema
 * errors, in the order of the file, and a part with errors causes no follow-on problem of its
 * own. Line numbers are counted by hand in the YAML below.
 */
import { describe, expect, it } from 'vitest';
import { configTextLoader } from './testing/config-text.js';

const loadText = configTextLoader('vigil-config-all-');

/** The ConfigError's lines after its headline, or 'ok'. */
function load(text: string): { file: string; lines: string[] } {
  const { file, lines } = loadText(text);
  if (lines[0] === 'ok') return { file, lines };
  expect(lines[0]).toBe(`invalid station config ${file}:`);
  return { file, lines: lines.slice(1) };
}

const LIMIT_WHY = '(a limit outside it can never trip: the transmitter saturates at its range)';
const STALE_WHY = '(a server publishing less often is silent longer than staleAfterMs between publishes by design)';

describe('one load reports every problem', () => {
  it('reports schema errors and the checks across parts together, in the order of the file', () => {
    const text = `station:
  name: Test Farm
  locale: fr
servers:
  - id: sim
    endpoint: opc.tcp://127.0.0.1:4840/vigil
    staleAfterMs: 200
areas:
  - { id: Area1, name: Area one }
  - { id: Area1, name: Area again }
tags:
  - name: Area1.TK101.Level
    server: sim
    nodeId: "ns=1;s=Area1.TK101.Level"
    range: [0, 20]
    kind: analogue
    area: Area1
  - name: Area1.TK102.Level
    server: sim
    nodeId: "ns=1;s=Area1.TK102.Level"
    range: [0, 20]
    kind: analog
    area: Area1
    alarms:
      limits:
        HH: { value: 25, priority: 1, message: Level high high }
`;
    const { file, lines } = load(text);
    expect(lines).toEqual([
      `  ${file}:3:11: station.locale: expected one of "en", "ru", "zh", got string "fr"`,
      `  ${file}:7:19: servers[0].staleAfterMs: expected at least servers[0].publishingIntervalMs, 500 ms ${STALE_WHY}; got 200`,
      `  ${file}:10:11: areas[1].id: duplicate area id "Area1": first defined at areas[0] (line 9)`,
      `  ${file}:16:11: tags[0].kind: expected one of "analog", "discrete", "text", got string "analogue"`,
      `  ${file}:26:22: tags[1].alarms.limits.HH.value: expected HH within the tag's range [0, 20] ${LIMIT_WHY}; got 25`,
    ]);
  });

  it('names no reference to a part with errors unknown, and still finds a duplicate of its name as written', () => {
    const text = `station: { name: Test Farm }
servers:
  - id: sim
    endpoint: opc.tcp://127.0.0.1:4840/vigil
  - id: plc
    endpoint: http://127.0.0.1:4841/vigil
areas: [{ id: Area1, name: Area one }]
tags:
  - name: Area1.P101.Run
    server: plc
    nodeId: "ns=1;s=Area1.P101.Run"
    kind: discrete
    area: Area1
    decimals: many
  - name: Area1.P101.Run
    server: plc
    nodeId: "ns=1;s=Area1.P101.Run2"
    kind: discrete
    area: Area1
    alarms:
      state: { when: true, priority: 2, message: Pump running }
      suppressWhen: { tag: Area1.P101.Run, equals: false }
`;
    const { file, lines } = load(text);
    expect(lines).toEqual([
      `  ${file}:6:15: servers[1].endpoint: expected an endpoint URL opc.tcp://host:port/path, got string "http://127.0.0.1:4841/vigil"`,
      `  ${file}:14:15: tags[0].decimals: expected number, got string "many"`,
      `  ${file}:15:11: tags[1].name: duplicate tag name "Area1.P101.Run": first defined at tags[0] (line 9)`,
      `  ${file}:22:28: tags[1].alarms.suppressWhen.tag: a tag cannot suppress its own alarms`,
    ]);
  });

  it('reports no unknown server or area while an entry of that list has no readable id, and checks the tags that parsed', () => {
    const text = `station: { name: Test Farm }
servers:
  - endpoint: opc.tcp://127.0.0.1:4840/vigil
areas:
  - { name: Area one }
tags:
  - name: Area1.TK101.Level
    server: sim
    nodeId: "ns=1;s=Area1.TK101.Level"
    range: [0, 20]
    kind: analog
    area: Area1
    alarms:
      limits: { LL: { value: -1, priority: 1, message: Level low low } }
`;
    const { file, lines } = load(text);
    expect(lines).toEqual([
      `  ${file}:3:5: servers[0].id: missing: expected string`,
      `  ${file}:5:5: areas[0].id: missing: expected string`,
      `  ${file}:14:30: tags[0].alarms.limits.LL.value: expected LL within the tag's range [0, 20] ${LIMIT_WHY}; got -1`,
    ]);
  });

  it('checks a part whose only problem is an unknown key, while another part has errors', () => {
    const text = `station: { name: Test Farm, locale: fr }
servers:
  - id: sim
    endpoint: opc.tcp://127.0.0.1:4840/vigil
areas: [{ id: Area1, name: Area one }]
tags:
  - name: Area1.TK101.Level
    server: simm
    nodeId: "ns=1;s=Area1.TK101.Level"
    kind: analog
    area: Area1
    colour: red
`;
    const { file, lines } = load(text);
    expect(lines).toEqual([
      `  ${file}:1:37: station.locale: expected one of "en", "ru", "zh", got string "fr"`,
      `  ${file}:7:5: tags[0]: missing range: station.defaultCompression is in % of span, so the tag needs range: [low, high]`,
      `  ${file}:8:13: tags[0].server: unknown server "simm": expected one of sim`,
      expect.stringMatching(new RegExp(`^  ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12:5: tags\\[0\\]\\.colour: unknown field "colour": expected one of name, server, `)),
    ]);
  });
});
