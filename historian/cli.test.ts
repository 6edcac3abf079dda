/** The CLI as a user runs it: a child process on temp dirs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historianCli } from './testing/cli.js';

let dir: string;
let data: string;

const cli = (...args: string[]) => historianCli(dir, ...args);

const T0 = Date.UTC(2024, 4, 1, 12);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  data = join(dir, 'archive');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian CLI', { timeout: 180_000 }, () => {
  it('import: reports malformed lines on stderr (file, line, field, expected), keeps the good ones, exits 1', () => {
    writeFileSync(join(dir, 'bad.csv'), Buffer.concat([
      Buffer.from(['time,tag,value,status', `${iso(0)},TK1.Level,1.25,Good`, `${iso(1)},TK1.Level,1.2.5,Good`,
        `01/05/2024 12:00:02,TK1.Level,2,Good`, `${iso(3)},TK1.Level,3`, `${iso(4)},TK1.Level,4,Good`, `${iso(5)},TK1.`].join('\n')),
      Buffer.from([0xb0]),
      Buffer.from(`,5,Good\n${iso(6)},TK1.Level,6,Good\n`),
    ]));
    const r = cli('import', 'bad.csv', '--data', data);
    expect(r.code).toBe(1);
    const [summary, ...lines] = r.stderr.trim().split('\n').reverse();
    lines.reverse();
    expect(summary).toMatch(/^bad\.csv: summary: long, 7 rows, 3 samples .* 4 lines rejected$/);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^bad\.csv:3: field "value": expected a number/);
    expect(lines[1]).toMatch(/^bad\.csv:4: field "time": expected ISO 8601 time/);
    expect(lines[2]).toMatch(/^bad\.csv:5: field "record": expected 4 fields/);
    expect(lines[3]).toMatch(/^bad\.csv:7: field "tag": expected UTF-8 text \(byte 0xB0/);
    // 01/05/2024 reads either way: the file shows no order to import it again with.
    expect(lines[4]).toMatch(/^bad\.csv: the file writes dates as nn\/nn\/YYYY and none of them has a part above 12 .* --date-order dmy or --date-order mdy/);
    expect(r.stdout).toMatch(/bad\.csv: 3 samples accepted .* 4 lines rejected/);
  });

  it('import: a UTF-16 file without a byte-order mark is refused whole with a clear message', () => {
    writeFileSync(join(dir, 'u16.csv'), Buffer.from(`time,tag,value\n${iso(0)},X,1\n`, 'utf16le'));
    const r = cli('import', 'u16.csv', '--data', data);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/u16\.csv:1: file has NUL bytes in its first line \(UTF-16 without byte-order mark\?\); expected UTF-8, or its encoding named \(utf-16le, utf-16be\)/);
  });

  it('import --wide with compression, then stats --json prints one JSON object', () => {
    const rows = ['time,FT1,FT2'];
    for (let s = 0; s < 600; s++) rows.push(`${iso(s)},${(s % 60) / 10},${s}`);
    writeFileSync(join(dir, 'wide.csv'), rows.join('\r\n') + '\r\n');
    const r = cli('import', 'wide.csv', '--data', data, '--wide', '--compression', 'swinging-door:0.5');
    expect(r.stderr).toMatch(/^wide\.csv: summary: wide, 600 rows, 1200 samples .*tags created \(FT1, FT2\), .*time column "time" \(ISO 8601 with offset\), delimiter comma, 0 lines rejected\n$/);
    expect(r.code).toBe(0);
    const s = cli('stats', '--data', data, '--json');
    expect(s.code).toBe(0);
    const lines = s.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const stats = JSON.parse(lines[0]) as Record<string, number>;
    expect(stats.samplesReceived).toBe(3 + 1200);
    expect(stats.samplesArchived).toBeLessThan(stats.samplesReceived);
    expect(stats.bytesOnDisk).toBeGreaterThan(0);
    expect(stats.bytesPerReceivedSample).toBeCloseTo(stats.bytesOnDisk / stats.samplesReceived);
  });

  it('export writes RFC 4180 CSV that imports back into another archive unchanged', () => {
    const out = join(dir, 'out.csv');
    const r = cli('export', '--data', data, '--tag', 'TK1.*', '--from', iso(0), '--to', iso(10), '--out', out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n').slice(0, 2)).toEqual([
      'time,tag,value,unit,status,status_code,flags,kind',
      `${iso(0)},TK1.Level,1.25,,Good,0x00000400,,analog`,
    ]);
    const copy = join(dir, 'copy');
    expect(cli('import', out, '--data', copy).code).toBe(0);
    const a = cli('query', 'raw', '--data', data, '--tag', 'TK1.Level', '--from', iso(0), '--to', iso(10), '--json');
    const b = cli('query', 'raw', '--data', copy, '--tag', 'TK1.Level', '--from', iso(0), '--to', iso(10), '--json');
    expect(JSON.parse(a.stdout)).toHaveLength(3);
    expect(JSON.parse(b.stdout)).toEqual(JSON.parse(a.stdout));
    expect(cli('export', '--data', data, '--tag', 'TK1.*', '--from', iso(0), '--to', iso(10), '--out', out).code).toBe(1); // never overwrites
  });

  it('export --aggregate and query plot/at print processed values', () => {
    const r = cli('export', '--data', data, '--tag', 'FT2', '--from', iso(0), '--to', iso(600), '--aggregate', 'TimeAverage', '--interval', '5m', '--offset', '+02:00');
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^2024-05-01T14:00:00\.000\+02:00,FT2,/);
    expect(rows[0]).toBe('time,tag,value,unit,status,status_code,flags,kind');
    expect(rows[1].split(',')[7]).toBe('analog');
    // FT2 is a ramp 0..599: the swinging door kept its two ends; the time average interpolates between them
    expect(Number(rows[1].split(',')[2])).toBeCloseTo(149.75, 0);
    const plot = cli('query', 'plot', '--data', data, '--tag', 'TK1.Level', '--from', iso(0), '--to', iso(10), '--buckets', '2', '--json');
    const buckets = JSON.parse(plot.stdout) as { min: number; max: number; count: number }[];
    expect(buckets.map((b) => [b.min, b.max, b.count])).toEqual([[1.25, 4, 2], [6, 6, 1]]);
    const at = cli('query', 'at', '--data', data, '--tag', 'FT2', '--at', iso(100), '--json');
    expect((JSON.parse(at.stdout) as { value: number }[])[0].value).toBeCloseTo(100, 6);
  });

  it('volumes list / export / detach; watch --once', () => {
    const list = cli('volumes', '--data', data, '--json');
    const vols = JSON.parse(list.stdout) as { id: number; file: string }[];
    expect(vols.map((v) => v.file)).toEqual(['month-2024-05-01.sqlite']);
    const copy = join(dir, 'vol.sqlite');
    expect(cli('volumes', 'export', vols[0].file, '--out', copy, '--data', data).code).toBe(0);
    expect(existsSync(copy)).toBe(true);
    expect(JSON.parse(cli('volumes', 'detach', String(vols[0].id), '--data', data, '--json').stdout)[0].state).toBe('detached');
    expect(JSON.parse(cli('volumes', 'attach', String(vols[0].id), '--data', data, '--json').stdout)[0].state).toBe('attached');

    const inbox = join(data, 'inbox');
    expect(cli('watch', '--data', data, '--once').code).toBe(0); // creates the inbox
    writeFileSync(join(inbox, 'late.csv'), `time,tag,value\n${iso(700)},LATE,1\n${iso(701)},LATE,x\n`);
    const w = cli('watch', '--data', data, '--once');
    expect(w.code).toBe(1);
    expect(w.stdout).toMatch(/late\.csv: 1 sample accepted .*1 line rejected/);
    expect(readdirSync(join(inbox, 'rejected')).sort()).toEqual(['late.csv', 'late.csv.report.txt']);
  });

  it('usage errors exit 2 with the command usage; --help exits 0', () => {
    const help = cli('export', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: npm run historian -- export/);
    for (const args of [['nope'], ['import', '--data', data], ['export', '--data', data, '--tag', 'A', '--from', 'yesterday', '--to', iso(1)],
      ['import', 'x.csv', '--data', data, '--compression', 'zip'], ['query', 'sideways', '--data', data], ['stats', '--bogus']]) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/historian|usage/);
    }
    const missing = cli('stats', '--data', join(dir, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nowhere: no historian archive here/);
  });
});
