/**
 * An AnalogItem re-ranged at run time (a transmitter changed from bar to MPa by an online change):
 * its EngineeringUnits and EURange change and its next value carries SemanticsChanged (Part 4
 * §7.39.1: "Clients should not process the data value unless they re-read the metadata"; Part 8
 * makes the bit mandatory for AnalogItems). An exploratory run showed 1.52 "bar", Good, while the
 * process stood at 15.2 bar, nothing on the Tags page, nothing in the log. The units are read
 * again; while they contradict the tag's config its values are BadConfigurationError (Part 4: "a
 * problem with the configuration that affects the usefulness of the value") with no value, on
 * screen, in the archive and on the Tags page, until an engineer corrects the config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, Range, StatusCode, StatusCodes, standardUnits, type UAAnalogItem, type StatusCode as Status } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type Received, type TestStation } from './testing/harness.js';

/** From node-opcua's table (Part 6 StatusCode.csv), not from the station's. */
const BadConfigurationError = StatusCodes.BadConfigurationError.value >>> 0;
const codeOf = (s: number) => (s & 0xffff0000) >>> 0;
const good = (s: number) => s >>> 30 === 0;
const semanticsChanged = () => StatusCode.makeStatusCode(StatusCodes.Good, 'SemanticChanged');

describe('an analog variable whose engineering units change at run time', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  let press!: UAAnalogItem<number, DataType.Double>;
  let temp!: UAAnalogItem<number, DataType.Double>;

  const samplesOf = (tag: string): Received[] => t.samples.filter((s) => s.tag === tag);
  const sourceOf = async (tag: string): Promise<TagSource> =>
    ((await t.call('tags.sources', {})) as { result: TagSource[] }).result.find((s) => s.tag === tag)!;
  const write = (item: UAAnalogItem<number, DataType.Double>, value: number, status: Status = StatusCodes.Good) =>
    item.setValueFromSource({ dataType: DataType.Double, value }, status, new Date());
  const unitLogs = () => t.logs.filter((l) => String(l.msg).startsWith('the server changed a tag\'s engineering units'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-units-'));
    server = await startTestServer({
      role: 'units', dir,
      build: (ns, as) => {
        press = ns.addAnalogDataItem({
          organizedBy: as.rootFolder.objects, browseName: 'Press', nodeId: 's=Press', dataType: 'Double', minimumSamplingInterval: 0,
          engineeringUnitsRange: { low: 0, high: 16 }, engineeringUnits: standardUnits.bar, value: { dataType: DataType.Double, value: 8 },
        });
        temp = ns.addAnalogDataItem({
          organizedBy: as.rootFolder.objects, browseName: 'Temp', nodeId: 's=Temp', dataType: 'Double', minimumSamplingInterval: 0,
          engineeringUnitsRange: { low: 0, high: 200 }, engineeringUnits: standardUnits.degree_celsius, value: { dataType: DataType.Double, value: 20 },
        });
      },
    });
    t = await startTestStation({
      dir, archive: true,
      yaml: `station: { name: Units, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", backfill: false, samplingIntervalMs: 0, publishingIntervalMs: 100 }
areas: [{ id: A, name: A }]
tags:
  - { name: Press, server: plc, nodeId: "ns=2;s=Press", kind: analog, area: A, unit: bar, range: [0, 16] }
  - { name: Temp, server: plc, nodeId: "ns=2;s=Temp", kind: analog, area: A, unit: "°C", range: [0, 200] }
`,
    });
    await until('first values', () => t.station.live.get('Press')?.status === 0 && t.station.live.get('Temp')?.status === 0);
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a value with SemanticsChanged good when the server\'s units still are the configured ones', async () => {
    write(temp, 21, semanticsChanged());
    await until('the value', () => samplesOf('Temp').some((s) => s.value === 21));
    write(temp, 22);
    await until('the next value', () => t.station.live.get('Temp')?.value === 22);
    expect(samplesOf('Temp').filter((s) => s.value === 21 || s.value === 22).every((s) => good(s.status))).toBe(true);
    expect((await sourceOf('Temp')).issue).toBeNull();
  });

  let changedAt = 0;
  it('marks the values BadConfigurationError, without a value, once the server gives MPa [0, 1.6] for a tag configured in bar [0, 16]', async () => {
    changedAt = Date.now();
    press.engineeringUnits!.setValueFromSource({ dataType: DataType.ExtensionObject, value: standardUnits.megapascal });
    press.euRange.setValueFromSource({ dataType: DataType.ExtensionObject, value: new Range({ low: 0, high: 1.6 }) });
    // 15 bar = 1.5 MPa, then 15.2 bar: above a 12 bar HH limit.
    write(press, 1.5, semanticsChanged());
    // Received before the next is written: two values, two samples.
    await until('the value with the change', () => samplesOf('Press').some((s) => s.t >= changedAt));
    write(press, 1.52);
    await until('two values after the change', () => samplesOf('Press').filter((s) => s.t >= changedAt).length >= 2);
    const after = samplesOf('Press').filter((s) => s.t >= changedAt);
    for (const s of after) {
      expect(codeOf(s.status), String(s.t)).toBe(BadConfigurationError);
      expect(s.value).toBeNull();
    }
    // The change itself stays visible where it happened.
    expect(after[0]!.status & 0x4000).toBe(0x4000);
    const live = t.station.live.get('Press')!;
    expect(codeOf(live.status)).toBe(BadConfigurationError);
    expect(live.value).toBeNull();
  });

  it('says why on the Tags page, and in the log once', async () => {
    const source = await sourceOf('Press');
    expect(codeOf(source.status)).toBe(BadConfigurationError);
    expect(source.issue?.key).toBe('acquisition.issue.unitsChanged');
    expect(String(source.issue?.params.serverUnits)).toContain('MPa');
    expect(String(source.issue?.params.configured)).toContain('bar');
    // A data type is still known: the tag is acquired, its values are what is wrong.
    expect(source.dataType).toBe('Double');
    write(press, 1.53);
    await until('a third value', () => samplesOf('Press').filter((s) => s.t >= changedAt).length >= 3);
    expect(unitLogs()).toHaveLength(1);
    expect(unitLogs()[0]).toMatchObject({ server: 'plc', tag: 'Press' });
  });

  it('archives no value of the new unit as good', async () => {
    await t.archive!.flush();
    const rows = t.archive!.readRaw({ tags: 'Press', start: changedAt, end: Date.now() + 60_000 }).rows;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => good(r.status))).toEqual([]);
  });

  it('acquires the values as good again once the server\'s units are the configured ones again', async () => {
    temp.engineeringUnits!.setValueFromSource({ dataType: DataType.ExtensionObject, value: standardUnits.degree_fahrenheit });
    temp.euRange.setValueFromSource({ dataType: DataType.ExtensionObject, value: new Range({ low: 32, high: 392 }) });
    const wroteAt = Date.now();
    write(temp, 70, semanticsChanged());
    await until('the value in °F marked', () => samplesOf('Temp').some((s) => s.t >= wroteAt && codeOf(s.status) === BadConfigurationError));
    // node-opcua sends the current value again with SemanticsChanged at each property change, then 70: none with a value.
    expect(samplesOf('Temp').filter((s) => codeOf(s.status) === BadConfigurationError).every((s) => s.value === null)).toBe(true);
    expect(samplesOf('Temp').some((s) => s.value === 70)).toBe(false);
    temp.engineeringUnits!.setValueFromSource({ dataType: DataType.ExtensionObject, value: standardUnits.degree_celsius });
    temp.euRange.setValueFromSource({ dataType: DataType.ExtensionObject, value: new Range({ low: 0, high: 200 }) });
    write(temp, 21.5, semanticsChanged());
    await until('the value in °C', () => samplesOf('Temp').some((s) => s.value === 21.5));
    expect(good(samplesOf('Temp').find((s) => s.value === 21.5)!.status)).toBe(true);
    expect((await sourceOf('Temp')).issue).toBeNull();
  });

  it('acquires the values as good again once an engineer writes the server\'s unit and range into the config', async () => {
    t.station.config.edit((doc) => {
      doc.setIn(['tags', 0, 'unit'], 'MPa');
      doc.setIn(['tags', 0, 'range'], doc.createNode([0, 1.6]));
    });
    await untilAsync('the Tags page clear', async () => ((await sourceOf('Press')).issue === null ? true : undefined));
    write(press, 1.54);
    await until('the value', () => t.station.live.get('Press')?.value === 1.54);
    expect(good(t.station.live.get('Press')!.status)).toBe(true);
    expect(codeOf((await sourceOf('Press')).status)).toBe(0);
    expect(unitLogs().filter((l) => l.tag === 'Press')).toHaveLength(1);
  });
});
