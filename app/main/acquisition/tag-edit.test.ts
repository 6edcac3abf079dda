/**
 * An engineer changes a tag's archive compression and removes tags from the console: a real station
 * (its config in a YAML file with comments, a real OPC UA server, the real archive in a temp dir and
 * the alarms module), called through the dispatcher as a signed-in user. The file keeps every other
 * byte; a setting the config refuses is refused naming the field; each change is audited with the
 * value before and after; the archive takes the new compression at once (noise within the deadband
 * no longer archived where every sample was before); a tag with an alarm still standing is not
 * removed, and a removed tag's archive stays readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, type UAVariable } from 'node-opcua';
import type { AlarmList, ApiResponse, Params, RequestName, TagArchiveStats, TagInfo } from '../../shared/api.js';
import type { Role } from '../../shared/permissions.js';
import { internalConnection, type Session } from '../api/connection.js';
import { silentLogger } from '../log.js';
import { AlarmsModule } from '../alarms/module.js';
import { loadStationConfig } from '../station/config-file.js';
import { ConfigStore } from '../station/config-store.js';
import { StationArchive } from '../station/archive.js';
import { Station } from '../station/station.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { until, untilAsync } from './testing/harness.js';

const yaml = (endpoint: string) => `# Tank farm test station: comments and layout are the engineer's own
station:
  name: Edit
  defaultCompression: { kind: deadband, deviation: 0.1, percentOfSpan: true }   # site default
servers:
  - { id: plc, endpoint: "${endpoint}", backfill: false, samplingIntervalMs: 50, publishingIntervalMs: 100, staleAfterMs: 2000 }
areas: [{ id: A, name: A }]
tags:
  # the level: every sample kept until the engineer says otherwise
  - name: Level
    server: plc
    nodeId: "ns=2;s=Level"      # as the PLC vendor wrote it
    kind: analog
    area: A
    unit: m
    range: [0, 20]
    compression: { kind: none }
  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A, unit: m3/h, compression: { kind: deadband, deviation: 0.5 } }   # no range
  - name: Pressure
    server: plc
    nodeId: "ns=2;s=Pressure"
    kind: analog
    area: A
    unit: bar
    range: [0, 10]
    alarms:
      limits: { H: { value: 5, priority: 2, message: Pressure high } }
  - { name: Spare, server: plc, nodeId: "ns=2;s=Spare", kind: analog, area: A, range: [0, 100] }   # to be removed
`;

describe('editing a tag\'s compression and removing tags from the console', () => {
  let dir: string;
  let server: TestServer;
  let station: Station;
  let archive: StationArchive;
  let file: string;
  let original: string;
  const vars: Record<string, UAVariable> = {};
  const audit: Record<string, unknown>[] = [];
  const tagLists: TagInfo[][] = [];
  const sessions = new Map<string, Session>();

  const call = async <N extends RequestName>(method: N, params: Params<N>, role: Role | null = 'engineer'): Promise<ApiResponse<unknown>> => {
    const connection = internalConnection('test');
    if (role) sessions.set(connection.id, { id: connection.id, user: `test-${role}`, displayName: role, roles: [role], since: Date.now() });
    return station.dispatcher.dispatch(method, params, connection);
  };
  const result = async <T>(method: RequestName, params: Params<RequestName>, role: Role = 'engineer'): Promise<T> => {
    const res = await call(method, params as never, role);
    if (!res.ok) throw new Error(`${method}: ${res.error.message}`);
    return res.result as T;
  };
  /** Sets a server variable and waits until the station has it live (each value a sample of its own). */
  const put = async (tag: string, value: number) => {
    vars[tag]!.setValueFromSource({ dataType: DataType.Double, value }, StatusCodes.Good, new Date());
    await until(`${tag} = ${value} live`, () => station.live.get(tag)?.value === value, 20_000);
  };
  const statsOf = async (tag: string) => (await result<TagArchiveStats[]>('tags.archiveStats', {})).find((s) => s.tag === tag)!;
  const auditOf = (action: string) => audit.filter((a) => a.action === action);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tagedit-'));
    server = await startTestServer({
      role: 'tagedit', dir,
      build: (ns, as) => {
        for (const name of ['Level', 'Flow', 'Pressure', 'Spare']) {
          vars[name] = ns.addVariable({ organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0 });
          vars[name].setValueFromSource({ dataType: DataType.Double, value: 1 }, StatusCodes.Good, new Date());
        }
      },
    });
    file = join(dir, 'station.yaml');
    original = yaml(`opc.tcp://127.0.0.1:${server.port}/test`);
    writeFileSync(file, original);
    const dataDir = join(dir, 'data');
    const logger = silentLogger();
    const config = loadStationConfig(file);
    const store = new ConfigStore(config, { source: file });
    archive = await StationArchive.open(config, dataDir, logger);
    // As boot.ts composes it: the archive's check on every edit, the alarms module beside it.
    store.addCheck(archive.kindCheck);
    const alarms = AlarmsModule.open({ config: store, dataDir, logger, tickMs: 50, valuePeriodMs: 200 });
    station = new Station({ config: store, dataDir, logger, simulator: false, shell: 'browser', modules: [archive, alarms] });
    station.dispatcher.useSessions({ sessionOf: (c) => sessions.get(c.id) ?? null });
    station.dispatcher.useAudit({ record: (entry) => void audit.push(entry as unknown as Record<string, unknown>) });
    station.events.subscribe((name, data) => {
      if (name === 'tags.list') tagLists.push(data as TagInfo[]);
    });
    await station.start();
    await until('first values', () => ['Level', 'Flow', 'Pressure', 'Spare'].every((n) => station.live.get(n)?.status === 0), 60_000);
  }, 120_000);

  afterAll(async () => {
    await station?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a tag\'s own compression, the station default and the one in effect', async () => {
    expect(await result('tags.compression', { tag: 'Spare' })).toEqual({
      tag: 'Spare', kind: 'analog', unit: '', range: [0, 100], own: null,
      stationDefault: { kind: 'deadband', deviation: 0.1, percentOfSpan: true },
      effective: { kind: 'deadband', deviation: 0.1, percentOfSpan: true },
    });
    expect(await call('tags.compression', { tag: 'Nope' })).toMatchObject({ ok: false, error: { code: 'not_found', i18n: { key: 'acquisition.error.unknownTag' } } });
  });

  it('refuses what the config would refuse, naming the field, and writes nothing', async () => {
    // % of span on a tag without a range (station-checks.ts), its own or the station default's.
    expect(await call('tags.setCompression', { tag: 'Flow', compression: { kind: 'deadband', deviation: 1, percentOfSpan: true } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', i18n: { key: 'acquisition.error.compressionNeedsRange', params: { tag: 'Flow', field: 'tags[1].compression.percentOfSpan', source: 'own' } } },
    });
    expect(await call('tags.setCompression', { tag: 'Flow', compression: null })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', i18n: { key: 'acquisition.error.compressionNeedsRange', params: { field: 'station.defaultCompression.percentOfSpan', source: 'default' } } },
    });
    // The schema's own bounds: a deviation below 0, an unknown field.
    const negative = await call('tags.setCompression', { tag: 'Level', compression: { kind: 'deadband', deviation: -1 } });
    expect(negative).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'error.badRequest', params: { fields: 'compression.deviation' } } } });
    const unknown = await call('tags.setCompression', { tag: 'Level', compression: { kind: 'none', deviation: 1 } as never });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'error.badRequest' } } });
    // Not an engineer: refused before anything is looked at.
    expect(await call('tags.setCompression', { tag: 'Level', compression: { kind: 'deadband', deviation: 5 } }, 'operator'))
      .toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(readFileSync(file, 'utf8')).toBe(original);
    // Each refusal on record (the dispatcher counts repeats of one kind before the handler into one entry).
    const entries = auditOf('tags.setCompression');
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(entries.every((a) => a.result === 'refused')).toBe(true);
    expect(entries.filter((a) => a.target === 'Flow').map((a) => a.detail)).toEqual([
      expect.stringContaining('tags[1].compression.percentOfSpan'), expect.stringContaining('station.defaultCompression.percentOfSpan'),
    ]);
  });

  it('writes the new compression in place, audits it, and the archive takes it at once', async () => {
    // Every sample archived while the tag has none: noise of ±0.4 m around 10 m.
    const noise = [10, 10.3, 9.8, 10.4, 9.7, 10.2, 9.9, 10.1];
    await put('Level', 5);
    await archive.flush();
    const s0 = await statsOf('Level');
    for (const v of noise) await put('Level', v);
    await archive.flush();
    const s1 = await statsOf('Level');
    expect(s1.samplesReceived - s0.samplesReceived).toBe(noise.length);
    expect(s1.samplesArchived - s0.samplesArchived).toBe(noise.length);

    const lists = tagLists.length;
    const set = await result('tags.setCompression', { tag: 'Level', compression: { kind: 'deadband', deviation: 1 } });
    expect(set).toMatchObject({ own: { kind: 'deadband', deviation: 1 }, effective: { kind: 'deadband', deviation: 1 } });
    // Only the compression line changed: comments, layout and every other line as the engineer wrote them.
    expect(readFileSync(file, 'utf8')).toBe(original.replace('    compression: { kind: none }\n', '    compression: { kind: deadband, deviation: 1 }\n'));
    expect(auditOf('tags.setCompression').at(-1)).toMatchObject({
      user: 'test-engineer', result: 'ok', target: 'Level',
      oldValue: { compression: { kind: 'none' }, effective: { kind: 'none' } },
      newValue: { compression: { kind: 'deadband', deviation: 1 }, effective: { kind: 'deadband', deviation: 1 } },
    });
    // Every console is pushed the tag list (their figures and compression follow), and the archive has a new version.
    expect(tagLists.length).toBeGreaterThan(lists);
    await archive.flush(); // the archive's thread has taken the definition
    expect(archive.versions('Level').map((v) => v.config.compression)).toEqual([{ kind: 'none' }, { kind: 'deadband', deviation: 1 }]);
    expect((await statsOf('Level')).compression).toEqual({ kind: 'deadband', deviation: 1 });

    // The same noise again: within the 1 m deadband of the value it starts from, none of it is archived.
    await put('Level', 10);
    await archive.flush();
    const s2 = await statsOf('Level');
    for (const v of noise) await put('Level', v === 10 ? 10.05 : v);
    await archive.flush();
    const s3 = await statsOf('Level');
    expect(s3.samplesReceived - s2.samplesReceived).toBe(noise.length);
    expect(s3.samplesArchived - s2.samplesArchived).toBe(0);
    // A real change is archived.
    await put('Level', 15);
    await untilAsync('the step archived', async () => (await archive.flush(), (await statsOf('Level')).samplesArchived > s3.samplesArchived), 20_000);
  }, 60_000);

  it('resets a tag to the station default: its own compression goes from the file', async () => {
    const before = readFileSync(file, 'utf8');
    const reset = await result('tags.setCompression', { tag: 'Level', compression: null });
    expect(reset).toMatchObject({ own: null, effective: { kind: 'deadband', deviation: 0.1, percentOfSpan: true } });
    expect(readFileSync(file, 'utf8')).toBe(before.replace('    compression: { kind: deadband, deviation: 1 }\n', ''));
    expect(auditOf('tags.setCompression').at(-1)).toMatchObject({
      result: 'ok', target: 'Level',
      oldValue: { compression: { kind: 'deadband', deviation: 1 } },
      newValue: { compression: 'station default', effective: { kind: 'deadband', deviation: 0.1, percentOfSpan: true } },
    });
    await archive.flush();
    expect(archive.versions('Level').at(-1)!.config.compression).toEqual({ kind: 'deadband', deviation: 0.1, percentOfSpan: true });
  });

  it('refuses to remove a tag whose alarm is active or not acknowledged, and removes it once it is through', async () => {
    await put('Pressure', 7); // above H 5
    const standing = await untilAsync('the high pressure alarm', async () =>
      (await result<AlarmList>('alarms.snapshot', {})).rows.find((r) => r.tag === 'Pressure' && r.flags.active), 20_000);
    const before = readFileSync(file, 'utf8');
    const refused = await call('tags.remove', { tag: 'Pressure' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', i18n: { key: 'acquisition.error.tagHasAlarm', params: { tag: 'Pressure', alarms: standing.id } } } });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(auditOf('tags.remove').at(-1)).toMatchObject({ result: 'refused', target: 'Pressure', user: 'test-engineer', detail: expect.stringContaining(standing.id) });

    // Back to normal but not acknowledged: still refused.
    await put('Pressure', 2);
    await untilAsync('returned to normal', async () => (await result<AlarmList>('alarms.snapshot', {})).rows.find((r) => r.id === standing.id && !r.flags.active), 20_000);
    expect(await call('tags.remove', { tag: 'Pressure' })).toMatchObject({ ok: false, error: { i18n: { key: 'acquisition.error.tagHasAlarm' } } });

    const row = (await result<AlarmList>('alarms.snapshot', {})).rows.find((r) => r.id === standing.id)!;
    await result('alarms.acknowledge', { ids: [row.id], revisions: [row.revision], scope: 'selected' }, 'operator');
    expect(await result('tags.remove', { tag: 'Pressure' })).toEqual({ removed: 'Pressure' });
    expect(readFileSync(file, 'utf8')).not.toContain('Pressure');
    expect(station.config.current.tags.map((t) => t.name)).toEqual(['Level', 'Flow', 'Spare']);
  }, 60_000);

  it('removes a tag from the file, audited; the tag list follows and its archive stays readable', async () => {
    await put('Spare', 42);
    await archive.flush();
    const before = readFileSync(file, 'utf8');
    const lists = tagLists.length;
    expect(await call('tags.remove', { tag: 'Spare' }, 'operator')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await result('tags.remove', { tag: 'Spare' })).toEqual({ removed: 'Spare' });
    // Its one line goes; every other byte stays.
    expect(readFileSync(file, 'utf8')).toBe(before.replace('  - { name: Spare, server: plc, nodeId: "ns=2;s=Spare", kind: analog, area: A, range: [0, 100] }   # to be removed\n', ''));
    expect(auditOf('tags.remove').at(-1)).toMatchObject({
      user: 'test-engineer', result: 'ok', target: 'Spare', oldValue: { name: 'Spare', nodeId: 'ns=2;s=Spare', range: [0, 100] }, newValue: null,
    });
    expect(tagLists.length).toBeGreaterThan(lists);
    expect(tagLists.at(-1)!.map((t) => t.name)).toEqual(['Level', 'Flow']);
    expect(await call('tags.remove', { tag: 'Spare' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The archive keeps it: what it had is still read.
    expect(archive.tagNames()).toContain('Spare');
    const rows = archive.readRaw({ tags: 'Spare', start: 0, end: Date.now() + 60_000 }).rows;
    expect(rows.some((r) => r.value === 42)).toBe(true);
  });
});
