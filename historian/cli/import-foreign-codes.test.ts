/**
 * Quality columns other systems write, imported through the CLI (child processes) into real archives and
 * read back. Expected codes by hand from Opc.Ua.StatusCodes.csv (Good 0, Uncertain 0x40000000, Bad
 * 0x80000000, BadNoCommunication 0x80310000, BadNotConnected 0x808A0000, BadCommunicationError
 * 0x80050000, UncertainLastUsableValue 0x40900000, UncertainSubstituteValue 0x40910000, GoodLocalOverride
 * 0x00960000), not from historian/status.ts:
 * - OPC DA (classic): OPC UA Part 8 Annex A.3.2.3 Table A.61 maps DA qualities: COMM_FAILURE to
 *   Bad_NoCommunication, NOT_CONNECTED to Bad_NotConnected, LAST_USABLE to Uncertain_LastUsableValue,
 *   LOCAL_OVERRIDE to Good_LocalOverride, the limit (Low Limited: 01) to the limit bits (with InfoType
 *   DataValue 0x400: 0x500). The DA bytes: 0xC0 good, 0x18 comm failure, 0x08 not connected, 0x44 last
 *   usable, 0xD8 local override; DA-era tools write them as "Bad, Comm Failure" or "Bad - Comm Failure".
 * - Ignition: its tag history's dataintegrity ("192 is Good Quality, anything else is bad", Ignition
 *   Database Table Reference) holds legacy codes (7.9 "Tag Quality and Overlays": OPC_Bad_Data 0,
 *   OPC_Not_Connected 8, Comm_Error 301); Ignition 8's QualityCode is 32 bits, its level in the top two
 *   (01 Uncertain, 10 Bad, 11 Error), its subcode in the low 16 (Cirrus Link's table of 8.1.13: Bad_Stale
 *   -2147483132, Uncertain_LastKnownValue 1073742081, Bad_NotConnected -2147483126, Error_IO -1073741050).
 * - PI: piapix.h's value flags (PI_M_AFLAG 1, PI_M_QFLAG 2, PI_M_SFLAG 4), as words ("Questionable") or
 *   the mask; PI-API "Digital Flags": questionable "some reason to doubt the accuracy of the value",
 *   substituted "the value has been changed from its original value", annotated "a comment about a value".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianCli } from '../testing/cli.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-foreign-codes-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 2, 8, 0, 0);
const local = (s: number) => new Date(T0 + s * 1000).toISOString().replace('T', ' ').replace('Z', '');

/** Writes the file, imports it with the CLI into <dir>/data; its exit code, stderr, and every archived [second, status] of the tag. */
async function imported(name: string, lines: string[], tag: string): Promise<{ code: number | null; stderr: string; rows: number[][] }> {
  writeFileSync(join(dir, name), lines.join('\r\n') + '\r\n');
  const run = historianCli(dir, 'import', name, '--data', 'data');
  const h = Historian.open(join(dir, 'data'), { flushIntervalMs: 0, sortWindowMs: 0 });
  try {
    const rows = h.readRaw({ tags: [tag], start: T0 - 1000, end: T0 + 3_600_000 }).rows
      .map((r) => [(r.t - T0) / 1000, (r.status & 0xffff0300) >>> 0]); // the code and its limit bits (not the InfoType and historian bits a read adds)
    return { code: run.code, stderr: run.stderr, rows };
  } finally {
    await h.close();
  }
}

