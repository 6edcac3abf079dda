/**
 * export then import into a fresh archive, as a user runs them (child processes): each tag comes
 * back with its kind and every (time, value, status) written in. The kind travels in the export's
 * `kind` column; without it a text tag holding a "1" (or only numeric strings) came back analog
 * with its words rejected. Expected values are the input's, written out here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { BadSensorFailure, Good, UncertainSubstituteValue } from '../status.js';
import type { Sample, TagConfig, TagKind } from '../types.js';
import { historianCli } from '../testing/cli.js';

let dir: string;

const cli = (...args: string[]) => historianCli(dir, ...args);

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-kind-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 4, 1, 12);
const at = (s: number) => T0 + s * 1000;

const config = (name: string, kind: TagKind): TagConfig => ({
  name, kind, description: 'kind round trip', unit: kind === 'analog' ? 'm' : '', compression: { kind: 'none' }, stepped: kind !== 'analog', cycleMs: 0,
});

/** What is written into the source archive, and what the fresh one must hold after export + import. */
const INPUT: { tag: string; kind: TagKind; samples: Sample[] }[] = [
  { tag: 'Pump.State', kind: 'text', samples: [
    { t: at(0), value: 'RUNNING', status: Good },
    { t: at(1), value: 'STOPPED', status: Good },
    { t: at(2), value: 'FAULT', status: UncertainSubstituteValue },
    { t: at(3), value: '1', status: Good },
    { t: at(4), value: 'RUNNING', status: Good },
    { t: at(5), value: 'FAULT, code 7', status: Good },
    { t: at(6), value: '  padded  ', status: Good }, // quoted, or a reader trims it
  ] },
  { tag: 'Pump.Code', kind: 'text', samples: [
    { t: at(0), value: '1', status: Good },
    { t: at(1), value: '2', status: Good },
    { t: at(2), value: '1', status: Good },
    { t: at(3), value: '30', status: Good },
  ] },
  { tag: 'Pump.Run', kind: 'discrete', samples: [
    { t: at(0), value: true, status: Good },
    { t: at(1), value: false, status: Good },
    { t: at(2), value: true, status: Good },
  ] },
  // An enumeration's states as an Int32 discrete tag delivers them: numbers, 0 and 1 too.
  { tag: 'Pump.Mode', kind: 'discrete', samples: [
    { t: at(0), value: 2, status: Good },
    { t: at(1), value: 3, status: Good },
    { t: at(2), value: -1, status: UncertainSubstituteValue },
    { t: at(3), value: 0, status: Good },
    { t: at(4), value: 1, status: Good },
    { t: at(5), value: 2, status: Good },
  ] },
  { tag: 'Tank.Level', kind: 'analog', samples: [
    { t: at(0), value: 1.5, status: Good },
    { t: at(1), value: 2.25, status: Good },
    { t: at(2), value: NaN, status: BadSensorFailure },
    { t: at(3), value: -0.5, status: Good },
  ] },
];

/** (time, value, status code without its info bits) of every archived sample of the tag. */
function rowsOf(h: Historian, tag: string): [number, Sample['value'], number][] {
  return h.readRaw({ tags: [tag], start: at(-60), end: at(60) }).rows.map((r) => [r.t, r.value, (r.status & 0xffff0000) >>> 0]);
}

describe('export then import into a fresh archive keeps each tag\'s kind', { timeout: 120_000 }, () => {
  it('round-trips text (words and a "1", numeric strings only), discrete (true/false and integer states) and analog tags', async () => {
    const source = join(dir, 'source');
    const h = Historian.open(source, { flushIntervalMs: 0, sortWindowMs: 0 });
    h.defineTags(INPUT.map((i) => config(i.tag, i.kind)), 0);
    for (const i of INPUT) h.append(i.tag, i.samples, { cyclicRecords: false });
    await h.close();

    const out = join(dir, 'all.csv');
    const e = cli('export', '--data', source, '--tag', 'Pump.*', '--tag', 'Tank.*', '--from', new Date(at(-60)).toISOString(), '--to', new Date(at(60)).toISOString(), '--out', out);
    expect(e.stderr).not.toMatch(/warning/);
    expect(e.code).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toBe('time,tag,value,unit,status,status_code,flags,kind');
    expect(lines).toContain(`${new Date(at(3)).toISOString()},Pump.State,1,,Good,0x00000400,,text`);

    const fresh = join(dir, 'fresh');
    const r = cli('import', out, '--data', fresh);
    expect(r.stderr).toMatch(/0 lines rejected\n$/);
    expect(r.code).toBe(0);

    const copy = Historian.open(fresh, { flushIntervalMs: 0, sortWindowMs: 0 });
    try {
      for (const i of INPUT) {
        expect(copy.kindOf(i.tag), i.tag).toBe(i.kind);
        expect(rowsOf(copy, i.tag), i.tag).toEqual(i.samples.map((s) => [s.t, i.kind === 'analog' && s.status === BadSensorFailure ? NaN : s.value, s.status]));
      }
    } finally {
      await copy.close();
    }
  });
});

describe('--tag typed decomposed (Unicode NFD, as a macOS terminal may)', () => {
  it('finds the tag archived composed (NFC), in export and query', async () => {
    const data = join(dir, 'nfd');
    const nfc = 'TK1.Temp\u00e9rature', nfd = 'TK1.Tempe\u0301rature';
    const h = Historian.open(data, { flushIntervalMs: 0 });
    h.defineTags([config(nfc, 'analog')], T0 - 1000);
    h.append(nfc, [{ t: at(0), value: 21.5, status: Good }]);
    await h.close();
    const range = ['--from', new Date(at(0)).toISOString(), '--to', new Date(at(10)).toISOString()];
    const exported = cli('export', '--data', data, '--tag', nfd, ...range);
    expect([exported.code, exported.stdout.split('\r\n')[1]]).toEqual([0, `2024-05-01T12:00:00.000Z,${nfc},21.5,m,Good,0x00000400,,analog`]);
    const queried = cli('query', 'raw', '--data', data, '--tag', nfd, ...range);
    expect([queried.code, queried.stdout.includes('21.5')]).toEqual([0, true]);
  });
});
