/**
 * OPC UA types against a server built here with its own address-space shape
 * (numeric ids, nested folders, a vendor type, an enumeration, 64-bit
 * counters, an array, a structure): each built-in scalar type reaches its tag
 * with its type kept; a tag whose type does not fit its kind, an unknown node
 * and a non-finite number are refused or marked bad with the server's or the
 * standard's own status (expectations from node-opcua's StatusCodes), shown,
 * listed and logged; nothing wrong is archived as good.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, LocalizedText, StatusCode, StatusCodes, VariantArrayType, type NodeId } from 'node-opcua';
import { parseDocument } from 'yaml';
import type { BrowseNode, LiveValue, NodeDetail, TagInfo, TagSource } from '../../shared/api.js';
import { isGood } from '../../../historian/status.js';
import { oddPlant, type OddPlant } from './testing/odd-plant.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

const code = (name: keyof typeof StatusCodes) => (StatusCodes[name] as { value: number }).value >>> 0;

function stationYaml(endpoint: string, ids: Record<string, string>): string {
  const tag = (name: string, node: string, kind: string, extra = '') =>
    `  - { name: ${name}, server: odd, nodeId: "${node}", kind: ${kind}, area: A${extra} }\n`;
  return `# odd plant, written by the test
station: { name: Odd, defaultCompression: { kind: none } }
servers:
  - id: odd
    endpoint: ${endpoint}
    samplingIntervalMs: 0
    publishingIntervalMs: 100
    staleAfterMs: 3000
areas: [{ id: A, name: Area }]
tags:
  # each built-in type as the kind it fits
${[
  tag('Level', ids.Level!, 'analog'),
  tag('Temperature', ids.Temperature!, 'analog'),
  tag('Opening', ids.Opening!, 'analog'),
  tag('Anything', ids.Anything!, 'analog'),
  tag('CounterAnalog', ids.Counter!, 'analog'),
  tag('CounterText', ids.Counter!, 'text'),
  tag('Offset', ids.Offset!, 'analog'),
  tag('Small', ids.Small!, 'analog'),
  tag('Octet', ids.Octet!, 'discrete'),
  tag('Short', ids.Short!, 'analog'),
  tag('Word', ids.Word!, 'discrete'),
  tag('Long', ids.Long!, 'analog'),
  tag('DWord', ids.DWord!, 'analog'),
  tag('Running', ids.Running!, 'discrete'),
  tag('Mode', ids.Mode!, 'discrete'),
  tag('Valve', ids.Valve!, 'discrete'),
  tag('Batch', ids.Batch!, 'text'),
  tag('Label', ids.Label!, 'text'),
  tag('Calibrated', ids.Calibrated!, 'text'),
  tag('Reading', ids.Reading!, 'analog'),
].join('')}  # refused
${[
  tag('BatchAsAnalog', ids.Batch!, 'analog'),
  tag('RunningAsAnalog', ids.Running!, 'analog'),
  tag('Profile', ids.Profile!, 'analog'),
  tag('Limits', ids.Limits!, 'text'),
  tag('Unknown', 'ns=2;i=9999', 'analog'),
].join('')}`;
}

describe('OPC UA types, against a server of another shape', () => {
  let dir: string;
  let server: TestServer;
  let plant: OddPlant;
  let t: TestStation;
  const live = (tag: string): LiveValue => t.station.live.get(tag)!;
  /** Every kind of request the server received, from the first connection on. */
  const requests = new Set<string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-types-'));
    plant = oddPlant();
    server = await startTestServer({ role: 'odd', dir, build: (ns, as) => plant.build(ns, as) });
    server.server.on('request', (request: { constructor: { name: string } }) => void requests.add(request.constructor.name));
    t = await startTestStation({ dir, yaml: stationYaml(server.endpoint, plant.ids), archive: true });
    await until('values of every acquired tag', () => ['Level', 'Mode', 'Calibrated', 'Unknown'].every((n) => live(n).status !== code('BadWaitingForInitialData')));
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each built-in scalar type as its kind holds it', () => {
    const good = (tag: string) => {
      expect(live(tag).status, tag).toBe(code('Good'));
      return live(tag).value;
    };
    expect(good('Level')).toBe(12.5);
    expect(good('Temperature')).toBe(21.25);
    expect(good('Opening')).toBe(42); // a vendor type derived from Double
    expect(good('Anything')).toBe(1.5); // BaseDataType carrying a Double
    // 2^53 + 3: an analog tag holds the nearest double, a text tag every digit.
    expect(good('CounterAnalog')).toBe(Number(2n ** 53n + 3n));
    expect(good('CounterText')).toBe((2n ** 53n + 3n).toString());
    expect(good('Offset')).toBe(-2);
    expect(good('Small')).toBe(-7);
    expect(good('Octet')).toBe(200);
    expect(good('Short')).toBe(-300);
    expect(good('Word')).toBe(60000);
    expect(good('Long')).toBe(-70000);
    expect(good('DWord')).toBe(4000000000);
    expect(good('Running')).toBe(true);
    expect(good('Mode')).toBe(1);
    expect(good('Batch')).toBe('B-0042');
    expect(good('Label')).toBe('Tank one');
    expect(good('Calibrated')).toBe('2024-05-17T08:30:00.000Z');
  });

  it('names each variable\'s type in the tag sources', async () => {
    const res = await t.call('tags.sources', {});
    const sources = new Map((res as { result: TagSource[] }).result.map((s) => [s.tag, s]));
    expect(sources.get('Opening')).toMatchObject({ dataType: 'Percent', builtIn: 'Double', status: 0, issue: null });
    expect(sources.get('Mode')).toMatchObject({ dataType: 'OperatingMode', builtIn: 'Int32', status: 0 });
    // An enumeration's states as its DataType names them: EnumStrings (value = index), EnumValues (values of their own).
    expect(sources.get('Mode')?.states).toEqual([{ value: 0, name: 'Off' }, { value: 1, name: 'Auto' }, { value: 2, name: 'Manual' }]);
    expect(sources.get('Valve')?.states).toEqual([{ value: 0, name: 'Closed' }, { value: 2, name: 'Open' }, { value: 9, name: 'Fault' }]);
    expect(sources.get('Long')?.states).toBeNull();
    expect(sources.get('CounterText')).toMatchObject({ builtIn: 'UInt64' });
    expect(sources.get('Level')).toMatchObject({ historyReadable: true });
    // The console's tag list carries the built-in type read from the server (decimals follow it).
    const tags = new Map(((await t.call('tags.list', {})) as { result: TagInfo[] }).result.map((i) => [i.name, i.dataType]));
    expect(tags.get('Level')).toBe('Double');
    expect(tags.get('Opening')).toBe('Double');
    expect(tags.get('Mode')).toBe('Int32');
    expect(tags.get('Long')).toBe('Int32');
    expect(tags.get('Word')).toBe('UInt16');
    expect(tags.get('Running')).toBe('Boolean');
    expect(tags.get('Batch')).toBe('String');
    // And a discrete tag's states, for the console to write "Open" rather than "ON (2)".
    const infos = new Map(((await t.call('tags.list', {})) as { result: TagInfo[] }).result.map((i) => [i.name, i]));
    expect(infos.get('Valve')?.states).toEqual([{ value: 0, name: 'Closed' }, { value: 2, name: 'Open' }, { value: 9, name: 'Fault' }]);
    expect(infos.get('Running')?.states).toBeNull();
  });

  it('refuses a tag whose type does not fit its kind, with the reason on screen, in the sources and in the log', async () => {
    const res = await t.call('tags.sources', {});
    const sources = new Map((res as { result: TagSource[] }).result.map((s) => [s.tag, s]));
    const refused: [string, keyof typeof StatusCodes, string][] = [
      ['BatchAsAnalog', 'BadTypeMismatch', 'acquisition.issue.kindMismatch'],
      ['RunningAsAnalog', 'BadTypeMismatch', 'acquisition.issue.kindMismatch'],
      ['Profile', 'BadConfigurationError', 'acquisition.issue.array'],
      ['Limits', 'BadConfigurationError', 'acquisition.issue.structure'],
    ];
    for (const [tag, status, key] of refused) {
      expect(live(tag).status, tag).toBe(code(status));
      expect(live(tag).value, tag).toBeNull();
      expect(sources.get(tag)?.status, tag).toBe(code(status));
      expect(sources.get(tag)?.issue?.key, tag).toBe(key);
      expect(t.logs.some((l) => l.msg === 'tag not acquired' && l.tag === tag), `${tag} logged`).toBe(true);
    }
    expect(sources.get('BatchAsAnalog')?.issue?.params).toMatchObject({ dataType: 'String', kind: 'analog' });
  });

  it('shows and logs the server\'s own result for an unknown node', async () => {
    expect(live('Unknown').status).toBe(code('BadNodeIdUnknown'));
    const res = await t.call('tags.sources', {});
    const unknown = (res as { result: TagSource[] }).result.find((s) => s.tag === 'Unknown');
    expect(unknown?.issue).toMatchObject({ key: 'acquisition.issue.serverRefused', params: { status: 'BadNodeIdUnknown' } });
    expect(t.logs.find((l) => l.tag === 'Unknown' && l.msg === 'tag not acquired')?.reason).toContain('BadNodeIdUnknown');
  });

  it('keeps a good non-finite number as a bad sample, and the last good value beside a failed sensor\'s junk', async () => {
    plant.set('Reading', { dataType: DataType.Double, value: Number.POSITIVE_INFINITY });
    await until('Infinity marked bad', () => live('Reading').status === code('BadOutOfRange'));
    expect(live('Reading').value).toBeNull();
    expect(live('Reading').lastGood?.value).toBe(3.5);
    plant.set('Reading', { dataType: DataType.Double, value: -9999 }, StatusCodes.BadSensorFailure);
    await until('sensor failure', () => live('Reading').status === code('BadSensorFailure'));
    expect(live('Reading')).toMatchObject({ value: -9999, lastGood: { value: 3.5 } });
    plant.set('Reading', { dataType: DataType.Double, value: Number.NaN });
    await until('NaN marked bad', () => live('Reading').status === code('BadOutOfRange'));
  });

  it('archived nothing good for a refused tag or a non-finite value', async () => {
    const rows = (tag: string) => t.archive!.readRaw({ tags: tag, start: 0, end: Date.now() + 60_000 }).rows;
    // Text values wait out the historian's sorting buffer (2 s) before they are written.
    await untilAsync('the text tag archived', async () => (await t.archive!.flush(), rows('Limits').length > 0), 15_000);
    for (const tag of ['BatchAsAnalog', 'RunningAsAnalog', 'Profile', 'Limits', 'Unknown']) {
      expect(rows(tag).length, tag).toBeGreaterThan(0);
      expect(rows(tag).filter((r) => isGood(r.status)), tag).toEqual([]);
    }
    const reading = rows('Reading');
    expect(reading.filter((r) => isGood(r.status)).map((r) => r.value)).toEqual([3.5]);
    expect(reading.some((r) => (r.status & 0xffff0000) >>> 0 === code('BadOutOfRange'))).toBe(true);
  });

  // A PLC's REAL reaches the archive as the float it is (23.45 as a float is 23.450000762939453),
  // read back exactly, beside the 21.25 before it.
  it('archives a Float as the float it is, read back exactly', async () => {
    const asFloat = new Float32Array([23.45])[0]!;
    expect(asFloat).not.toBe(23.45);
    plant.set('Temperature', { dataType: DataType.Float, value: 23.45 });
    await until('the new Float live', () => live('Temperature').value === asFloat);
    const rows = () => t.archive!.readRaw({ tags: 'Temperature', start: 0, end: Date.now() + 60_000 }).rows;
    await untilAsync('the new Float archived', async () => (await t.archive!.flush(), rows().some((r) => r.value === asFloat)), 15_000);
    expect(rows().filter((r) => isGood(r.status)).map((r) => r.value)).toEqual([21.25, asFloat]);
  });

  describe('browsing the address space and adding a variable as a tag', () => {
    const children = async (nodeId?: string): Promise<BrowseNode[]> => {
      const res = await t.call('browse.children', nodeId ? { server: 'odd', nodeId } : { server: 'odd' }, null);
      expect(res.ok, JSON.stringify(res)).toBe(true);
      return (res as { result: BrowseNode[] }).result;
    };
    const named = (nodes: BrowseNode[], name: string) => nodes.find((n) => n.displayName === name)!;

    it('walks nested folders with numeric ids down to the variables, one level at a time', async () => {
      let level = named(await children(), 'Plant');
      expect(level).toMatchObject({ nodeId: 'nsu=urn:vigil:test:plant;i=20100', nodeClass: 'Object', hasChildren: true });
      for (const folder of ['Site North', 'Unit 7', 'Tanks', 'T-1']) level = named(await children(level.nodeId), folder);
      const variables = await children(level.nodeId);
      expect(variables.map((v) => v.displayName)).toEqual(expect.arrayContaining(['Level', 'Counter', 'Profile', 'Anything']));
      // Properties (EURange, EngineeringUnits) are attributes of the detail, not children in the tree.
      expect(variables.map((v) => v.displayName)).not.toContain('EURange');
    });

    it('shows a node\'s attributes, unit, range and live value, and why an array cannot be a tag', async () => {
      const detail = (nodeId: string) => t.call('browse.node', { server: 'odd', nodeId }, null).then((r) => (r as { result: NodeDetail }).result);
      expect(await detail(plant.ids.Level!)).toMatchObject({
        nodeClass: 'Variable', dataType: 'Double', unit: 'm', range: [0, 25], historizing: true, suggestedKind: 'analog', value: 12.5, status: 0, tags: ['Level'],
      });
      expect(await detail(plant.ids.Mode!)).toMatchObject({ dataType: 'OperatingMode', builtIn: 'Int32', suggestedKind: 'discrete' });
      expect(await detail(plant.ids.Profile!)).toMatchObject({ suggestedKind: null, refusal: { key: 'acquisition.issue.array' } });
      const unknown = await t.call('browse.node', { server: 'odd', nodeId: 'ns=2;i=9999' }, null);
      // Said in the console's words with the status named (browse-points.ts), not as the bare status.
      expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'acquisition.error.browseRefused', params: { nodeId: 'ns=2;i=9999', status: 'BadNodeIdUnknown' } } } });
    });

    it('adds a variable as a tag: engineers only, written to the config with comments kept, audited, subscribed at once, a new tag in the historian', async () => {
      const entry = { server: 'odd', nodeId: plant.ids.Level!, name: 'T1.LevelCopy', kind: 'analog' as const, area: 'A', equipment: 'T-1' };
      expect(await t.call('tags.add', { tags: [entry] }, 'operator')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const mismatch = await t.call('tags.add', { tags: [{ ...entry, nodeId: plant.ids.Batch!, name: 'T1.BatchNumber' }] }, 'engineer');
      expect(mismatch).toMatchObject({ ok: false, error: { code: 'bad_request', i18n: { key: 'acquisition.issue.kindMismatch' } } });
      // A range the config refuses: said by field and expectation, without the file's name or the lines of an edit never written.
      const reversed = await t.call('tags.add', { tags: [{ ...entry, name: 'T1.Reversed', range: [30, 10] }] }, 'engineer');
      const tagIndex = parseDocument(readFileSync(t.configFile, 'utf8')).toJS().tags.length as number;
      const said = `tags[${tagIndex}].range: expected [low, high] with low < high`;
      expect(reversed).toMatchObject({ ok: false, error: { code: 'bad_request', message: said, i18n: { key: 'acquisition.error.configRejected', params: { message: said } } } });
      expect(readFileSync(t.configFile, 'utf8')).not.toContain('T1.Reversed');

      expect(await t.call('tags.add', { tags: [entry] }, 'engineer')).toEqual({ ok: true, result: { added: ['T1.LevelCopy'] } });
      const text = readFileSync(t.configFile, 'utf8');
      expect(text).toContain('# odd plant, written by the test');
      expect(text).toContain('  # each built-in type as the kind it fits');
      expect(text).toMatch(/name: T1\.LevelCopy[\s\S]*unit: m[\s\S]*range: \[ ?0, 25 ?\]/);
      expect(t.audit.find((a) => a.action === 'tags.add' && a.result === 'ok')).toMatchObject({ user: 'test-engineer', target: 'T1.LevelCopy' });

      await until('the new tag acquired', () => t.station.live.get('T1.LevelCopy')?.status === 0);
      expect(t.station.live.get('T1.LevelCopy')?.value).toBe(12.5);
      // The archive's thread defines the tag and commits at its own pace: reads see it after that commit.
      await until('the new tag in the historian', () => t.archive!.tagNames().includes('T1.LevelCopy'));
      expect(t.archive!.versions('T1.LevelCopy').map((v) => v.config.unit)).toEqual(['m']);
    });

    it('drops a tag removed from the config without a restart', async () => {
      t.station.config.edit((doc) => {
        const tags = doc.get('tags') as { items: { get(k: string): unknown }[] };
        const i = tags.items.findIndex((item) => item.get('name') === 'T1.LevelCopy');
        doc.deleteIn(['tags', i]);
      });
      await until('the tag gone', () => t.station.live.get('T1.LevelCopy') === undefined);
      const res = await t.call('tags.sources', {});
      expect((res as { result: TagSource[] }).result.some((s) => s.tag === 'T1.LevelCopy')).toBe(false);
      expect(live('Level').status).toBe(0);
    });
  });

  // Last: after subscribing, reading types, browsing, node details and adding a tag.
  it('reads an enumeration\'s names again when a value comes with SemanticsChanged (an online change renumbered them)', async () => {
    // The server renames its states (0 is now Manual) and says so with the value's SemanticsChanged bit (Part 4 §7.39.1).
    const as = server.server.engine.addressSpace!;
    const type = as.findNode((as.findNode(plant.ids.Mode!) as unknown as { dataType: NodeId }).dataType)!;
    const enumStrings = type.getChildByName('EnumStrings') as unknown as { setValueFromSource(v: object): void };
    enumStrings.setValueFromSource({ dataType: DataType.LocalizedText, arrayType: VariantArrayType.Array, value: [{ text: 'Manual' }, { text: 'Off' }, { text: 'Auto' }].map((x) => new LocalizedText(x)) });
    plant.set('Mode', { dataType: DataType.Int32, value: 0 }, StatusCode.makeStatusCode(StatusCodes.Good, 'SemanticChanged'));
    const states = await untilAsync('the new names in the tag list', async () => {
      const infos = ((await t.call('tags.list', {})) as { result: TagInfo[] }).result;
      const mode = infos.find((i) => i.name === 'Mode')?.states;
      return mode?.[0]?.name === 'Manual' ? mode : undefined;
    });
    expect(states).toEqual([{ value: 0, name: 'Manual' }, { value: 1, name: 'Off' }, { value: 2, name: 'Auto' }]);
    expect(live('Mode').value).toBe(0);
  });

  it('never asked the server to change anything', () => {
    expect(requests.has('ReadRequest') && requests.has('BrowseRequest') && requests.has('CreateMonitoredItemsRequest')).toBe(true);
    // Vigil reads only: none of the services that change the plant or its address space (Part 4: Write §5.10.4, HistoryUpdate §5.10.5, Call §5.11, NodeManagement §5.7).
    const writes = ['WriteRequest', 'CallRequest', 'HistoryUpdateRequest', 'AddNodesRequest', 'AddReferencesRequest', 'DeleteNodesRequest', 'DeleteReferencesRequest'];
    expect(writes.filter((w) => requests.has(w))).toEqual([]);
  });
});
