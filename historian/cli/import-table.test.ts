/**
 * README ("Historian CLI"): `import --start T --period P` reads a headerless, timeless numeric
 * table, as the Tennessee Eastman set publishes them: d01.dat 480 lines of 52 numbers (a sample a
 * line, 3-minute rows, Fortran's `  2.5038000e-01` fields), d00.dat transposed (52 lines of 500, a
 * variable a line). Files of those shapes are written here; what is archived is exported back and
 * compared with the numbers the file's text says (Number(), the language's own reading of it).
 * Child processes (the CLI as a user runs it) on temp archives; exports go to files (--out): they
 * pass the 1 MB that spawnSync takes from a pipe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli } from '../testing/cli.js';
import { Historian } from '../index.js';
import { eachLineOf, namesArg, readTable } from './headerless.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);
const START = Date.UTC(2024, 0, 1);
const PERIOD = 180_000;

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-table-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Fields as the TEP files write them: Fortran E15.7, two spaces before each. */
const fortran = (v: number) => v.toExponential(7).replace(/e([+-])(\d)$/, 'e$10$2').padStart(15);
/** Deterministic values of every magnitude the set holds (flows in thousands, fractions, negatives). */
function values(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return ((x / 2 ** 31) * 2 - 1) * 10 ** ((x % 8) - 3);
  });
}
function writeTable(name: string, lines: number, width: number): string[][] {
  const fields = Array.from({ length: lines }, (_, i) => values(width, i + 1).map(fortran));
  writeFileSync(join(dir, name), fields.map((l) => l.map((f) => `  ${f}`).join('') + '\n').join(''));
  return fields.map((l) => l.map((f) => f.trim()));
}

/** The export (long: time,tag,value,...) as tag -> [time ms, value text][]. */
function exported(csv: string): Map<string, [number, string][]> {
  const out = new Map<string, [number, string][]>();
  for (const row of csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1)) {
    const [time, tag, value] = row.split(',');
    const list = out.get(tag!) ?? [];
    list.push([Date.parse(time!), value!]);
    out.set(tag!, list);
  }
  return out;
}

