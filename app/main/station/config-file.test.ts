import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadStationConfig, parseStationConfig } from './config-file.js';
import { defaultConfigFile } from '../args.js';

const valid = `station:
  name: Test Farm
servers:
  - id: sim
    endpoint: opc.tcp://127.0.0.1:4840/vigil
areas:
  - { id: Area1, name: Area one }
tags:
  - name: Area1.TK101.Level
    server: sim
    nodeId: "ns=1;s=Area1.TK101.Level"
    unit: m
    range: [0, 20]
    kind: analog
    area: Area1
    equipment: TK101
    role: level
`;

function problemsOf(text: string) {
  try {
    parseStationConfig(text, 'farm.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('station config', () => {
  it('accepts a valid file and fills defaults', () => {
    const cfg = parseStationConfig(valid, 'farm.yaml');
    expect(cfg.station.name).toBe('Test Farm');
    expect(cfg.servers[0].samplingIntervalMs).toBe(500);
    expect(cfg.tags[0]).toMatchObject({ name: 'Area1.TK101.Level', description: '', role: 'level', range: [0, 20] });
  });

  it('names file, line, field and expectation for a wrong kind', () => {
    const [p] = problemsOf(valid.replace('kind: analog', 'kind: analogue'));
    expect(p).toMatchObject({ line: 14, field: 'tags[0].kind' });
    expect(p.message).toContain('"analog"');
    expect(p.message).toContain('analogue');
  });

  it('points a missing field at its parent mapping', () => {
    const [p] = problemsOf(valid.replace('    nodeId: "ns=1;s=Area1.TK101.Level"\n', ''));
    expect(p.field).toBe('tags[0].nodeId');
    expect(p.line).toBe(9);
    expect(p.message).toMatch(/missing: expected string/);
  });

  it('takes a node id by namespace URI (nsu=) or by index, and names the field of one that is neither', () => {
    const byUri = parseStationConfig(valid.replace('"ns=1;s=Area1.TK101.Level"', '"nsu=urn:vigil:simulator;s=Area1.TK101.Level"'), 'farm.yaml');
    expect(byUri.tags[0].nodeId).toBe('nsu=urn:vigil:simulator;s=Area1.TK101.Level');
    for (const bad of ['Area1.TK101.Level', 'nsu=;i=1', 'nsu=urn:x', 'ns=1;x=1', 'nsu=urn:x;i=abc']) {
      const [p] = problemsOf(valid.replace('"ns=1;s=Area1.TK101.Level"', JSON.stringify(bad)));
      expect(p, bad).toMatchObject({ field: 'tags[0].nodeId', line: 11 });
      expect(p.message, bad).toContain('expected an OPC UA node id: ns=<index>;<id> or nsu=<namespace URI>;<id>');
      expect(p.message, bad).toContain(`got ${JSON.stringify(bad)}`);
    }
  });

  it('refuses a user name or password in an upstream URL, naming the field and where they go instead', () => {
    const withUpstream = (url: string) => `${valid}sync:\n  upstreams:\n    - { id: region, flavour: victoriametrics, url: "${url}" }\n`;
    expect(parseStationConfig(withUpstream('https://region.example:8428'), 'farm.yaml').sync.upstreams[0]?.url).toBe('https://region.example:8428');
    for (const bad of ['http://vigil:S3cret@127.0.0.1:8428', 'https://token@region.example/api']) {
      const [p] = problemsOf(withUpstream(bad));
      expect(p, bad).toMatchObject({ field: 'sync.upstreams[0].url', line: 20 });
      expect(p.message, bad).toContain('expected no user name or password in the URL');
    }
  });

  it('rejects unknown fields, bad ranges, unknown servers and duplicates', () => {
    const text = valid.replace('unit: m', 'unit: m\n    colour: red').replace('[0, 20]', '[20, 0]') + valid.split('tags:\n')[1].replace('server: sim', 'server: plc');
    const problems = problemsOf(text);
    const fields = problems.map((p) => p.field);
    expect(fields).toContain('tags[0].colour');
    expect(fields).toContain('tags[0].range');
    expect(fields).toContain('tags[1].server');
    expect(fields).toContain('tags[1].name');
    expect(problems.find((p) => p.field === 'tags[1].name')?.message).toContain('duplicate');
    expect(problems.find((p) => p.field === 'tags[0].colour')?.message).toContain('"colour"');
  });

  it('points a mistyped key at its own line, one problem per key, with the field it was meant to be', () => {
    const text = valid
      .replace('  name: Test Farm\n', '  name: Test Farm\n  locle: ru\n')
      .replace('    role: level\n', '    role: level\n    compresion: { kind: deadband, deviation: 0.1 }\n    colour: red\n');
    const lines = text.split('\n');
    const at = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(problemsOf(text)).toEqual([
      { line: at('locle:'), column: 3, field: 'station.locle', message: 'unknown field "locle": did you mean "locale"?' },
      { line: at('compresion:'), column: 5, field: 'tags[0].compresion', message: 'unknown field "compresion": did you mean "compression"?' },
      { line: at('colour:'), column: 5, field: 'tags[0].colour', message: expect.stringMatching(/^unknown field "colour": expected one of .*\bunit\b.*\bcompression\b/) },
    ]);
  });

  it('suggests the field for a key typed with two letters swapped', () => {
    const text = valid.replace('  name: Test Farm\n', '  nmae: Test Farm\n').replace('    unit: m\n', '    uint: m\n');
    const byField = new Map(problemsOf(text).map((p) => [p.field, p.message]));
    expect(byField.get('station.nmae')).toBe('unknown field "nmae": did you mean "name"?');
    expect(byField.get('tags[0].uint')).toBe('unknown field "uint": did you mean "unit"?');
  });

  it('lists problems in the order of the file, says what a number must be and what a bad format got', () => {
    const text = valid
      .replace('[0, 20]', '[20, 0]\n    compression: { kind: deadband, deviation: -1 }')
      .replace('opc.tcp://127.0.0.1:4840/vigil', 'http://127.0.0.1:4840/vigil');
    expect(problemsOf(text).map((p) => `${p.line}:${p.field}: ${p.message}`)).toEqual([
      '5:servers[0].endpoint: expected an endpoint URL opc.tcp://host:port/path, got string "http://127.0.0.1:4840/vigil"',
      '13:tags[0].range: expected [low, high] with low < high',
      '14:tags[0].compression.deviation: expected a number at least 0, got number -1',
    ]);
  });

  it('requires a range where compression is in % of span', () => {
    const [p] = problemsOf(valid.replace('    range: [0, 20]\n', ''));
    expect(p).toMatchObject({ field: 'tags[0]', line: 9 });
    expect(p.message).toContain('station.defaultCompression is in % of span');
  });

  it('refuses a server-side deadband on a tag that is not analog (the station would drop it unsaid)', () => {
    const discrete = valid.replace('kind: analog', 'kind: discrete\n    deadband: { absolute: 0.5 }').replace('    range: [0, 20]\n', '');
    expect(problemsOf(discrete)).toEqual([
      { line: 14, column: 15, field: 'tags[0].deadband', message: 'a server-side deadband needs an analog tag; Area1.TK101.Level is discrete' },
    ]);
    expect(() => parseStationConfig(valid.replace('kind: analog', 'kind: analog\n    deadband: { absolute: 0.5 }'), 'farm.yaml')).not.toThrow();
  });

  it('reports YAML syntax errors with their line', () => {
    const [p] = problemsOf('station:\n  name: [unclosed\nservers: []\n');
    expect(p.message).toMatch(/YAML syntax/);
    expect(p.line).toBeGreaterThan(0);
  });

  it('the message names the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, valid.replace('endpoint: opc.tcp://127.0.0.1:4840/vigil', 'endpoint: http://x'));
    expect(() => loadStationConfig(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: servers\\[0\\]\\.endpoint: .*opc\\.tcp`));
  });

  it('a missing file says so in plain words', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-cfg-')), 'absent.yaml');
    expect(() => loadStationConfig(file)).toThrow(`cannot read station config ${file}: no such file`);
  });

  it('a duplicate tag name names both lines', () => {
    const text = valid + valid.split('tags:\n')[1];
    const dup = problemsOf(text).find((p) => p.field === 'tags[1].name');
    expect(dup?.line).toBe(18);
    expect(dup?.message).toBe('duplicate tag name "Area1.TK101.Level": first defined at tags[0] (line 9)');
  });

  it('a duplicate server id names the field and both lines', () => {
    const text = valid.replace('areas:\n', '  - id: sim\n    endpoint: opc.tcp://127.0.0.1:4841/vigil\nareas:\n');
    const dup = problemsOf(text).find((p) => p.field === 'servers[1].id');
    expect(dup?.line).toBe(6);
    expect(dup?.message).toBe('duplicate server id "sim": first defined at servers[0] (line 4)');
  });

  it('a duplicate area id names the field and both lines', () => {
    const text = valid.replace('  - { id: Area1, name: Area one }\n', '  - { id: Area1, name: Area one }\n  - { id: Area1, name: Area again }\n');
    const dup = problemsOf(text).find((p) => p.field === 'areas[1].id');
    expect(dup?.line).toBe(8);
    expect(dup?.message).toBe('duplicate area id "Area1": first defined at areas[0] (line 7)');
  });

  it('a duplicate group id within a server names the field and both lines; servers may share group ids', () => {
    const groups = '    groups:\n      - { id: fast }\n      - { id: fast, samplingIntervalMs: 5000 }\n';
    const text = valid.replace('areas:\n', `${groups}areas:\n`);
    const dup = problemsOf(text).find((p) => p.field === 'servers[0].groups[1].id');
    expect(dup?.line).toBe(8);
    expect(dup?.message).toBe('duplicate group id "fast" of server "sim": first defined at servers[0].groups[0] (line 7)');
    const shared = valid.replace('areas:\n', '    groups: [{ id: fast }]\n  - id: plc\n    endpoint: opc.tcp://127.0.0.1:4841/vigil\n    groups: [{ id: fast }]\nareas:\n');
    expect(parseStationConfig(shared, 'farm.yaml').servers.map((s) => s.groups[0]?.id)).toEqual(['fast', 'fast']);
  });

  it('refuses a file that is not UTF-8, naming file, line and column of the first bad byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
    const file = join(dir, 'latin1.yaml');
    // A Latin-1 "°C": byte 0xB0 where UTF-8 needs two bytes.
    writeFileSync(file, Buffer.from(valid.replace('unit: m', 'unit: "\u00b0C"'), 'latin1'));
    expect(() => loadStationConfig(file)).toThrow(ConfigError);
    expect(() => loadStationConfig(file)).toThrow(`${file}:12:12: not UTF-8`);
  });

  it('loads a UTF-8 file with a byte-order mark, with what it says intact', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-cfg-')), 'bom.yaml');
    writeFileSync(file, '\uFEFF' + valid.replace('unit: m', 'unit: "\u00b0C"'), 'utf8');
    expect(loadStationConfig(file).tags[0].unit).toBe('\u00b0C');
  });

  it('refuses a UTF-16 file in plain words, with or without its byte-order mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cfg-'));
    for (const [name, bytes] of [
      ['bom-le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')])],
      ['bom-be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(valid, 'utf16le').swap16()])],
      ['no-bom.yaml', Buffer.from(valid, 'utf16le')],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      let message = '';
      try {
        loadStationConfig(file);
      } catch (err) {
        expect(err, name).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message, name).toContain(`${file}:1:`);
      expect(message, name).toContain('not UTF-8 (UTF-16?)');
      expect(message, name).not.toContain('\u0000');
    }
  });

  it('an alias bomb is a config error naming the file, not a crash', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [x, y] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) bomb.push(`${x}: &${x} [${Array(9).fill(`*${y}`).join(',')}]`);
    let err: unknown;
    try {
      parseStationConfig(`${bomb.join('\n')}\n${valid}`, 'farm.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('farm.yaml:');
    expect((err as ConfigError).message).toMatch(/alias/);
  });

  it('a missing enum field says missing', () => {
    const missingKind = problemsOf(valid.replace('    kind: analog\n', '')).find((p) => p.field === 'tags[0].kind');
    expect(missingKind?.message).toBe('missing: expected one of "analog", "discrete", "text"');
  });

  it('a .nan or .inf number says NaN or Infinity', () => {
    const nan = problemsOf(valid.replace('range: [0, 20]', 'range: [.nan, 20]')).find((p) => p.field === 'tags[0].range[0]');
    expect(nan?.message).toContain('got NaN');
    const inf = problemsOf(valid.replace('range: [0, 20]', 'range: [0, .inf]')).find((p) => p.field === 'tags[0].range[1]');
    expect(inf?.message).toContain('got Infinity');
    const negInf = problemsOf(valid.replace('range: [0, 20]', 'range: [-.inf, 20]')).find((p) => p.field === 'tags[0].range[0]');
    expect(negInf?.message).toContain('got -Infinity');
  });

  it('an unknown or missing compression kind names the value given', () => {
    const kind = problemsOf(valid.replace('    role: level\n', '    role: level\n    compression: { kind: swingingdoor, deviation: 0.5 }\n')).find((p) => p.field === 'tags[0].compression.kind');
    expect(kind?.message).toBe('expected one of "none", "deadband", "swinging-door", got string "swingingdoor"');
    const noKind = problemsOf(valid.replace('    role: level\n', '    role: level\n    compression: { deviation: 0.5 }\n')).find((p) => p.field === 'tags[0].compression.kind');
    expect(noKind?.message).toBe('missing: expected one of "none", "deadband", "swinging-door"');
  });

  it('an empty file says so', () => {
    for (const empty of ['', '# nothing\n', '\n\n']) {
      const [p] = problemsOf(empty);
      expect(p.message, JSON.stringify(empty)).toContain('got an empty file');
    }
  });

  it('a range that is not a pair says what a range is', () => {
    const p = problemsOf(valid.replace('range: [0, 20]', 'range: 20')).find((x) => x.field === 'tags[0].range');
    expect(p?.message).toContain('expected [low, high]');
  });

  it('an endpoint port outside 1-65535 names the field', () => {
    const [p] = problemsOf(valid.replace('127.0.0.1:4840/vigil', '127.0.0.1:489990/vigil'));
    expect(p).toMatchObject({ line: 5, field: 'servers[0].endpoint' });
    expect(p.message).toContain('expected a port from 1 to 65535');
    expect(parseStationConfig(valid.replace('127.0.0.1:4840/vigil', '[::1]:65535'), 'farm.yaml').servers[0]!.endpoint).toBe('opc.tcp://[::1]:65535');
  });

  it('one key for two alarm actions is refused at the second', () => {
    const [p] = problemsOf(`${valid}alarms:\n  keys:\n    silence: [F10]\n`);
    // ackSelected keeps its default F10: the later list in the settings is named.
    expect(p.field).toMatch(/^alarms\.keys\.(silence|ackSelected)\[0\]$/);
    expect(p.message).toMatch(/"F10" is already the key of (silence|ackSelected): expected each key in one list only/);
  });

  it("an operator's longest shelve above the supervisor's is refused", () => {
    const [p] = problemsOf(`${valid}alarms:\n  shelving:\n    maxMinutes: { operator: 1440, supervisor: 480 }\n`);
    expect(p.field).toBe('alarms.shelving.maxMinutes.operator');
    expect(p.message).toContain("expected at most the supervisor's 480 minutes");
  });

  it('the default config in resources/ is valid', () => {
    const cfg = loadStationConfig(defaultConfigFile);
    expect(cfg.tags.length).toBeGreaterThan(50);
    expect(new Set(cfg.tags.map((t) => t.area)).size).toBeGreaterThanOrEqual(2);
  });
});
