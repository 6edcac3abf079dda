import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ArchiveLockedError, Historian } from '../../../historian/index.js';
import type { ArchiveHealth } from '../../shared/api.js';
import { Dispatcher, EventHub } from '../api/dispatcher.js';
import { internalConnection } from '../api/connection.js';
import { ConfigError, loadStationConfig, parseStationConfig } from './config-file.js';
import { ConfigStore } from './config-store.js';
import { historianTagConfig, StationArchive } from './archive.js';
import { pino } from 'pino';
import { silentLogger } from '../log.js';

/** The inbox's stable period and poll shortened (2 s and 1 s by default): a dropped file is written whole at once. */
const INBOX_QUICK = { stableMs: 200, pollMs: 50 };

const config = parseStationConfig(
  `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x", samplingIntervalMs: 250, groups: [{ id: slow, samplingIntervalMs: 5000 }] }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.L, server: s, nodeId: "ns=1;s=L", unit: m, range: [0, 20], kind: analog, area: A,
      compression: { kind: swinging-door, deviation: 1, percentOfSpan: true } }
  - { name: A.P, server: s, nodeId: "ns=1;s=P", kind: discrete, area: A }
  - { name: A.X, server: s, nodeId: "ns=1;s=X", kind: text, area: A }
  - { name: A.T, server: s, nodeId: "ns=1;s=T", unit: C, range: [0, 100], kind: analog, area: A, stepped: true, samplingIntervalMs: 1000 }
  - { name: A.S, server: s, nodeId: "ns=1;s=S", unit: C, range: [0, 100], kind: analog, area: A, group: slow }
`,
  'test.yaml',
);

let open: StationArchive | null = null;