describe('import of a headerless table: --start, --period', { timeout: 120_000 }, () => {
  it('d01.dat (480 lines of 52): a sample a line, 3-minute times, every number bit for bit', () => {
    const fields = writeTable('d01.dat', 480, 52);
    const data = join(dir, 'd01');
    const r = cli('import', 'd01.dat', '--data', data, '--start', '2024-01-01T00:00Z', '--period', '3m', '--tag-prefix', 'TE');
    expect(r.stderr).toContain('d01.dat: no header, 480 lines of 52 numbers separated by spaces: one sample a line');
    expect(r.stdout).toContain('d01.dat: 24960 samples accepted, 24960 archived');
    expect(r.code).toBe(0);
    const e = cli('export', '--data', data, '--tag', 'TE.*', '--from', '2024-01-01T00:00Z', '--to', '2024-01-02T00:00Z', '--out', 'd01.csv');
    expect(e.code).toBe(0);
    const tags = exported(readFileSync(join(dir, 'd01.csv'), 'utf8'));
    expect(tags.size).toBe(52);
    for (let c = 0; c < 52; c++) {
      const series = tags.get(`TE.X${c + 1}`)!;
      expect(series.map(([t]) => t)).toEqual(fields.map((_, i) => START + i * PERIOD));
      series.forEach(([, v], i) => expect(Object.is(Number(v), Number(fields[i]![c]))).toBe(true));
    }
  });

  it('d00.dat (52 lines of 500): ambiguous without names; with 52 names a variable a line', () => {
    const fields = writeTable('d00.dat', 52, 500);
    const data = join(dir, 'd00');
    const refused = cli('import', 'd00.dat', '--data', data, '--start', '2024-01-01T00:00Z', '--period', '3m');
    expect(refused.stderr).toContain("d00.dat: 52 lines of 500 numbers: no more lines than numbers a line, so a line may be a sample or one tag's series");
    expect(refused.stderr).toContain('say which: --each-line sample or --each-line tag');
    expect(refused.code).toBe(1);
    expect(existsSync(data)).toBe(false); // no archive left behind by a refused file
    const names = [...Array.from({ length: 41 }, (_, i) => `XMEAS(${i + 1})`), ...Array.from({ length: 11 }, (_, i) => `XMV(${i + 1})`)];
    writeFileSync(join(dir, 'te-names.txt'), names.join('\n') + '\n');
    const r = cli('import', 'd00.dat', '--data', data, '--start', '1704067200000', '--period', '180s', '--names-file', 'te-names.txt');
    expect(r.stderr).toContain("52 names, 52 lines: one tag's series a line");
    expect(r.stdout).toContain('d00.dat: 26000 samples accepted, 26000 archived');
    expect(r.code).toBe(0);
    const e = cli('export', '--data', data, '--tag', '*', '--from', '2024-01-01T00:00Z', '--to', '2024-01-03T00:00Z', '--out', 'd00.csv');
    expect(e.code).toBe(0);
    const tags = exported(readFileSync(join(dir, 'd00.csv'), 'utf8'));
    expect([...tags.keys()].sort()).toEqual([...names].sort());
    names.forEach((name, line) => {
      const series = tags.get(name)!;
      expect(series.map(([t]) => t)).toEqual(fields[line]!.map((_, s) => START + s * PERIOD));
      series.forEach(([, v], s) => expect(Object.is(Number(v), Number(fields[line]![s]))).toBe(true));
    });
  });

  it('refuses what it cannot read as told: options that read a time column, --start alone, two tables, samples past now, a discrete tag', async () => {
    writeFileSync(join(dir, 'small.dat'), '1 2\n3 4\n5 6\n');
    const wide = cli('import', 'small.dat', '--data', join(dir, 'x'), '--start', '2024-01-01T00:00Z', '--period', '1s', '--wide');
    expect(wide.stderr).toContain('historian import: --wide: not with --start/--period (a headerless table has no time column)');
    expect(wide.code).toBe(2);
    const alone = cli('import', 'small.dat', '--data', join(dir, 'x'), '--start', '2024-01-01T00:00Z', '--names', 'a,b');
    expect(alone.stderr).toContain('historian import: --start: a headerless table needs --start <time> and --period <duration>; got --start, --names');
    expect(alone.code).toBe(2);
    const two = cli('import', 'small.dat', 'small.dat', '--data', join(dir, 'x'), '--start', '2024-01-01T00:00Z', '--period', '1s');
    expect(two.stderr).toContain('historian import: --start/--period: 2 tables given (small.dat, small.dat): they would give the same tags the same times');
    expect(two.code).toBe(2);
    const future = cli('import', 'small.dat', '--data', join(dir, 'x'), '--start', '2099-01-01T00:00Z', '--period', '1s');
    expect(future.stderr).toContain('small.dat: line 3, sample 3, would be at 2099-01-01T00:00:02.000Z: after now; expected an earlier --start');
    expect(future.code).toBe(1);
    // A name the archive holds as a discrete tag: refused before any of the table is archived.
    const kinds = join(dir, 'kinds');
    const h = Historian.open(kinds, { flushIntervalMs: 0, sortWindowMs: 0 });
    h.defineTag({ name: 'Pump', kind: 'discrete', description: '', unit: '', compression: { kind: 'none' }, stepped: true, cycleMs: 0 }, 0);
    await h.close();
    const pump = cli('import', 'small.dat', '--data', kinds, '--start', '2024-01-01T00:00Z', '--period', '1s', '--names', 'Flow,Pump');
    expect(pump.stderr).toContain('small.dat: tag "Pump" is discrete in the archive; expected analog (the table holds numbers): give other names');
    expect(pump.code).toBe(1);
    expect(pump.stdout).not.toContain('accepted');
    // Without --start, the CSV import's refusal of numbers where the header should be names the options that read them.
    const csv = cli('import', 'small.dat', '--data', join(dir, 'x'));
    expect(csv.stderr).toContain('small.dat: a table of numbers without a header or times is imported with --start <time> --period <duration>');
    expect(csv.code).toBe(1);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    // A first line of data with its times (a header missing, not a table without times): no such advice.
    writeFileSync(join(dir, 'timed.csv'), '2024-01-01T00:00:00Z,1.5\n2024-01-01T00:00:01Z,1.6\n');
    const timed = cli('import', 'timed.csv', '--data', join(dir, 'x'));
    expect(timed.stderr).toContain('got data: 2024-01-01T00:00:00Z,1.5');
    expect(timed.stderr).not.toContain('--start <time>');
    expect(timed.code).toBe(1);
  });
});

