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
    expect(fields).toContain('tags[0]');
    expect(fields).toContain('tags[0].range');
    expect(fields).toContain('tags[1].server');
    expect(fields).toContain('tags[1].name');
    expect(problems.find((p) => p.field === 'tags[1].name')?.message).toContain('duplicate');
    expect(problems.find((p) => p.field === 'tags[0]')?.message).toContain('"colour"');
  });

  it('requires a range where compression is in % of span', () => {
    const [p] = problemsOf(valid.replace('    range: [0, 20]\n', ''));
    expect(p).toMatchObject({ field: 'tags[0]', line: 9 });
    expect(p.message).toContain('station.defaultCompression is in % of span');
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

  it('a range that is not a pair says what a range is', () => {
    const p = problemsOf(valid.replace('range: [0, 20]', 'range: 20')).find((x) => x.field === 'tags[0].range');
    expect(p?.message).toContain('expected [low, high]');
  });

  it('the default config in resources/ is valid', () => {
    const cfg = loadStationConfig(defaultConfigFile);
    expect(cfg.tags.length).toBeGreaterThan(50);
    expect(new Set(cfg.tags.map((t) => t.area)).size).toBeGreaterThanOrEqual(2);
  });
});
