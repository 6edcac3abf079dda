/**
 * A server that names its engineering units in its own language and typography (a Chinese one:
 * DisplayName "千帕" with an empty locale, "℃"; "m³/h" where the config writes m3/h), with the unit's UNECE code in EUInformation.unitId
 * as Part 8 has it. The code is the unit; the DisplayName is for display. Before, the text alone was
 * compared with the config ("kPa", "°C"), and every good value of those tags was marked
 * BadConfigurationError: no reading on screen for a unit that never changed. A code that names
 * another unit (MPa for a tag in kPa) is still a contradiction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes, makeEUInformation, standardUnits, type EUInformation, type UAVariable } from 'node-opcua';
import type { TagSource } from '../../shared/api.js';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { startTestStation, until, untilAsync, type TestStation } from './testing/harness.js';

/** From node-opcua's table (Part 6 StatusCode.csv), not from the station's. */
const BadConfigurationError = StatusCodes.BadConfigurationError.value >>> 0;
const codeOf = (s: number) => (s & 0xffff0000) >>> 0;
const BadNoCommunication = StatusCodes.BadNoCommunication.value >>> 0;
/** What the server's values became: not the station's own BadNoCommunication while its session (re)connects (a loaded machine). */
const fromServer = <S extends { status: number }>(samples: S[]): S[] => samples.filter((s) => codeOf(s.status) !== BadNoCommunication);

/** The unit as a Chinese server gives it: the code of node-opcua's UNECE entry, its name in Chinese, no locale. */
const localized = (unit: EUInformation, text: string): EUInformation => {
  const eu = makeEUInformation('', text, text);
  eu.unitId = unit.unitId;
  return eu;
};

describe('engineering units named in Chinese, with their UNECE code', () => {
  let dir: string;
  let server: TestServer;
  let t: TestStation;
  const v: Record<string, UAVariable> = {};
  let ticker: NodeJS.Timeout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-units-zh-'));
    server = await startTestServer({
      role: 'units-zh', dir,
      build: (ns, as) => {
        const analog = (name: string, unit: EUInformation, high: number) => (v[name] = ns.addAnalogDataItem({
          organizedBy: as.rootFolder.objects, browseName: name, nodeId: `s=${name}`, dataType: 'Double', minimumSamplingInterval: 0,
          engineeringUnitsRange: { low: 0, high }, engineeringUnits: unit,
        }));
        analog('Press', localized(standardUnits.kilopascal, '千帕'), 1600);
        analog('Temp', localized(standardUnits.degree_celsius, '℃'), 200);
        // node-opcua's own entry, written m³/h; the config writes m3/h.
        analog('Flow', standardUnits.cubic_metre_per_hour, 100);
        // Re-ranged to MPa: the code says so, whatever the text.
        analog('Line', localized(standardUnits.megapascal, '兆帕'), 1.6);
      },
    });
    let n = 0;
    ticker = setInterval(() => {
      n++;
      for (const [name, x] of [['Press', 812 + (n % 5)], ['Temp', 21 + (n % 3)], ['Flow', 40 + (n % 3)], ['Line', 0.8 + (n % 4) / 100]] as const) {
        v[name]?.setValueFromSource({ dataType: DataType.Double, value: x }, StatusCodes.Good, new Date());
      }
    }, 200);
    t = await startTestStation({
      dir,
      yaml: `station: { name: UnitsZh, defaultCompression: { kind: none } }
servers:
  - { id: plc, endpoint: "${server.endpoint}", samplingIntervalMs: 0, publishingIntervalMs: 200, backfill: false }
areas: [{ id: A, name: A }]
tags:
  - { name: Press, server: plc, nodeId: "ns=2;s=Press", kind: analog, area: A, unit: kPa, range: [0, 1600] }
  - { name: Temp, server: plc, nodeId: "ns=2;s=Temp", kind: analog, area: A, unit: "°C", range: [0, 200] }
  - { name: Flow, server: plc, nodeId: "ns=2;s=Flow", kind: analog, area: A, unit: m3/h, range: [0, 100] }
  - { name: Line, server: plc, nodeId: "ns=2;s=Line", kind: analog, area: A, unit: kPa, range: [0, 1.6] }
`,
    });
    await until('values of every tag', () => ['Press', 'Temp', 'Flow', 'Line'].every((tag) => t.samples.filter((s) => s.tag === tag).length >= 3));
  }, 60_000);

  afterAll(async () => {
    clearInterval(ticker);
    await t?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const sourceOf = async (tag: string): Promise<TagSource> =>
    ((await t.call('tags.sources', {})) as { result: TagSource[] }).result.find((s) => s.tag === tag)!;

  it('acquires the values of a unit whose code is the configured one as good, whatever its Chinese name', async () => {
    for (const tag of ['Press', 'Temp', 'Flow']) {
      const values = fromServer(t.samples.filter((s) => s.tag === tag));
      expect(values.length, tag).toBeGreaterThanOrEqual(1);
      expect(values.every((s) => s.status === 0 && typeof s.value === 'number'), `${tag}: ${JSON.stringify(values.slice(0, 2))}`).toBe(true);
      expect((await sourceOf(tag)).issue, tag).toBeNull();
    }
    expect(t.station.live.get('Press')!.value).toBeGreaterThanOrEqual(812);
  });

  it('still marks a tag whose unit code names another unit (MPa for kPa), saying so', async () => {
    const values = fromServer(t.samples.filter((s) => s.tag === 'Line'));
    expect(values.length).toBeGreaterThanOrEqual(1);
    expect(values.every((s) => codeOf(s.status) === BadConfigurationError && s.value === null), JSON.stringify(values.slice(0, 2))).toBe(true);
    const source = await untilAsync('the Tags page says why', async () => {
      const s = await sourceOf('Line');
      return s.issue?.key === 'acquisition.issue.unitsChanged' ? s : undefined;
    });
    expect(String(source.issue?.params.serverUnits)).toContain('兆帕');
  });
});