describe('reading a headerless table: errors name file, line and field', () => {
  const read = (text: string, delimiter?: string) => readTable('d05.dat', text, delimiter);
  it('every line as many numbers as line 1, every field a number', () => {
    expect(() => read('1 2 3\n4 5\n')).toThrow('d05.dat:2: 2 fields; expected 3 numbers separated by spaces as line 1 holds');
    expect(() => read('1 2 3\n4 5 x7\n')).toThrow('d05.dat:2: field 3: expected a number; got "x7"');
    expect(() => read('1 2\n\n3 4\n')).toThrow('d05.dat:2: empty line; expected 2 numbers separated by spaces as line 1 holds');
    expect(() => read('1 1e400\n')).toThrow('d05.dat:1: field 2: expected a number; got "1e400"');
    expect(() => read('1 2\n1,234 5\n')).toThrow('d05.dat:2: field 1: expected a number; got "1,234"');
    expect(() => read('time X1\n0 1\n')).toThrow('d05.dat:1: field 1: expected a number (a file with a header row is imported without --start and --period); got "time"');
    expect(() => read('\n\n')).toThrow('d05.dat: no lines; expected a table of numbers');
    expect(() => read('1;;3\n4;5;6\n', ';').lines).not.toThrow(); // an empty field between delimiters: no sample
    expect(read('\uFEFF 1\t-2.5E-03\r\n3 NaN\r\n').lines).toEqual([['1', '-2.5E-03'], ['3', 'NaN']]);
    // The separator line 1 holds: a comma table is read by its commas; a decimal comma is no number.
    expect(read('1.5,2\n,3\n')).toMatchObject({ lines: [['1.5', '2'], ['', '3']], delimiter: ',' });
    expect(() => read('1,5;2\n3;4\n')).toThrow('d05.dat:1: field 1: expected a number; got "1,5"');
    expect(read('1\t\t2\n3\t4\t5\n', '\t')).toMatchObject({ lines: [['1', '', '2'], ['3', '4', '5']], delimiter: '\t' });
  });

  it('what a line is: from --each-line, the names, or the shape; refused when it could be either', () => {
    const table = (h: number, w: number) => ({ height: h, width: w });
    const opts = { start: 0, periodMs: 1 };
    expect(eachLineOf('f', table(3, 2), opts).eachLine).toBe('sample');
    expect(() => eachLineOf('f', table(2, 2), opts)).toThrow('f: 2 lines of 2 numbers: no more lines than numbers a line');
    expect(eachLineOf('f', table(2, 2), { ...opts, eachLine: 'tag' }).eachLine).toBe('tag');
    expect(eachLineOf('f', table(2, 5), { ...opts, names: ['a', 'b'] }).eachLine).toBe('tag');
    expect(() => eachLineOf('f', table(2, 2), { ...opts, names: ['a', 'b'] })).toThrow('f: 2 lines of 2 numbers, 2 names: a line may be a sample or a tag\'s series; say which');
    expect(() => eachLineOf('f', table(4, 3), { ...opts, names: ['a', 'b'] })).toThrow('f: 4 lines of 3 numbers: --names gives 2 names; expected 3 (one per number in a line) or 4');
    expect(() => eachLineOf('f', table(4, 3), { ...opts, names: ['a', 'b'], eachLine: 'sample' })).toThrow('f: 4 lines of 3 numbers: with --each-line sample that is 3 tags; --names gives 2');
  });

  it('names: each once, none empty; from a list or a file of a name a line', () => {
    expect(namesArg('a, b,c', undefined)).toEqual(['a', 'b', 'c']);
    expect(() => namesArg('a,b,a', undefined)).toThrow('--names: name 3: "a" again: expected each name once (first as name 1)');
    expect(() => namesArg('a,,b', undefined)).toThrow('--names: name 2: expected a tag name; got an empty one');
    expect(() => namesArg('a', 'f.txt')).toThrow('--names and --names-file: give one');
    // Names the CSV import would not read as tags: a quality column of the name before, a column without a name.
    expect(() => namesArg('Date,X1,X1 Quality', undefined)).toThrow('--names: name 3: "X1 Quality" beside another name would be read as that tag\'s quality column');
    expect(() => namesArg('X1,X1_Q', undefined)).toThrow('--names: name 2: "X1_Q" beside another name');
    expect(namesArg('Water Quality,pH', undefined)).toEqual(['Water Quality', 'pH']);
    expect(() => namesArg('a,Unnamed: 2', undefined)).toThrow('--names: name 2: "Unnamed: 2" is read as a column without a name, left unread; expected a tag name');
    const f = join(dir, 'names.txt');
    writeFileSync(f, 'XMEAS(1)\r\n\r\nXMEAS(3)\r\n');
    expect(() => namesArg(undefined, f)).toThrow(`--names-file: ${f}:2: expected a tag name; got an empty one`);
    writeFileSync(f, 'XMEAS(1)\nXMV(1)\n\n');
    expect(namesArg(undefined, f)).toEqual(['XMEAS(1)', 'XMV(1)']);
    expect(readFileSync(f, 'utf8')).toContain('XMV(1)');
  });
});
