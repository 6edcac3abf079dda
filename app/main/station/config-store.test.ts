import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigStore } from './config-store.js';
import { ConfigError, loadStationConfig } from './config-file.js';

const text = `# Tank farm north: edited by hand and from the console
station:
  name: North # the name operators know
servers:
  - id: sim
    endpoint: opc.tcp://127.0.0.1:4840/vigil
areas:
  - { id: A, name: Area A }
tags:
  # level of the ammonia tank
  - name: A.LI101
    server: sim
    nodeId: "ns=1;s=LI101"
    kind: analog
    area: A
    unit: "%"
    range: [0, 100]
`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  const file = join(dir, 'station.yaml');
  writeFileSync(file, text);
  return { dir, file, store: new ConfigStore(loadStationConfig(file), { source: file }) };
}

describe('config store', () => {
  it('refuses to edit a file that became not UTF-8 while running, and leaves its bytes as they are', () => {
    const { file, store } = setup();
    const latin1 = Buffer.from(text.replace('unit: "%"', 'unit: "\u00b0C"'), 'latin1');
    writeFileSync(file, latin1);
    expect(() => store.edit((doc) => doc.setIn(['tags', 0, 'description'], 'x'))).toThrow(ConfigError);
    expect(() => store.edit((doc) => doc.setIn(['tags', 0, 'description'], 'x'))).toThrow(/not UTF-8 \(byte 0xB0/);
    expect(readFileSync(file).equals(latin1)).toBe(true);
  });

  it('edits the file keeping its comments, validates, and tells listeners', () => {
    const { file, store } = setup();
    const seen: string[] = [];
    store.subscribe((next, prev) => seen.push(`${prev.tags[0]!.unit} -> ${next.tags[0]!.unit}`));
    store.edit((doc) => doc.setIn(['tags', 0, 'unit'], 'm'));
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# Tank farm north: edited by hand and from the console');
    expect(written).toContain('name: North # the name operators know');
    expect(written).toContain('# level of the ammonia tank');
    expect(written).toContain('unit: "m"');
    expect(written).toContain('range: [0, 100]');
    // Nothing else of the file changes: not the spacing of its flow maps either (a diff shows the edit alone).
    expect(written).toBe(text.replace('unit: "%"', 'unit: "m"'));
    expect(store.current.tags[0]!.unit).toBe('m');
    expect(seen).toEqual(['% -> m']);
  });

  it('keeps every other line when the print moves a comment of its own (a key with a comment and a map under it)', () => {
    const { file, store } = setup();
    // The library prints "alarms: # ..." as "alarms:" and the comment on a line of its own: the file and the print
    // no longer map line for line (this rewrote a whole shipped config, [0, 20] as [ 0, 20 ] and all).
    const commented = text
      .replace('areas:', 'alarms: # station-wide alarm settings\n  flood: { windowMinutes: 10, startAbove: 10, endBelow: 5 }\nareas:')
      .replace('range: [0, 100]', 'range: [0,100]    # as the transmitter is spanned');
    writeFileSync(file, commented);
    store.edit((doc) => doc.setIn(['tags', 0, 'unit'], 'm'));
    expect(readFileSync(file, 'utf8')).toBe(commented.replace('unit: "%"', 'unit: "m"'));
  });

  it('a file written with unpadded flow maps keeps them so', () => {
    const { file, store } = setup();
    const tight = text.replace('{ id: A, name: Area A }', '{id: A, name: Area A}').replace('[0, 100]', '[0,100]');
    writeFileSync(file, tight);
    store.edit((doc) => doc.setIn(['tags', 0, 'unit'], 'm'));
    expect(readFileSync(file, 'utf8')).toBe(tight.replace('unit: "%"', 'unit: "m"'));
  });

  it('a file without a final line end keeps its lines too (and gets the line end)', () => {
    const { file, store } = setup();
    writeFileSync(file, text.replace(/\n$/, '').replace('{ id: A, name: Area A }', '{ id: A,  name: Area A }'));
    store.edit((doc) => doc.setIn(['tags', 0, 'unit'], 'm'));
    expect(readFileSync(file, 'utf8')).toBe(text.replace('{ id: A, name: Area A }', '{ id: A,  name: Area A }').replace('unit: "%"', 'unit: "m"'));
  });

  it('a CRLF file stays CRLF; a tag added lands at the end with nothing above it changed', () => {
    const { file, store } = setup();
    writeFileSync(file, text.replace(/\n/g, '\r\n'));
    store.edit((doc) => doc.addIn(['tags'], { name: 'A.TI102', server: 'sim', nodeId: 'ns=1;s=TI102', kind: 'discrete', area: 'A' }));
    const written = readFileSync(file, 'utf8');
    expect(written.startsWith(text.replace(/\n/g, '\r\n'))).toBe(true);
    expect(written.slice(text.replace(/\n/g, '\r\n').length)).toBe(
      '  - name: A.TI102\r\n    server: sim\r\n    nodeId: ns=1;s=TI102\r\n    kind: discrete\r\n    area: A\r\n',
    );
    expect(written.replace(/\r\n/g, '')).not.toContain('\n');
    expect(store.current.tags.map((t) => t.name)).toEqual(['A.LI101', 'A.TI102']);
  });

  it('an invalid edit writes nothing and changes nothing', () => {
    const { dir, file, store } = setup();
    expect(() => store.edit((doc) => doc.setIn(['tags', 0, 'kind'], 'analogue'))).toThrow(ConfigError);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(store.current.tags[0]!.kind).toBe('analog');
    expect(readdirSync(dir)).toEqual(['station.yaml']);
  });

  it('writes beside the bundled default, never into it, and keeps the overlay out of the file', () => {
    const { dir, file } = setup();
    const own = join(dir, 'own.yaml');
    const store = new ConfigStore(loadStationConfig(file), {
      source: file,
      writeTo: own,
      overlay: (c) => ({ ...c, servers: c.servers.map((s) => ({ ...s, endpoint: 'opc.tcp://127.0.0.1:49999/vigil' })) }),
    });
    expect(store.current.servers[0]!.endpoint).toBe('opc.tcp://127.0.0.1:49999/vigil');
    store.edit((doc) => doc.setIn(['station', 'name'], 'North 2'));
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(readFileSync(own, 'utf8')).toContain('endpoint: opc.tcp://127.0.0.1:4840/vigil');
    expect(store.current.station.name).toBe('North 2');
    expect(store.current.servers[0]!.endpoint).toBe('opc.tcp://127.0.0.1:49999/vigil');
  });
});
