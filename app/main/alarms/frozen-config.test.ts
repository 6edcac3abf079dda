/**
 * The frozen-value alarm in the station YAML: a bad block is named by file, line, column and field
 * with what was expected; a good one compiles into the engine's definition (window in ms, the
 * station's own text when no message is written, its own delays).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseStationConfig } from '../station/config-file.js';
import { compileAlarms, definitionsOf } from './definitions.js';

const head = `station: { name: S, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "opc.tcp://127.0.0.1:4840" }
areas: [{ id: A, name: A }]
tags:
`;

/** The problems as the start-up error lists them (file:line:column: field: message). */
function problems(tags: string): string[] {
  try {
    parseStationConfig(head + tags, 'site.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n').slice(1).map((l) => l.trim());
    throw err;
  }
  return [];
}

const tag = (name: string, kind: string, alarms: string) => `  - name: ${name}
    server: plc
    nodeId: "ns=1;s=${name}"
    kind: ${kind}
    area: A
    alarms:
${alarms}`;

describe('frozen-value alarm config', () => {
  it('names the line and field of a missing or non-positive window, a bad priority, an unknown key and a non-analog tag', () => {
    expect(problems(
      tag('LI', 'analog', '      frozen: { priority: 3 }\n') +
      tag('TI', 'analog', '      frozen: { afterS: 0, priority: 5 }\n') +
      tag('PI', 'analog', '      frozen: { afterS: 600, priority: 3, afterSec: 10 }\n') +
      tag('SW', 'discrete', '      frozen: { afterS: 600, priority: 3 }\n') +
      tag('FI', 'analog', '      frozen: { afterS: 700000, priority: 3 }\n'),
    )).toEqual([
      'site.yaml:12:15: tags[0].alarms.frozen.afterS: missing: expected number',
      'site.yaml:19:25: tags[1].alarms.frozen.afterS: expected seconds > 0 (how long a live value may stay exactly the same), got number 0',
      'site.yaml:19:38: tags[1].alarms.frozen.priority: expected a priority 1..4, got number 5',
      'site.yaml:26:43: tags[2].alarms.frozen.afterSec: unknown field "afterSec": did you mean "afterS"?',
      'site.yaml:33:15: tags[3].alarms.frozen: a frozen-value alarm needs an analog tag (a discrete value legitimately holds); SW is discrete',
      'site.yaml:40:25: tags[4].alarms.frozen.afterS: expected at most 604800 s (a week), got number 700000',
    ]);
  });

  it('is refused on a tag under a server-side deadband, its own or its group\'s: a steady value under it is not reported and would read as frozen', () => {
    const withGroup = `station: { name: S, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "opc.tcp://127.0.0.1:4840"
    groups: [{ id: slow, deadband: { percent: 0.5 } }, { id: fast }]
areas: [{ id: A, name: A }]
tags:
`;
    // Columns: where "{ afterS" starts on each line (counted from 1).
    const at = (name: string, extra: string) => `  - { name: ${name}, server: plc, nodeId: "ns=1;s=${name}", kind: analog, area: A, ${extra}alarms: { frozen: { afterS: 600, priority: 3 } } }\n`;
    let message = '';
    try {
      parseStationConfig(withGroup + at('LI', 'deadband: { absolute: 0.01 }, ') + at('TI', 'group: slow, ') + at('PI', 'group: fast, '), 'site.yaml');
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      message = err.message;
    }
    expect(message.split('\n').slice(1).map((l) => l.trim())).toEqual([
      'site.yaml:8:122: tags[0].alarms.frozen: a frozen-value alarm needs every change of the value; LI has a server-side deadband (its deadband: 0.01), under which a steady value is not reported and reads as frozen: remove its deadband, or remove the frozen alarm',
      'site.yaml:9:105: tags[1].alarms.frozen: a frozen-value alarm needs every change of the value; TI has a server-side deadband (its group "slow"\'s deadband: 0.5 %), under which a steady value is not reported and reads as frozen: put it in a group without a deadband, or remove the frozen alarm',
    ]);
  });

  it('is refused shorter than three of its tag\'s update intervals (the slower of sampling and publishing): a moving value is silent between publishes', () => {
    const withGroup = `station: { name: S, defaultCompression: { kind: none } }
servers:
  - id: plc
    endpoint: "opc.tcp://127.0.0.1:4840"
    groups: [{ id: slow, publishingIntervalMs: 2000 }]
areas: [{ id: A, name: A }]
tags:
`;
    const at = (name: string, extra: string, afterS: number) => `  - { name: ${name}, server: plc, nodeId: "ns=1;s=${name}", kind: analog, area: A, ${extra}alarms: { frozen: { afterS: ${afterS}, priority: 3 } } }\n`;
    let message = '';
    try {
      // The server's defaults: 500 ms sampling and publishing (1.5 s at least); the group publishes every 2 s (6 s).
      parseStationConfig(withGroup + at('LI', '', 0.1) + at('TI', '', 1.5) + at('PI', 'group: slow, ', 5) + at('FI', 'group: slow, ', 6) + at('XI', 'samplingIntervalMs: 1000, ', 2.9), 'site.yaml');
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      message = err.message;
    }
    expect(message.split('\n').slice(1).map((l) => l.replace(/^\s*site\.yaml:\d+:\d+: /, ''))).toEqual([
      'tags[0].alarms.frozen.afterS: expected at least 1.5 s (3 x 500 ms, the slower of LI\'s sampling and publishing intervals: a moving value is silent that long between publishes), got 0.1',
      'tags[2].alarms.frozen.afterS: expected at least 6 s (3 x 2000 ms, the slower of PI\'s sampling and publishing intervals: a moving value is silent that long between publishes), got 5',
      'tags[4].alarms.frozen.afterS: expected at least 3 s (3 x 1000 ms, the slower of XI\'s sampling and publishing intervals: a moving value is silent that long between publishes), got 2.9',
    ]);
  });

  it('compiles into <tag>/frozen: the window in ms, the station\'s text without a message, its own delays over the tag block\'s', () => {
    const config = parseStationConfig(head +
      tag('LI', 'analog', '      onDelayS: 10\n      frozen: { afterS: 600, priority: 3, offDelayS: 0 }\n') +
      tag('TI', 'analog', '      frozen: { afterS: 90.5, priority: 2, message: TI stuck, shelvable: false }\n'), 'site.yaml');
    const defs = compileAlarms(config);
    expect(defs.find((d) => d.id === 'LI/frozen')).toMatchObject({
      kind: 'frozen', tag: 'LI', onDelayMs: 10_000, offDelayMs: 0,
      evaluator: {
        kind: 'frozen', afterMs: 600_000,
        spec: { condition: 'FROZEN', priority: 3, message: 'LI: value frozen (not changing)', text: { key: 'alarms.quality.frozen', params: { tag: 'LI' } } },
      },
    });
    const ti = defs.find((d) => d.id === 'TI/frozen')!;
    expect(ti).toMatchObject({ shelvable: false, evaluator: { afterMs: 90_500, spec: { message: 'TI stuck' } } });
    expect('text' in (ti.evaluator as { spec: object }).spec).toBe(false);
    expect(definitionsOf(config, defs).alarms.find((a) => a.id === 'TI/frozen')).toMatchObject({
      kind: 'frozen', conditions: [{ condition: 'FROZEN', priority: 2, message: 'TI stuck', limit: null }],
    });
  });
});
