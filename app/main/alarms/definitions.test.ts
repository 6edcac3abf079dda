/**
 * Alarm definitions in the station YAML: problems named by file, line and
 * field; the compiled definitions (units, ms, per-kind overrides, one COMM
 * alarm per server); what a console reads of them.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseStationConfig } from '../station/config-file.js';
import { compileAlarms, definitionsOf } from './definitions.js';

const head = `station: { name: S, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:4840" }
  - { id: gw, endpoint: "opc.tcp://127.0.0.1:4841" }
areas: [{ id: A, name: A }]
tags:
  - { name: P-1, server: plc, nodeId: "ns=1;s=P1", kind: discrete, area: A }
  - { name: SP, server: plc, nodeId: "ns=1;s=SP", kind: analog, area: A }
`;

function problems(tagYaml: string, rest = ''): string[] {
  try {
    parseStationConfig(head + tagYaml + rest, 'site.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.line}:${p.field}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('alarm definitions in the config', () => {
  it('names the line and field of limits out of order, unknown tags, a % deadband without range, limits on a discrete tag', () => {
    expect(problems(`  - name: LI
    server: plc
    nodeId: "ns=1;s=LI"
    kind: analog
    area: A
    alarms:
      deadbandPercent: 2
      suppressWhen: { tag: P-9, equals: false }
      limits:
        H: { value: 80, priority: 2, message: high }
        HH: { value: 70, priority: 1, message: high-high }
`)).toEqual([
      '15:tags[2].alarms.deadbandPercent: missing range: a deadband in % of span needs the tag\'s range: [low, high]',
      '16:tags[2].alarms.suppressWhen.tag: unknown tag "P-9"',
      '19:tags[2].alarms.limits.HH.value: expected HH (70) above H (80)',
    ]);
    expect(problems(`  - name: SW
    server: plc
    nodeId: "ns=1;s=SW"
    kind: discrete
    area: A
    alarms:
      limits: { H: { value: 1, priority: 5, message: x } }
`)).toEqual([
      '15:tags[2].alarms.limits: limits, deviation and rate of change need an analog tag; SW is discrete',
      '15:tags[2].alarms.limits.H.priority: expected a priority 1..4, got number 5',
    ]);
  });

  it('refuses alarms that could never fire on their tag: a setpoint tag not analog, a state not of the tag\'s kind', () => {
    expect(problems(`  - name: FI
    server: plc
    nodeId: "ns=1;s=FI"
    kind: analog
    area: A
    alarms:
      deviation: { setpointTag: P-1, high: { value: 5, priority: 3, message: off } }
      state: { priority: 2, message: on }
  - { name: MODE, server: plc, nodeId: "ns=1;s=M", kind: text, area: A, alarms: { state: { when: 3, priority: 2, message: m } } }
  - { name: RUN, server: plc, nodeId: "ns=1;s=R", kind: discrete, area: A, alarms: { state: { when: "ON", priority: 2, message: r } } }
`)).toEqual([
      '15:tags[2].alarms.deviation.setpointTag: a setpoint tag must be analog; P-1 is discrete',
      '16:tags[2].alarms.state.when: a state alarm on analog tag FI needs when: a number (its value is a number), got true',
      '17:tags[3].alarms.state.when: a state alarm on text tag MODE needs when: a text (its value is a text), got 3',
      '18:tags[4].alarms.state.when: a state alarm on discrete tag RUN needs when: true, false or a number (its value is a state), got "ON"',
    ]);
    // What fits: a numeric state on an analog code, a text state on a text tag, true on a discrete tag.
    expect(problems(`  - { name: CODE, server: plc, nodeId: "ns=1;s=C", kind: analog, area: A, alarms: { state: { when: 3, priority: 2, message: c } } }
  - { name: MODE, server: plc, nodeId: "ns=1;s=M", kind: text, area: A, alarms: { state: { when: "TRIP", priority: 2, message: m } } }
  - { name: RUN, server: plc, nodeId: "ns=1;s=R", kind: discrete, area: A, alarms: { state: { priority: 2, message: r } } }
  - { name: FI, server: plc, nodeId: "ns=1;s=FI", kind: analog, area: A, alarms: { deviation: { setpointTag: SP, low: { value: 1, priority: 3, message: l } } } }
`)).toEqual([]);
  });

  it('refuses ambiguous definitions: both deadbands, both setpoints, a rule with two tests, unknown keys', () => {
    expect(problems(`  - name: LI
    server: plc
    nodeId: "ns=1;s=LI"
    kind: analog
    area: A
    range: [0, 10]
    alarms:
      deadband: 1
      deadbandPercent: 2
      suppressWhen: { tag: P-1, below: 1, above: 2 }
      deviation: { setpoint: 5, setpointTag: SP, high: { value: 1, priority: 3, message: d } }
      state: { when: 1, priority: 1, message: s, colour: red }
`)).toEqual([
      '17:tags[2].alarms.deadbandPercent: expected deadband (units) or deadbandPercent (% of span), not both',
      '18:tags[2].alarms.suppressWhen: expected exactly one of equals, below, above',
      '19:tags[2].alarms.deviation: expected exactly one of setpoint, setpointTag',
      '20:tags[2].alarms.state.colour: unknown field "colour": expected one of when, priority, message, cause, consequence, action, onDelayS, offDelayS, latching, shelvable',
    ]);
  });

  it('checks the station section: colours, shapes, roles, key names, flood order', () => {
    expect(problems('', `alarms:
  priorities: { 1: { name: A, colour: red, shape: square }, 2: { name: B, colour: "#ffb300", shape: star }, 3: { name: C, colour: "#000000", shape: diamond }, 4: { name: D, colour: "#000000", shape: circle } }
  shelving: { maxMinutes: { janitor: 5 } }
  keys: { silence: [F25], ackPage: [Shift+F10, Hyper+F1] }
`)).toEqual([
      '10:alarms.priorities.1.colour: expected a colour #rrggbb, got string "red"',
      '10:alarms.priorities.2.shape: expected one of "square", "triangle", "diamond", "circle", got string "star"',
      '11:alarms.shelving.maxMinutes.janitor: unknown field "janitor": expected one of operator, supervisor, engineer, administrator',
      '12:alarms.keys.silence[0]: expected a key name such as F10, Space, Shift+F10, F22, got string "F25"',
      '12:alarms.keys.ackPage[1]: expected a key name such as F10, Space, Shift+F10, F22, got string "Hyper+F1"',
    ]);
    expect(problems('', 'alarms: { flood: { startAbove: 3, endBelow: 5 } }\n')).toEqual(['9:alarms.flood.endBelow: expected flood.endBelow <= flood.startAbove']);
  });
});

describe('compiled definitions', () => {
  const config = parseStationConfig(`${head}  - name: LI
    server: plc
    nodeId: "ns=1;s=LI"
    kind: analog
    area: A
    equipment: TK1
    unit: m
    range: [0, 20]
    alarms:
      deadbandPercent: 5
      onDelayS: 10
      offDelayS: 20
      shelvable: false
      suppressWhen: [{ tag: P-1, equals: false }, { tag: SP, above: 3 }]
      limits: { HH: { value: 18, priority: 1, message: hh, cause: c, action: a }, L: { value: 2, priority: 3, message: l } }
      deviation: { setpointTag: SP, low: { value: 1, priority: 3, message: dl }, onDelayS: 0, latching: true }
      rateOfChange: { limit: 0.5, priority: 4, message: roc, windowS: 30 }
      badQuality: { priority: 3 }
alarms:
  communication: { priority: 2, cause: network }
`, 'site.yaml');
  const defs = compileAlarms(config);

  it('one definition per kind per tag, delays in ms, deadband in units, overrides per kind, one COMM alarm per server', () => {
    expect(defs.map((d) => d.id)).toEqual(['LI/limit', 'LI/deviation', 'LI/rateOfChange', 'LI/quality', 'comm/plc', 'comm/gw']);
    const [limit, deviation, roc, quality, comm] = defs;
    expect(limit).toMatchObject({ deadband: 1, onDelayMs: 10_000, offDelayMs: 20_000, latching: false, shelvable: false, area: 'A', equipment: 'TK1', unit: 'm', server: 'plc' });
    expect(limit!.suppress).toEqual([{ tag: 'P-1', test: { equals: false } }, { tag: 'SP', test: { above: 3 } }]);
    expect(limit!.evaluator).toMatchObject({ kind: 'limit', hh: { limit: 18, priority: 1, rationalization: { cause: 'c', consequence: '', action: 'a' } }, h: null, ll: null, l: { rationalization: null } });
    expect(deviation).toMatchObject({ onDelayMs: 0, offDelayMs: 20_000, latching: true, deadband: 1, evaluator: { setpoint: null, setpointTag: 'SP', high: null, low: { condition: 'DEVL', limit: 1 } } });
    expect(roc).toMatchObject({ deadband: 0, evaluator: { direction: 'both', windowMs: 30_000, spec: { condition: 'ROC', limit: 0.5, priority: 4 } } });
    expect(quality!.evaluator).toMatchObject({ spec: { condition: 'BAD', message: 'LI: bad quality', text: { key: 'alarms.quality.bad', params: { tag: 'LI' } } } });
    expect(comm).toMatchObject({ kind: 'communication', tag: null, server: 'plc', shelvable: false, evaluator: { spec: { condition: 'COMM', priority: 2, text: { key: 'alarms.comm.lost', params: { server: 'plc' } }, rationalization: { cause: 'network' } } } });
  });

  it('what a console reads: priorities, keys with their F13–F24 aliases, shelving maxima, conditions with rationalization', () => {
    const d = definitionsOf(config, defs);
    expect(d.priorities.map((p) => [p.level, p.shape])).toEqual([[1, 'square'], [2, 'triangle'], [3, 'diamond'], [4, 'circle']]);
    expect(d.keys).toMatchObject({ silence: ['F9', 'F21'], ackSelected: ['F10', 'Space', 'F22'], ackPage: ['Shift+F10', 'Shift+F22'], shelve: ['F7', 'F19'], summary: ['F8', 'F20'] });
    expect(d.shelveMaxMinutes).toEqual({ operator: 480, supervisor: 1440 });
    expect(d.flood).toEqual({ windowMinutes: 10, startAbove: 10, endBelow: 5 });
    const li = d.alarms.find((a) => a.id === 'LI/limit')!;
    expect(li).toMatchObject({ deadband: 5, deadbandPercentOfSpan: true, onDelayS: 10, offDelayS: 20, shelvable: false, suppressWhen: 'P-1 = false or SP > 3' });
    expect(li.conditions.map((c) => [c.condition, c.limit, c.priority])).toEqual([['HH', 18, 1], ['L', 2, 3]]);
    expect(d.alarms.find((a) => a.id === 'LI/rateOfChange')).toMatchObject({ deadband: 0, deadbandPercentOfSpan: false });
  });
});
