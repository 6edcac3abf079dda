/**
 * The CLI's stdout. Read by a reader that stops early (`export ... | head`), as a user meets it
 * (child processes, the read end of the pipe closed after the first chunk): the command stops
 * quietly, exit code 0, nothing on stderr, the archive closed as it was found. An import whose
 * reader went away goes on with its work. stdout failing otherwise (/dev/full) is an error, said once.
 * A query table of more rows than a function takes arguments is printed whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { historianCli, historianCommand } from '../testing/cli.js';

let dir: string;
let data: string;
const T0 = Date.UTC(2024, 4, 1);
const ROWS = 100_000;
const range = ['--tag', 'TK*', '--from', new Date(T0).toISOString(), '--to', new Date(T0 + ROWS * 1000).toISOString()];

/** The archive's files, names only (a -wal, -shm, journal or writer.lock left would show here). */
const files = (at: string): string[] => [...readdirSync(at), ...readdirSync(join(at, 'volumes')).map((f) => `volumes/${f}`)].sort();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-stdout-'));
  data = join(dir, 'archive');
  const h = Historian.open(data, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'month' });
  h.defineTags(['TK1.Level', 'TK2.Level'].map((name) => ({ name, kind: 'analog' as const, description: '', unit: 'm', compression: { kind: 'none' as const }, stepped: false, cycleMs: 0 })), 0);
  for (const tag of ['TK1.Level', 'TK2.Level']) {
    h.append(tag, Array.from({ length: ROWS }, (_, i) => ({ t: T0 + i * 1000, value: i / 8, status: Good })), { cyclicRecords: false });
  }
  await h.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number | null; signal: NodeJS.Signals | null; stderr: string; got: string }

/** Runs the CLI with stdout a pipe whose reader closes it after `keep` chunks (0: before anything is written). */
function runClosingStdout(keep: number, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [node, bundle] = historianCommand();
    const child = spawn(node, [bundle, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let got = '';
    let chunks = 0;
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    if (keep === 0) child.stdout.destroy();
    else {
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        got += s;
        if (++chunks === keep) child.stdout.destroy(); // as head does once it has its lines
      });
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, got });
    });
  });
}

describe('stdout whose reader goes away', { timeout: 180_000 }, () => {
  it('export | head: exit 0, nothing on stderr, the archive left as it was', async () => {
    const before = files(data);
    const r = await runClosingStdout(1, 'export', '--data', data, ...range);
    expect([r.code, r.signal, r.stderr]).toEqual([0, null, '']);
    expect(r.got.startsWith('time,tag,value,unit,status,status_code,flags,kind\r\n2024-05-01T00:00:00.000Z,TK1.Level,0,m,Good,0x00000400,,analog\r\n')).toBe(true);
    expect(files(data)).toEqual(before);
  });

  it('query raw | head (a table far larger than a pipe holds), --json too, and --help: exit 0, nothing on stderr', async () => {
    const before = files(data);
    for (const args of [['query', 'raw', '--data', data, ...range, '--limit', '200000'], ['query', 'raw', '--json', '--data', data, ...range, '--limit', '200000'], ['query', 'plot', '--data', data, ...range, '--buckets', '50000'], ['import', '--help']]) {
      const r = await runClosingStdout(1, ...args);
      expect([args.join(' '), r.code, r.signal, r.stderr]).toEqual([args.join(' '), 0, null, '']);
    }
    expect(files(data)).toEqual(before);
  });

  it('import with its stdout closed: the import goes on, every file archived, the archive closed', async () => {
    const at = join(dir, 'imported');
    const csv = (from: number) => ['time,FT1', ...Array.from({ length: 1000 }, (_, i) => `${new Date(T0 + (from + i) * 1000).toISOString()},${from + i}`)].join('\n') + '\n';
    writeFileSync(join(dir, 'a.csv'), csv(0));
    writeFileSync(join(dir, 'b.csv'), csv(1000));
    const r = await runClosingStdout(0, 'import', 'a.csv', 'b.csv', '--wide', '--data', at);
    expect([r.code, r.signal]).toEqual([0, null]);
    expect(r.stderr).toMatch(/^a\.csv: summary: wide, 1000 rows, 1000 samples .*\nb\.csv: summary: wide, 1000 rows, 1000 samples .*\n$/);
    expect(existsSync(join(at, 'writer.lock'))).toBe(false);
    const back = historianCli(dir, 'query', 'raw', '--json', '--data', at, '--tag', 'FT1', '--from', new Date(T0).toISOString(), '--to', new Date(T0 + 2_000_000).toISOString());
    expect(back.code).toBe(0);
    expect((JSON.parse(back.stdout) as { value: number }[]).map((x) => x.value)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('stdout on a full device (/dev/full): exit 1, said once, no stack trace', async () => {
    for (const args of [['query', 'raw', '--data', data, ...range, '--limit', '200000'], ['stats', '--data', data]]) {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn('bash', ['-c', `exec "$@" > /dev/full`, 'bash', ...historianCommand(), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect([r.code, r.stderr]).toEqual([1, `historian ${args[0]}: cannot write to stdout: ENOSPC: no space left on device, write\n`]);
    }
  });

  it('query raw --limit 200000: the whole table (its column widths once overflowed the stack)', async () => {
    const r = await runClosingStdout(Infinity, 'query', 'raw', '--data', data, ...range, '--limit', '200000');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.got.split('\n');
    expect(lines).toHaveLength(200_002); // header, 200,000 rows, the empty string after the last line end
    expect(lines[0]).toBe('time                      tag        value      status  status_code  flags');
    expect(lines[200_000]).toBe(`${new Date(T0 + (ROWS - 1) * 1000).toISOString()}  TK2.Level  ${(ROWS - 1) / 8}  Good    0x00000400`);
  });

  it('query raw cut at its default limit of 100,000 rows says so on stderr (exactly the limit: nothing said)', async () => {
    const cut = await runClosingStdout(Infinity, 'query', 'raw', '--data', data, ...range);
    expect([cut.code, cut.stderr]).toEqual([0, 'historian query: stopped at --limit 100000 rows; more rows lie in the range (--limit N for more, or export for all)\n']);
    expect(cut.got.split('\n')).toHaveLength(100_002);
    const whole = await runClosingStdout(Infinity, 'query', 'raw', '--data', data, '--tag', 'TK1.Level', ...range.slice(2));
    expect([whole.code, whole.stderr, whole.got.split('\n').length]).toEqual([0, '', 100_002]);
  });
});