describe('OPC DA (classic) qualities', () => {
  it('reads the texts DA-era tools export in a Quality column as the codes Part 8 Table A.61 gives', async () => {
    const texts = ['Good', 'Bad, Comm Failure', 'Bad - Comm Failure', 'Bad: Not Connected', 'Uncertain: Last Usable', 'Good, Local Override',
      'Bad, Not Connected, Low Limited', 'Good (Non-specific)', 'OPC_QUALITY_LAST_USABLE', 'Good, Comm Failure'];
    const r = await imported('da.csv', ['Tag,Timestamp,Value,Quality', ...texts.map((q, i) => `FIC-101.PV,${local(i)},${10 + i},"${q}"`)], 'FIC-101.PV');
    expect(r.rows).toEqual([
      [0, 0], [1, 0x80310000], [2, 0x80310000], [3, 0x808a0000], [4, 0x40900000], [5, 0x00960000],
      [6, 0x808a0100], [7, 0], [8, 0x40900000], // Low Limited: limit bits 01 (0x100)
    ]);
    // A comm failure is no sub-status of Good: rejected, naming file, line and column.
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('da.csv:11: field "Quality": expected a status:');
  });

  it('reads an OPCQuality column\'s DA bytes in hex as in decimal; in an OPC UA status column a hex DA byte is rejected, not archived Good', async () => {
    const cells = ['0xC0', '0x18', '0x08', '0x44', '0xD8', '0x0018', '192', '24'];
    const da = await imported('hex.csv', ['Tag,Timestamp,Value,OPCQuality', ...cells.map((q, i) => `FIC-102.PV,${local(i)},${i},${q}`)], 'FIC-102.PV');
    expect([da.code, da.rows]).toEqual([0, [[0, 0], [1, 0x80310000], [2, 0x808a0000], [3, 0x40900000], [4, 0x00960000], [5, 0x80310000], [6, 0], [7, 0x80310000]]]);

    const ua = await imported('ua.csv', ['Tag,Timestamp,Value,Status', `FIC-103.PV,${local(0)},1,0x00000000`, `FIC-103.PV,${local(1)},2,0x18`], 'FIC-103.PV');
    expect(ua.rows).toEqual([[0, 0]]);
    expect(ua.stderr).toContain('ua.csv:3: field "Status": expected an OPC UA status code (a Good code with stray low bits is none: ' +
      'an OPC DA quality such as 0x18 or 0xC0 belongs in a column named OPCQuality); got "0x18"');
  });
});

describe('Ignition quality integers', () => {
  // A query of its sqlt_data tables joined to sqlth_te (tagpath), the value column named value.
  it('reads a tag history\'s dataintegrity: 192 Good, legacy codes below a byte as DA qualities, others Bad; 32-bit QualityCodes by level and name', async () => {
    const codes = ['192', '0', '64', '8', '301', '500', '-2147483132', '1073742081', '-2147483126', '-1073741050', 'Bad_Stale'];
    const r = await imported('ign.csv', ['tagpath,value,dataintegrity,t_stamp', ...codes.map((q, i) => `tk101/level,${1 + i / 10},${q},${T0 + i * 1000}`)],
      'tk101/level');
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('0 lines rejected')]);
    expect(r.rows).toEqual([
      [0, 0], [1, 0x80000000], [2, 0x40000000], [3, 0x808a0000], [4, 0x80050000], [5, 0x80000000],
      [6, 0x80000000], [7, 0x40900000], [8, 0x808a0000], [9, 0x80000000], [10, 0x80000000],
    ]);
  });
});

describe('a PI export\'s Flags column', () => {
  it('reads Questionable as Uncertain and Substituted as UncertainSubstituteValue, as words or piapix.h\'s mask; Annotated says nothing', async () => {
    const flags = ['', 'Questionable', 'Substituted', 'Annotated', 'Questionable, Substituted', ' Annotated Questionable', '2', '4', '1', '0', 'Frobbed'];
    const r = await imported('pi.csv', ['Tag,Timestamp,Value,Flags', ...flags.map((f, i) => `TIC-201.PV,${local(i)},${350 + i},"${f}"`)], 'TIC-201.PV');
    expect(r.rows).toEqual([
      [0, 0], [1, 0x40000000], [2, 0x40910000], [3, 0], [4, 0x40910000], [5, 0x40000000], [6, 0x40000000], [7, 0x40910000], [8, 0], [9, 0],
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pi.csv:12: field "Flags": expected flags: Vigil\'s (Cyclic|Backfilled');
  });
});
