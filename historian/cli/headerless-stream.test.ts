/**
 * README ("Historian CLI"): a headerless table is read as a stream, twice (checked whole, then
 * converted), holding a chunk of the file, never the file: a 300 MB Tennessee Eastman-shaped table
 * took 3.2 GB read whole, one past 512 MB could not be read at all. Lines are split as the
 * language's own String.split reads the whole text; read in chunks of a few bytes here, so that
 * every line end, CRLF and multi-byte character falls between two reads somewhere.
 * `--time-column elapsed-s`: a table whose first number is the time since --start.
 * A signal while the table is checked (fed through a named pipe) archives nothing and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli, historianCommand } from '../testing/cli.js';
import { BATCH_LINES, convertTable, readTable, tableLines, TableError } from './headerless.js';
import { tableInterrupted } from './import.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-table-stream-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function linesOf(text: string | Buffer, chunkBytes: number): Promise<{ lines: string[]; batches: number[]; firsts: number[] }> {
  const f = join(dir, 'lines.dat');
  writeFileSync(f, text);
  const out = { lines: [] as string[], batches: [] as number[], firsts: [] as number[] };
  for await (const { lines, first } of tableLines(f, { chunkBytes })) {
    out.firsts.push(first);
    out.batches.push(lines.length);
    out.lines.push(...lines);
  }
  return out;
}

describe('reading a table a chunk at a time', () => {
  it('lines as String.split reads the whole text, whatever falls between two reads', async () => {
    const text = '\uFEFF1.2345e-03\t  NaN  7\r\n2 3 4\r3\t\t4 5\n°C 1 2\r\n\r\n  \n';
    const want = text.slice(1).split(/\r\n|\n|\r/).slice(0, -1); // the last line end ends the last line
    for (const chunk of [1, 2, 3, 5, 7, 64]) expect((await linesOf(text, chunk)).lines).toEqual(want);
    expect((await linesOf('1 2\n3 4', 3)).lines).toEqual(['1 2', '3 4']); // a last line without a line end
    expect((await linesOf('1 2\r', 3)).lines).toEqual(['1 2']); // a CR at the very end ends the line
    expect((await linesOf('', 3)).lines).toEqual([]);
  });

  it('never hands on more than BATCH_LINES lines at a time, numbered on from batch to batch', async () => {
    const n = BATCH_LINES * 2 + 17;
    const text = Array.from({ length: n }, (_, i) => `${i} ${i * 2}`).join('\n') + '\n';
    const r = await linesOf(text, 1 << 20); // one read holds all of them
    expect(r.lines.length).toBe(n);
    expect(Math.max(...r.batches)).toBeLessThanOrEqual(BATCH_LINES);
    expect(r.batches.length).toBeGreaterThanOrEqual(3);
    expect(r.firsts).toEqual(r.batches.map((_, i) => 1 + r.batches.slice(0, i).reduce((a, b) => a + b, 0)));
    expect(r.lines[n - 1]).toBe(`${n - 1} ${(n - 1) * 2}`);
  });

  it('a table read in chunks of 3 bytes: the CSV it becomes, and its errors, as read whole', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [`${i}.5e-03`, i % 7 === 0 ? 'NaN' : `-${i}`, `${i * 3}`]);
    const table = join(dir, 'crlf.dat');
    writeFileSync(table, '\uFEFF' + rows.map((r) => ` ${r.join(' \t ')}  `).join('\r\n') + '\r\n\r\n');
    const out = join(dir, 'crlf.csv');
    const c = await convertTable(table, out, { start: 1_000, periodMs: 500 }, { work: dir, chunkBytes: 3 });
    expect(c).toMatchObject({ samples: 300, eachLine: 'sample', names: ['X1', 'X2', 'X3'], delimiter: ' ' });
    expect(readFileSync(out, 'utf8')).toBe(['time,X1,X2,X3', ...rows.map((r, i) => `${1_000 + i * 500},${r.join(',')}`)].join('\n') + '\n');
    // A tag a line (transposed), a window of samples a pass.
    const tagLines = join(dir, 'tags.dat');
    writeFileSync(tagLines, '1 2 3 4\n5 6 7 8\n');
    for (const windowFields of [undefined, 2, 5]) { // all at once; a sample a pass; two a pass, the last one alone
      await convertTable(tagLines, out, { start: 0, periodMs: 1000, eachLine: 'tag' }, { work: dir, chunkBytes: 3, windowFields });
      expect(readFileSync(out, 'utf8')).toBe('time,X1,X2\n0,1,5\n1000,2,6\n2000,3,7\n3000,4,8\n');
    }
    // Errors as the whole text's reading says them, naming file, line and field.
    for (const bad of ['1 2 3\r\n4 5\r\n', '1 2\n\n3 4\n', '1 2\n3 x\n', '1 2\n3 4 5', '\n\n']) {
      writeFileSync(table, bad);
      const whole = (() => { try { readTable(table, bad, undefined); return 'read'; } catch (e) { return (e as Error).message; } })();
      await expect(convertTable(table, out, { start: 0, periodMs: 1, eachLine: 'sample' }, { work: dir, chunkBytes: 2 })).rejects.toThrow(new TableError(whole));
    }
  });
});

describe('import --time-column elapsed-s: the first number is the time since --start', { timeout: 60_000 }, () => {
  it('archives each line at start + its seconds, the numbers bit for bit; refuses times not increasing', () => {
    const times = ['0.0', '0.5', '1.25', '2', '3.0005', '1e1'];
    const values = times.map((_, i) => [`${i}.5`, i === 2 ? 'NaN' : `-1.2345e-0${i}`]);
    writeFileSync(join(dir, 'run.dat'), times.map((t, i) => `${t}\t${values[i]!.join('  ')}`).join('\r\n') + '\r\n');
    const data = join(dir, 'elapsed');
    const r = cli('import', 'run.dat', '--data', data, '--start', '2024-03-01T00:00Z', '--time-column', 'elapsed-s', '--names', 'FT1,PT2');
    expect(r.stderr).toContain('run.dat: no header, 6 lines of a time and 2 numbers separated by spaces: one sample a line (field 1 the time in s since --start)');
    expect(r.stdout).toContain('run.dat: 11 samples accepted, 11 archived');
    expect(r.code).toBe(0);
    const e = cli('export', '--data', data, '--tag', '*', '--from', '2024-03-01T00:00Z', '--to', '2024-03-02T00:00Z', '--out', 'run.csv');
    expect(e.code).toBe(0);
    const rows = readFileSync(join(dir, 'run.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
    const start = Date.UTC(2024, 2, 1);
    const want = times.flatMap((t, i) => [['FT1', values[i]![0]!], ['PT2', values[i]![1]!]].filter(([, v]) => v !== 'NaN')
      .map(([tag, v]) => [start + Math.round(Number(t) * 1000), tag!, Number(v)] as const));
    const got = rows.map((c) => [Date.parse(c[0]!), c[1]!, Number(c[2])] as const);
    expect([...got].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))).toEqual(want.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])));

    writeFileSync(join(dir, 'back.dat'), '0 1\n1 2\n1 3\n');
    const back = cli('import', 'back.dat', '--data', join(dir, 'back'), '--start', '2024-03-01T00:00Z', '--time-column', 'elapsed-s');
    expect(back.stderr).toContain("back.dat:3: field 1: 1 is not after line 2's 1; expected times in increasing order (--time-column elapsed-s)");
    expect(back.code).toBe(1);
    expect(existsSync(join(dir, 'back'))).toBe(false);
    const period = cli('import', 'back.dat', '--data', join(dir, 'back'), '--start', '2024-03-01T00:00Z', '--time-column', 'elapsed-s', '--period', '1s');
    expect(period.stderr).toContain('historian import: --period: not with --time-column elapsed-s');
    expect(period.code).toBe(2);
  });
});

describe('a signal while a table is checked', { timeout: 60_000 }, () => {
  it('archives nothing, says the line, leaves no archive, exits 130', async () => {
    const fifo = join(dir, 'pipe.dat');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const data = join(dir, 'stopped');
    // The CLI copies a pipe as it reads it to a folder of its temporary directory: its own here, to see how far it read.
    const cliTmp = join(dir, 'cli-tmp');
    mkdirSync(cliTmp);
    const [node, bundle] = historianCommand();
    const child = spawn(node, [bundle, 'import', fifo, '--data', data, '--start', '2024-01-01T00:00Z', '--period', '3m'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: cliTmp } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const pipe = await open(fifo, 'w'); // waits for the import to open the table
    const lines = Array.from({ length: 200 }, (_, i) => `${i} ${i + 0.5} 1.5e-03`).join('\n') + '\n';
    await pipe.write(lines);
    // The node process that holds the archive: its pid is in the writer lock.
    const lock = join(data, 'writer.lock');
    for (let i = 0; i < 300 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
    const owner = (JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid;
    // Signalled once it has read the 200 lines (on a busy machine it may not have read one yet).
    const copied = () => readdirSync(cliTmp).reduce((n, d) => n + (existsSync(join(cliTmp, d, 'source.dat')) ? statSync(join(cliTmp, d, 'source.dat')).size : 0), 0);
    for (let i = 0; i < 300 && copied() < lines.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(copied()).toBe(lines.length);
    process.kill(owner, 'SIGINT');
    for (let i = 0; i < 300 && !/interrupted at line/.test(stderr); i++) await new Promise((r) => setTimeout(r, 100));
    await pipe.close();
    expect(await exited).toBe(130);
    expect(stderr).toContain(`${fifo}: interrupted at line 200 while the table was checked: nothing of it is archived`);
    expect(stdout).not.toContain('accepted');
    expect(existsSync(data)).toBe(false); // the archive this run made, empty: not kept
  });

  it('stopped while archived: said in the table\'s lines (the CSV it became has a header line more), or its samples', () => {
    const report = (line: number) => ({ interruptedAfter: line, interruptedNote: undefined as string | undefined });
    const a = report(12_638); // CSV lines 2..12638: the table's lines 1..12637
    tableInterrupted(a as never, 'sample', 600_000);
    expect(a.interruptedAfter).toBe(12_637);
    const b = report(101);
    tableInterrupted(b as never, 'tag', 500);
    expect(b).toEqual({ interruptedAfter: 0, interruptedNote: 'after sample 100 of 500: the samples up to it are archived, of every tag, the rest are not' });
  });
});
