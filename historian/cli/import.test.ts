/** `import` as a user runs it on real-shaped process files: a child process on temp dirs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianCli, historianCommand } from '../testing/cli.js';

let dir: string;

const cli = (...args: string[]) => historianCli(dir, ...args);

/** Files left in an archive folder (recursively), relative to it. */
const filesIn = (data: string): string[] => readdirSync(data, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(data.length + 1)).sort();

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-import-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian import on public-dataset shapes', { timeout: 120_000 }, () => {
  it('imports a SKAB file (semicolon, datetime, decimal comma) with a tag prefix and prints a summary on stderr', () => {
    const rows = ['datetime;Accelerometer1RMS;Temperature;Pressure'];
    for (let s = 0; s < 120; s++) rows.push(`2020-03-09 10:${String(14 + Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')};0,0264;${89 + (s % 7) / 10};${s % 10 === 0 ? 'NaN' : '0.054'}`);
    writeFileSync(join(dir, 'skab.csv'), rows.join('\n') + '\n');
    const data = join(dir, 'skab');
    const r = cli('import', 'skab.csv', '--data', data, '--compression', 'deadband:0.05', '--tag-prefix', 'SKAB', '--tz', 'Europe/Moscow');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('skab.csv: summary: wide, 120 rows, 348 samples (348 accepted), 12 empty cells, ' +
      '3 tags created (SKAB.Accelerometer1RMS, SKAB.Temperature, SKAB.Pressure), time 2020-03-09T07:14:00.000Z .. 2020-03-09T07:15:59.000Z, ' +
      'time column "datetime" (ISO 8601 without offset), delimiter semicolon (decimal comma allowed), 0 lines rejected\n');
    expect(r.stdout).toMatch(/^skab\.csv: 348 samples accepted/);
    const stats = JSON.parse(cli('stats', '--data', data, '--json').stdout) as Record<string, number>;
    expect(stats.samplesReceived).toBe(348);
    expect(stats.samplesArchived).toBeLessThan(348); // deadband dropped the flat accelerometer
  });

  it('takes a %-of-span deviation of each created tag\'s own span in the file, or of the --range given', async () => {
    writeFileSync(join(dir, 'pct.csv'), 'time,LT1,PT1\n2026-01-01T00:00:00Z,10,4502.7\n2026-01-01T00:00:01Z,10.2,4498.1\n2026-01-01T00:00:02Z,30,4510.3\n');
    const r = cli('import', 'pct.csv', '--data', join(dir, 'pct'), '--compression', 'swinging-door:1%');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('2 tags created (LT1, PT1) (EU range of 2 from their values in the file)');
    expect(cli('import', 'pct.csv', '--data', join(dir, 'pct-given'), '--compression', 'swinging-door:1%', '--range', '0:20').code).toBe(0);
    const ranges = async (data: string) => {
      const h = Historian.open(join(dir, data), { flushIntervalMs: 0 });
      const r = ['LT1', 'PT1'].map((tag) => h.versions(tag)[0]!.config.range);
      await h.close();
      return r;
    };
    expect(await ranges('pct')).toEqual([{ low: 10, high: 30 }, { low: 4498.1, high: 4510.3 }]);
    expect(await ranges('pct-given')).toEqual([{ low: 0, high: 20 }, { low: 0, high: 20 }]);
    expect(cli('import', 'pct.csv', '--data', join(dir, 'pct2'), '--range', '5:1').stderr).toContain('--range: expected <low>:<high> with low < high (e.g. 0:100), or data');
  });

  it('a compressed import of noise (swinging door keeps nearly every point) takes no more bytes on disk than a lossless one', () => {
    // 52 tags of white noise in 5 significant digits: 1 % of their span is inside the noise.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const rows = ['time,' + Array.from({ length: 52 }, (_, i) => `N${i}`).join(',')];
    for (let r = 0; r < 3000; r++) rows.push(`${new Date(Date.UTC(2026, 0, 1) + r * 1000).toISOString()},` + Array.from({ length: 52 }, (_, i) => (10 * (i + 1) + random() + random() + random()).toFixed(3)).join(','));
    writeFileSync(join(dir, 'noise.csv'), rows.join('\n') + '\n');
    const bytes = (data: string): number => readdirSync(join(dir, data), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile()).reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
    for (const [data, compression] of [['noise-none', 'none'], ['noise-sd', 'swinging-door:1%'], ['noise-db', 'deadband:1%']]) {
      expect(cli('import', 'noise.csv', '--data', join(dir, data!), '--compression', compression!, '--range', 'data').code).toBe(0);
      expect(readdirSync(join(dir, data!, 'volumes')).filter((f) => /-(wal|shm)$/.test(f))).toEqual([]);
    }
    expect(bytes('noise-sd')).toBeLessThanOrEqual(bytes('noise-none'));
    expect(bytes('noise-db')).toBeLessThanOrEqual(bytes('noise-none'));
  });

  it('imports epoch seconds with a tab delimiter, and --epoch ms when told', () => {
    writeFileSync(join(dir, 'epoch.tsv'), 'ts\tFT1\n1583748873\t1.5\n1583748874.25\t2\n');
    const r = cli('import', 'epoch.tsv', '--data', join(dir, 'epoch'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/time 2020-03-09T10:14:33\.000Z \.\. 2020-03-09T10:14:34\.250Z, time column "ts" \(epoch seconds\), delimiter tab/);
    const ms = cli('import', 'epoch.tsv', '--data', join(dir, 'epoch-ms'), '--epoch', 'ms', '--delimiter', 'tab');
    expect(ms.stderr).toMatch(/time 1970-01-19T07:55:48\.873Z .*\(epoch milliseconds\)/);
  });

  it('lists 100 lines of a problem every row has, counts the rest, and says the date order the file shows; imports it when given', () => {
    // An HMI export, day first: 250 rows, the 13th of January first at line 194 (days 1..12 read either way).
    const rows = ['Zeit;TI101'];
    for (let i = 0; i < 250; i++) rows.push(`${String(1 + Math.floor(i / 16)).padStart(2, '0')}/01/2024 ${String(i % 16).padStart(2, '0')}:00:00;${20 + (i % 5)}`);
    writeFileSync(join(dir, 'hmi.csv'), rows.join('\n') + '\n');
    const r = cli('import', 'hmi.csv', '--data', join(dir, 'hmi'));
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => /^hmi\.csv:\d+: field "Zeit": expected /.test(l)).map((l) => Number(/:(\d+):/.exec(l)![1])))
      .toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
    expect(lines).toContain('hmi.csv: 150 more lines rejected for the same problem, lines 102 to 251: field "Zeit": expected ISO 8601 time ' +
      '(e.g. 2024-05-01T12:00:00.000Z), YYYY/MM/DD hh:mm:ss, DD.MM.YYYY hh:mm:ss or epoch seconds/milliseconds; DD/MM/YYYY or MM/DD/YYYY ' +
      'only with a date order (--date-order dmy|mdy); got "07/01/2024 04:00:00"');
    expect(lines).toContain('hmi.csv: the file writes dates as nn/nn/YYYY, day first (line 194: "13/01/2024 00:00:00"): ' +
      'import it again with --date-order dmy (its lines archived already are not archived twice)');
    expect(lines.at(-1)).toMatch(/^hmi\.csv: summary: .* 250 lines rejected$/);
    const again = cli('import', 'hmi.csv', '--data', join(dir, 'hmi'), '--date-order', 'dmy');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/time 2024-01-01T00:00:00\.000Z \.\. 2024-01-16T09:00:00\.000Z, .* 0 lines rejected\n$/);
  });

  it('refuses bad --tz, --delimiter, --epoch, --tag-prefix and --date-order with exit 2; --help names the new options', () => {
    for (const bad of [['--tz', 'Mars/Olympus'], ['--delimiter', 'x'], ['--epoch', 'us'], ['--tag-prefix', ' '], ['--date-order', 'ymd']]) {
      const r = cli('import', 'x.csv', '--data', join(dir, 'none'), ...bad);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr).toContain(`historian import: ${bad[0]}: expected`);
    }
    const help = cli('import', '--help');
    expect(help.stdout).toMatch(/--delimiter comma\|semicolon\|tab\|pipe.*--tz/s);
    expect(help.stdout).toMatch(/--epoch auto\|s\|ms\|excel\] \[--date-order dmy\|mdy\] \[--tag-prefix <prefix>\] \[--time-column/);
  });

  it('refuses a file that does not exist, a gzip file and a file separated by spaces, saying what they are; creates no archive for them', () => {
    const none = cli('import', 'no-such.csv', '--data', join(dir, 'none-created'));
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('no-such.csv: no such file\n');
    expect(existsSync(join(dir, 'none-created'))).toBe(false);
    writeFileSync(join(dir, 'plant.csv.gz'), gzipSync('time,A\n2024-05-01T12:00:00Z,1\n'));
    writeFileSync(join(dir, 'spaces.csv'), 'time value\n2024-05-01T12:00:00Z 1\n');
    const bad = cli('import', 'plant.csv.gz', 'spaces.csv', '--data', join(dir, 'bad-files'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('plant.csv.gz:1: file is a gzip file, not CSV text; expected UTF-8 CSV text: decompress it first');
    expect(bad.stderr).toContain('spaces.csv:1: no delimiter: the header line holds no comma, semicolon, tab or pipe');
    // The archive this run made holds nothing: not left behind (a second try must not find an empty archive).
    expect(bad.stdout).toContain(`; ${join(dir, 'bad-files')}: nothing archived: the new archive made for this import is not kept\n`);
    expect(existsSync(join(dir, 'bad-files'))).toBe(false);
    // An archive that was there before is kept, whatever the file.
    writeFileSync(join(dir, 'one.csv'), 'time,A\n2024-05-01T12:00:00Z,1\n');
    expect(cli('import', 'one.csv', '--data', join(dir, 'kept')).code).toBe(0);
    expect(cli('import', 'spaces.csv', '--data', join(dir, 'kept')).code).toBe(1);
    expect(existsSync(join(dir, 'kept', 'catalog.sqlite'))).toBe(true);
  });

  it('a folder made beforehand (mkdir, or one holding other files) keeps no empty archive either, and what else it held', () => {
    writeFileSync(join(dir, 'spaced.csv'), 'time value\n2024-05-01T12:00:00Z 1\n');
    for (const [name, before] of [['made-empty', []], ['with-notes', ['notes.txt']]] as const) {
      const data = join(dir, name);
      mkdirSync(data);
      for (const f of before) writeFileSync(join(data, f), 'the engineer\'s own\n');
      const r = cli('import', 'spaced.csv', '--data', data);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`; ${data}: nothing archived: the new archive made for this import is not kept\n`);
      expect(readdirSync(data)).toEqual(before);
    }
  });

  it('imports a last line without a line end and warns of it on stderr, naming file and line, before the summary', async () => {
    writeFileSync(join(dir, 'copying.csv'), 'time,tag,value\r\n2024-05-01T12:00:00Z,TK1.Level,12.345\r\n2024-05-01T12:00:01Z,TK1.Level,12.3');
    const data = join(dir, 'copying');
    const r = cli('import', 'copying.csv', '--data', data);
    expect(r.code).toBe(0);
    const [warning, summary, ...more] = r.stderr.split('\n');
    expect(warning).toMatch(/^copying\.csv:3: warning: last line has no line end: it may be cut short \(a file copied while still being written\)/);
    expect(summary).toMatch(/^copying\.csv: summary: long, 2 rows, 2 samples .*, 0 lines rejected$/);
    expect(more).toEqual(['']);
    expect(r.stdout).toBe('copying.csv: 2 samples accepted (2 appended, 0 late), 1 tag created, 0 lines rejected\n' +
      'copying.csv: 2 samples accepted, 2 archived\n');
    const h = Historian.open(data, { flushIntervalMs: 0 });
    try {
      expect(h.readRaw({ tags: ['TK1.Level'], start: 0, end: 4e12 }).rows.map((x) => [x.t, x.value])).toEqual([[Date.UTC(2024, 4, 1, 12), 12.345], [Date.UTC(2024, 4, 1, 12, 0, 1), 12.3]]);
    } finally {
      await h.close();
    }
    writeFileSync(join(dir, 'copied.csv'), 'time,tag,value\r\n2024-05-01T12:00:00Z,TK1.Level,12.345\r\n2024-05-01T12:00:01Z,TK1.Level,12.345\r\n');
    const whole = cli('import', 'copied.csv', '--data', data);
    expect([whole.code, whole.stderr]).toEqual([0, expect.stringMatching(/^copied\.csv: summary: [^\n]*\n$/)]);
  });

  it('stops at SIGTERM or SIGINT: archives what was read, closes the archive cleanly, says at which line, exits 143 or 130', { timeout: 180_000 }, async () => {
    // A large generated file fed through a named pipe: the import is stopped while it waits for the rest.
    const row = (i: number) => `${new Date(Date.UTC(2020, 2, 9) + i * 1000).toISOString()};${i % 997};${(i * 7) % 1009}.5;${i % 3 === 0}`;
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const fifo = join(dir, `big-${signal}.csv`);
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const data = join(dir, `stopped-${signal}`);
      const [node, bundle] = historianCommand();
      const child = spawn(node, [bundle, 'import', fifo, '--data', data], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      const pipe = await open(fifo, 'w'); // waits for the import to open the file
      await pipe.write('time;A;B;C\n');
      const rows = 100_000; // 300,000 samples: past nothing but a good part of the sort budget, all held in memory when stopped
      for (let i = 0; i < rows; i += 10_000) await pipe.write(Array.from({ length: 10_000 }, (_, k) => row(i + k)).join('\n') + '\n');
      // Every row taken by the import (a pipe's writes end once the reader took all but its buffer): the
      // node process that holds the archive has its pid in the writer lock.
      const lockFile = join(data, 'writer.lock');
      const lockPid = (): number | null => {
        try {
          return (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid?: number }).pid ?? null;
        } catch {
          return null; // not written yet, or half written
        }
      };
      for (let i = 0; i < 600 && lockPid() === null; i++) await new Promise((r) => setTimeout(r, 50));
      const owner = lockPid()!;
      expect(owner).toBeGreaterThan(0);
      process.kill(owner, signal);
      for (let i = 0; i < 600 && !/interrupted at line \d+/.test(stderr); i++) await new Promise((r) => setTimeout(r, 100));
      await pipe.close();
      expect(await exited).toBe(code);
      const line = Number(/interrupted at line (\d+)/.exec(stderr)?.[1]);
      expect(line).toBeGreaterThan(1);
      expect(stdout).toContain(`interrupted at line ${line}`);
      expect(filesIn(data).filter((f) => !f.endsWith('.sqlite'))).toEqual([]); // no writer.lock, no -wal, no -shm
      const h = Historian.open(data, { flushIntervalMs: 0 });
      try {
        const read = (tag: string) => h.readRaw({ tags: [tag], start: 0, end: 4e12, pageSize: rows + 1 }).rows.map((r) => [r.t, r.value]);
        // Lines 2..line are rows 0..line-2; nothing after them.
        const want = Array.from({ length: line - 1 }, (_, i) => row(i).split(';'));
        expect(read('A')).toEqual(want.map((w) => [Date.parse(w[0]!), Number(w[1])]));
        expect(read('B')).toEqual(want.map((w) => [Date.parse(w[0]!), Number(w[2])]));
      } finally {
        await h.close();
      }
    }
  });
});

describe('historian import --encoding', { timeout: 120_000 }, () => {
  it('reads a windows-1251 file named so, and refuses a name no decoder knows before opening the archive', () => {
    // "Время;Уровень" and a row, in windows-1251 by glibc's iconv.
    const bytes = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'WINDOWS-1251'], { input: 'Время;Уровень\n2026-12-07 08:00:00;4,52\n' }).stdout;
    writeFileSync(join(dir, 'cp1251.csv'), bytes);
    const data = join(dir, 'cp1251');
    const refused = cli('import', 'cp1251.csv', '--data', data, '--encoding', 'cyrillic-ish');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--encoding: expected an encoding name such as utf-8, windows-1251, .*; got "cyrillic-ish"/);
    expect(existsSync(data)).toBe(false);
    const r = cli('import', 'cp1251.csv', '--data', data, '--encoding', 'windows-1251');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 tags? created \(Уровень\)/);
  });
});