/** The archive registered as the station does it: its 'archive.health' events, and the dispatcher that answers for it. */
function listen(archive: StationArchive): { health: ArchiveHealth[]; dispatcher: Dispatcher } {
  const health: ArchiveHealth[] = [];
  const events = new EventHub();
  events.subscribe((name, data) => { if (name === 'archive.health') health.push(data as ArchiveHealth); });
  const dispatcher = new Dispatcher(silentLogger());
  archive.register(dispatcher, events);
  return { health, dispatcher };
}
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
    // A grouped tag is sampled at its group's interval (5 s, as its monitored item asks): its cyclic record is stamped by it, not the server's 250 ms.
    expect(historianTagConfig(config.tags[4], config)).toMatchObject({ cycleMs: 5000 });
  });

  it('commits what it was given without an explicit flush: after a batch once the period is over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200 }));
    const t0 = Date.now() - 60_000; // behind the discrete tag's sorting window
    const stored = () => archive.readRaw({ tags: 'A.P', start: t0 - 1, end: t0 + 10_000 }).rows.length;
    archive.write([{ tag: 'A.P', t: t0, value: true, status: 0 }]);
    expect(stored()).toBe(0); // not committed inside the batch's call
    const deadline = Date.now() + 10_000;
    while (stored() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(stored()).toBe(1);
  });

  it('commits a discrete sample held in its sorting window although no batch follows it (a quiet plant)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200, sortWindowMs: 500 }));
    const t0 = Date.now();
    const stored = () => archive.readRaw({ tags: 'A.P', start: t0 - 1, end: t0 + 10_000 }).rows.length;
    archive.write([{ tag: 'A.P', t: t0, value: false, status: 0 }]);
    const deadline = Date.now() + 10_000;
    while (stored() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(stored()).toBe(1);
  });

  it('archives values with their status; a bad sample without a value keeps a typed placeholder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger()));
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
    const again = (open = await StationArchive.open(config, dir, silentLogger()));
    const rows = again.readRaw({ tags: 'A.*', start: t0 - 1, end: t0 + 1000, order: 'time' }).rows;
    const l = rows.filter((r) => r.tag === 'A.L');
    expect(l.map((r) => r.value)).toEqual([1.5, NaN]);
    expect(l[1].status >>> 16).toBe(0x8031);
    expect(rows.filter((r) => r.tag === 'A.P').map((r) => r.value)).toEqual([true, false]);
    expect(rows.find((r) => r.tag === 'A.X')?.value).toBe('Methanol');
    expect((await again.stats()).find((s) => s.tag === 'A.L')).toMatchObject({ samplesReceived: 2, compression: { kind: 'swinging-door', deviation: 1, percentOfSpan: true } });
  });

  it('a discrete tag typed as an enumeration keeps each state in the archive, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger()));
    const t0 = Date.UTC(2026, 0, 1);
    // A valve: 0 closed, 1 opening, 2 open, 3 closing. As on/off, 1 -> 2 -> 3 was one "true".
    const states = [0, 1, 2, 3, 0];
    archive.write(states.map((value, i) => ({ tag: 'A.P', t: t0 + i * 1000, value, status: 0 })));
    await archive.close();
    open = null;
    const again = (open = await StationArchive.open(config, dir, silentLogger()));
    const rows = again.readRaw({ tags: 'A.P', start: t0 - 1, end: t0 + 10_000 }).rows;
    expect(rows.map((r) => [r.t - t0, r.value])).toEqual(states.map((v, i) => [i * 1000, v]));
  });

  it('a sample the historian refuses does not cost the other tags, nor its tag\'s samples in later runs; the refusal is logged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const errors: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
    const archive = (open = await StationArchive.open(config, dir, logger));
    const t0 = Date.UTC(2026, 0, 1);
    archive.write([
      { tag: 'A.T', t: NaN, value: 20, status: 0 }, // no time: refused
      { tag: 'A.P', t: t0, value: true, status: 0 },
      { tag: 'A.T', t: t0 + 1000, value: 21, status: 0 },
    ]);
    await archive.flush();
    const rows = archive.readRaw({ tags: 'A.*', start: t0 - 1, end: t0 + 2000, order: 'time' }).rows;
    expect(rows.map((r) => [r.tag, r.value])).toEqual([['A.P', true], ['A.T', 21]]);
    expect(errors.map((l) => (JSON.parse(l) as { msg: string; tag: string })).map((e) => [e.msg, e.tag])).toEqual([['archive append failed', 'A.T']]);
  });

  it('imports CSV files dropped into <data>/inbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { inboxTiming: INBOX_QUICK }));
    writeFileSync(join(dir, 'inbox', 'backfill.csv'), 'time,tag,value\n2026-01-01T00:00:00Z,A.T,20.5\n2026-01-01T00:01:00Z,A.T,21\nnot-a-time,A.T,3\n');
    const deadline = Date.now() + 20_000;
    while (readdirSync(join(dir, 'inbox', 'rejected')).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(join(dir, 'inbox', 'rejected')).sort()).toEqual(['backfill.csv', 'backfill.csv.report.txt']);
    await archive.flush();
    const rows = archive.readRaw({ tags: 'A.T', start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 2) }).rows;
    expect(rows.map((r) => r.value)).toEqual([20.5, 21]);
  });

  it('a dropped file whose last line has no line end is imported with a warning in the log (it may have been taken while written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-'));
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const archive = (open = await StationArchive.open(config, dir, logger, { inboxTiming: INBOX_QUICK }));
    writeFileSync(join(dir, 'inbox', 'cut.csv'), 'time,tag,value\n2026-01-01T00:00:00Z,A.T,20.5\n2026-01-01T00:01:00Z,A.T,21.2');
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(dir, 'inbox', 'done', 'cut.csv')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const deadline2 = Date.now() + 5_000;
    while (warnings.length === 0 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 50));
    const logged = warnings.map((l) => JSON.parse(l) as { msg: string; line: number; file: string });
    expect(logged.map((w) => [w.msg, w.line, w.file.endsWith('cut.csv')])).toEqual([['inbox file may be cut short', 3, true]]);
    await archive.flush();
    expect(archive.readRaw({ tags: 'A.T', start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 2) }).rows.map((r) => r.value)).toEqual([20.5, 21.2]);
  });

  it('a dropped file that grows after it was imported (its writer still had it open) is imported again, logged as such with the writer\'s convention', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-inbox-'));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const archive = (open = await StationArchive.open(config, dir, logger, { inboxTiming: INBOX_QUICK }));
    writeFileSync(join(dir, 'inbox', 'open.csv'), 'time,tag,value\n2026-01-01T00:00:00Z,A.T,20.5\n');
    const done = join(dir, 'inbox', 'done', 'open.csv');
    const deadline = Date.now() + 20_000;
    while (!existsSync(done) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    appendFileSync(done, '2026-01-01T00:01:00Z,A.T,21\n'); // the writer, still holding it, writes on
    type Line = { level: number; msg: string; file: string; movedTo?: string; warning?: string };
    const inboxLines = () => lines.map((l) => JSON.parse(l) as Line).filter((l) => l.file?.endsWith('open.csv'));
    const deadline2 = Date.now() + 20_000;
    while (inboxLines().length < 3 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 200));
    // pino levels: 30 info, 40 warn. First the import and move, then the import again where it lies and why.
    expect(inboxLines().map((l) => [l.level, l.msg, l.movedTo === done])).toEqual([
      [30, 'inbox file imported', true],
      [30, 'inbox file imported again: it grew after it was imported and moved', true],
      [40, 'inbox file was still being written', false],
    ]);
    expect(inboxLines()[2]!.warning).toContain('rename it to name.csv when complete');
    await archive.flush();
    expect(archive.readRaw({ tags: 'A.T', start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 2) }).rows.map((r) => r.value)).toEqual([20.5, 21]);
  }, 60_000);

  it('a damaged past volume is named in the log and left alone; the station archives on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const day = Date.UTC(2026, 0, 1);
    const first = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 0 }));
    first.write([{ tag: 'A.T', t: day, value: 20, status: 0 }]);
    await first.close();
    open = null;
    const file = join(dir, 'archive', 'volumes', 'day-2026-01-01.sqlite');
    truncateSync(file, 1024);
    const bytes = readFileSync(file);
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const archive = (open = await StationArchive.open(config, dir, logger, { flushIntervalMs: 0 }));
    const now = Date.now();
    archive.write([{ tag: 'A.T', t: now, value: 21, status: 0 }]);
    await archive.flush();
    expect(archive.readRaw({ tags: 'A.T', start: now - 1, end: now + 1 }).rows.map((r) => r.value)).toEqual([21]);
    const logged = warnings.map((l) => JSON.parse(l) as { msg: string; path: string; advice: string });
    expect(logged.map((w) => [w.msg, w.path])).toEqual([['archive volume unreadable', file]]);
    expect(logged[0]!.advice).toContain('volumes detach day-2026-01-01.sqlite');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reports each commit its thread made with the last batch in it: what was handed over is then readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const commits: number[] = [];
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200, onCommit: (batch) => void commits.push(batch) }));
    const t0 = Date.UTC(2026, 0, 1);
    const first = archive.write([{ tag: 'A.L', t: t0, value: 1, status: 0 }, { tag: 'A.T', t: t0, value: 20, status: 0 }]);
    const none = archive.write([{ tag: 'unknown', t: t0, value: 1, status: 0 }]);
    const second = archive.write([{ tag: 'A.T', t: t0 + 1000, value: 21, status: 0 }]);
    expect([first, none, second]).toEqual([1, 0, 2]);
    const deadline = Date.now() + 10_000;
    while (!commits.some((c) => c >= second) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(commits.some((c) => c >= second)).toBe(true);
    await archive.publish(['A.T']); // its open block's newest points where reads see them, not only the journal
    expect(archive.readRaw({ tags: 'A.T', start: t0, end: t0 + 1000 }).rows.map((r) => r.value)).toEqual([20, 21]);
  });

  it('keeps live blocks at 512 points, the first one too (a compressed tag holds its open block\'s raw samples in memory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 0 }));
    const t0 = Date.UTC(2026, 0, 1);
    // 1,500 s of A.T: the historian's defaults would let its first block take up to 2048 points.
    archive.write(Array.from({ length: 1500 }, (_, i) => ({ tag: 'A.T', t: t0 + i * 1000, value: ((i * 7919) % 1000) / 10, status: 0 })));
    await archive.close();
    open = null;
    const volumes = join(dir, 'archive', 'volumes');
    const db = new Database(join(volumes, readdirSync(volumes).find((f) => f.endsWith('.sqlite'))!), { readonly: true });
    const rows = db.prepare(`SELECT t_start, t_end FROM block UNION ALL SELECT min(t_start), max(t_end) FROM segment HAVING count(*) > 0`).all() as { t_start: number; t_end: number }[];
    db.close();
    const seconds = rows.map((r) => (r.t_end - r.t_start) / 1000 + 1).sort((x, y) => x - y);
    expect(seconds.reduce((x, y) => x + y, 0)).toBe(1500);
    expect(seconds[seconds.length - 1]).toBeLessThanOrEqual(512);
  });

  it('a tag added to the config becomes an archived tag, seen by reads on the station\'s thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger()));
    expect(archive.tagNames().sort()).toEqual(['A.L', 'A.P', 'A.S', 'A.T', 'A.X']);
    const next = { ...config, tags: [...config.tags, { ...config.tags[0]!, name: 'A.L2', unit: 'cm' }] };
    archive.onConfig(next);
    const t0 = Date.UTC(2026, 0, 1);
    archive.write([{ tag: 'A.L2', t: t0, value: 7, status: 0 }]);
    await archive.flush();
    expect(archive.versions('A.L2').map((v) => v.config.unit)).toEqual(['cm']);
    expect(archive.readRaw({ tags: 'A.L2', start: t0, end: t0 }).rows.map((r) => r.value)).toEqual([7]);
  });

  it('a console edit that would change an archived tag\'s kind is refused naming file, line and field, and the file is left as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger()));
    await archive.flush();
    const file = join(dir, 'station.yaml');
    const text = `station: { name: T }
servers: [{ id: s, endpoint: "opc.tcp://127.0.0.1:4840/x" }]
areas: [{ id: A, name: A }]
tags:
  - { name: A.P, server: s, nodeId: "ns=1;s=P", kind: discrete, area: A }
`;
    writeFileSync(file, text);
    const store = new ConfigStore(parseStationConfig(text, file), { source: file });
    store.addCheck(archive.kindCheck);
    // A.X is archived as text: added again as analog, the historian would refuse it and archive none of its values.
    const add = () => store.edit((doc) => doc.addIn(['tags'], { name: 'A.X', server: 's', nodeId: 'ns=1;s=T', kind: 'analog', area: 'A', unit: 'C', range: [0, 100] }));
    expect(add).toThrow(ConfigError);
    expect(add).toThrow(new RegExp(`${file}:\\d+:\\d+: tags\\[1\\]\\.kind: `));
    expect(add).toThrow('tags[1].kind: the archive holds "A.X" as text; a tag\'s kind cannot change');
    expect(readFileSync(file, 'utf8')).toBe(text);
    // A new name is taken.
    store.edit((doc) => doc.addIn(['tags'], { name: 'A.X2', server: 's', nodeId: 'ns=1;s=T', kind: 'analog', area: 'A', unit: 'C', range: [0, 100] }));
    expect(store.current.tags.map((t) => t.name)).toEqual(['A.P', 'A.X2']);

    // The same change made by hand in the file: refused at start as a config error naming the field.
    await archive.close();
    open = null;
    writeFileSync(file, text.replace('name: A.P, server: s, nodeId: "ns=1;s=P", kind: discrete', 'name: A.P, server: s, nodeId: "ns=1;s=P", kind: text'));
    expect(() => loadStationConfig(file, StationArchive.archivedKindCheck(dir))).toThrow(`${file}:5:`);
    expect(() => loadStationConfig(file, StationArchive.archivedKindCheck(dir))).toThrow('tags[0].kind: the archive holds "A.P" as discrete');
    // No archive yet: nothing to check against.
    expect(StationArchive.archivedKindCheck(mkdtempSync(join(tmpdir(), 'vigil-arch-')))).toBeUndefined();
  });

  it('refuses to open an archive another writer holds, as the lock\'s own error; calls after close are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const other = Historian.open(join(dir, 'archive'));
    try {
      await expect(StationArchive.open(config, dir, silentLogger())).rejects.toBeInstanceOf(ArchiveLockedError);
    } finally {
      await other.close();
    }
    const archive = await StationArchive.open(config, dir, silentLogger());
    await archive.close();
    await expect(archive.flush()).rejects.toThrow(/closing/);
    expect(archive.write([{ tag: 'A.L', t: 1, value: 1, status: 0 }])).toBe(0);
  });

  it('says so when its thread stops: the error logged, calls refused, samples no longer taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const errors: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push((JSON.parse(line) as { msg: string }).msg) });
    const archive = (open = await StationArchive.open(config, dir, logger));
    const { health, dispatcher } = listen(archive);
    expect(await dispatcher.dispatch('archive.health', {}, internalConnection())).toEqual({ ok: true, result: { state: 'writing', since: null, error: null, dropping: null } });
    // The thread ends as a crash would end it: no close.
    await (archive as unknown as { thread: { worker: Worker } }).thread.worker.terminate();
    const deadline = Date.now() + 10_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual(['archive thread stopped: samples are no longer archived']);
    await expect(archive.flush()).rejects.toThrow(/archive thread exited/);
    expect(archive.write([{ tag: 'A.L', t: 1, value: 1, status: 0 }])).toBe(0);
    expect(health.map((h) => [h.state, h.error])).toEqual([['stopped', 'archive thread exited (code 1)']]);
    expect(await dispatcher.dispatch('archive.health', {}, internalConnection())).toMatchObject({ ok: true, result: { state: 'stopped' } });
  });

  it('tells the consoles when its commits fail (the catalog locked by another program) and when they succeed again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger(), { flushIntervalMs: 200 }));
    const { health } = listen(archive);
    const until = async (what: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(what()).toBe(true);
    };
    const t0 = Date.now() - 60_000; // discrete values past their sorting window: the next commit writes them
    const other = new Database(join(dir, 'archive', 'catalog.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE'); // holds the write lock past the writer's 5 s busy timeout
      archive.write([{ tag: 'A.P', t: t0, value: true, status: 0 }]);
      await until(() => health.length === 1);
      expect(health[0]).toMatchObject({ state: 'failing', error: expect.stringMatching(/locked|busy/i) });
    } finally {
      other.close(); // rolls its transaction back: the lock is gone
    }
    archive.write([{ tag: 'A.P', t: t0 + 1000, value: false, status: 0 }]);
    await until(() => health.length === 2);
    expect(health[1]).toMatchObject({ state: 'writing', error: null });
    await archive.flush();
    expect(archive.readRaw({ tags: 'A.P', start: t0, end: t0 + 1000 }).rows.map((r) => r.value)).toEqual([true, false]);
  }, 30_000);

  // Linux only, as the code (elsewhere the thread keeps the process's priority): CI runs on Linux.
  it.runIf(process.platform === 'linux')('runs its thread at a lower priority than the station\'s (nice 10, that thread alone)', async () => {
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (proc(5)); the name before it may hold spaces.
    const niceOfThreads = () => readdirSync(`/proc/${process.pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });
    const before = niceOfThreads().filter((n) => n === 10).length;
    const dir = mkdtempSync(join(tmpdir(), 'vigil-arch-'));
    const archive = (open = await StationArchive.open(config, dir, silentLogger()));
    expect(niceOfThreads().filter((n) => n === 10).length).toBe(before + 1);
    expect(niceOfThreads()).toContain(0); // this thread and the others keep theirs
    await archive.close();
    open = null;
    expect(niceOfThreads().filter((n) => n === 10).length).toBe(before);
  });
});
