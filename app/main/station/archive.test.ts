import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStationConfig } from './config-file.js';
import { historianTagConfig, StationArchive } from './archive.js';
import { pino } from 'pino';
import { silentLogger } from '../log.js';

const config = parseStationConfig(
  `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 250 }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.L, server: s, nodeId: "ns=1;s=L", unit: m, range: [0, 20], kind: analog, area: A,
      compression: { kind: swinging-door, deviation: 1, percentOfSpan: true } }
  - { name: A.P, server: s, nodeId: "ns=1;s=P", kind: discrete, area: A }
  - { name: A.X, server: s, nodeId: "ns=1;s=X", kind: text, area: A }
  - { name: A.T, server: s, nodeId: "ns=1;s=T", unit: C, range: [0, 100], kind: analog, area: A, stepped: true, samplingIntervalMs: 1000 }
`,
  'test.yaml',
);

let open: StationArchive | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

describe('station archive', () => {
  it('derives historian tag configs from the station config', () => {
    expect(historianTagConfig(config.tags[0], config)).toMatchObject({
      kind: 'analog', unit: 'm', range: { low: 0, high: 20 }, stepped: false, cycleMs: 250,
      compression: { kind: 'swinging-door', deviation: 1, percentOfSpan: true },
    });
    // Analog without its own compression: the station default. Discrete: none, stepped.
    expect(historianTagConfig(config.tags[3], config)).toMatchObject({ compression: config.station.defaultCompression, stepped: true, cycleMs: 1000 });
    expect(historianTagConfig(config.tags[1], config)).toMatchObject({ compression: { kind: 'none' }, stepped: true });
  });

  it('commits what it was given without an explicit flush: after a batch once the period is over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200 }));
    const t0 = Date.now() - 60_000; // behind the discrete tag's sorting window
    const stored = () => archive.historian.readRaw({ tags: 'A.P', start: t0 - 1, end: t0 + 10_000 }).rows.length;
    archive.write([{ tag: 'A.P', t: t0, value: true, status: 0 }]);
    expect(stored()).toBe(0); // not committed inside the batch's call
    const deadline = Date.now() + 10_000;
    while (stored() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(stored()).toBe(1);
  });

  it('commits a discrete sample held in its sorting window although no batch follows it (a quiet plant)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200, sortWindowMs: 500 }));
    const t0 = Date.now();
    const stored = () => archive.historian.readRaw({ tags: 'A.P', start: t0 - 1, end: t0 + 10_000 }).rows.length;
    archive.write([{ tag: 'A.P', t: t0, value: false, status: 0 }]);
    const deadline = Date.now() + 10_000;
    while (stored() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(stored()).toBe(1);
  });

  it('archives values with their status; a bad sample without a value keeps a typed placeholder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = StationArchive.open(config, dir, silentLogger()));
    const t0 = Date.UTC(2026, 0, 1);
    archive.write([
      { tag: 'A.L', t: t0, value: 1.5, status: 0 },
      { tag: 'A.P', t: t0, value: true, status: 0 },
      { tag: 'A.X', t: t0, value: 'Methanol', status: 0 },
      { tag: 'A.L', t: t0 + 250, value: null, status: 0x80310000 },
      { tag: 'A.P', t: t0 + 250, value: null, status: 0x80310000 },
      { tag: 'unknown', t: t0, value: 1, status: 0 },
    ]);
    await archive.close();
    open = null;
    const again = (open = StationArchive.open(config, dir, silentLogger()));
    const rows = again.historian.readRaw({ tags: 'A.*', start: t0 - 1, end: t0 + 1000, order: 'time' }).rows;
    const l = rows.filter((r) => r.tag === 'A.L');
    expect(l.map((r) => r.value)).toEqual([1.5, NaN]);
    expect(l[1].status >>> 16).toBe(0x8031);
    expect(rows.filter((r) => r.tag === 'A.P').map((r) => r.value)).toEqual([true, false]);
    expect(rows.find((r) => r.tag === 'A.X')?.value).toBe('Methanol');
    expect(again.stats().find((s) => s.tag === 'A.L')).toMatchObject({ samplesReceived: 2, compression: 'swinging-door 1 % of span' });
  });

  it('a sample the historian refuses does not cost the other tags, nor its tag\'s samples in later runs; the refusal is logged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const errors: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
    const archive = (open = StationArchive.open(config, dir, logger));
    const t0 = Date.UTC(2026, 0, 1);
    archive.write([
      { tag: 'A.T', t: NaN, value: 20, status: 0 }, // no time: refused
      { tag: 'A.P', t: t0, value: true, status: 0 },
      { tag: 'A.T', t: t0 + 1000, value: 21, status: 0 },
    ]);
    archive.historian.flush();
    const rows = archive.historian.readRaw({ tags: 'A.*', start: t0 - 1, end: t0 + 2000, order: 'time' }).rows;
    expect(rows.map((r) => [r.tag, r.value])).toEqual([['A.P', true], ['A.T', 21]]);
    expect(errors.map((l) => (JSON.parse(l) as { msg: string; tag: string })).map((e) => [e.msg, e.tag])).toEqual([['archive append failed', 'A.T']]);
  });

  it('imports CSV files dropped into <data>/inbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-'));
    const archive = (open = StationArchive.open(config, dir, silentLogger()));
    writeFileSync(join(dir, 'inbox', 'backfill.csv'), 'time,tag,value\n2026-01-01T00:00:00Z,A.T,20.5\n2026-01-01T00:01:00Z,A.T,21\nnot-a-time,A.T,3\n');
    const deadline = Date.now() + 20_000;
    while (readdirSync(join(dir, 'inbox', 'rejected')).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(join(dir, 'inbox', 'rejected')).sort()).toEqual(['backfill.csv', 'backfill.csv.report.txt']);
    archive.historian.flush();
    const rows = archive.historian.readRaw({ tags: 'A.T', start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 2) }).rows;
    expect(rows.map((r) => r.value)).toEqual([20.5, 21]);
  });
});
