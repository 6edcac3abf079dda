/**
 * `export --out` cut short, as a user meets it (child processes): a full disk (here a file size
 * limit, which fails the write as ENOSPC does) or Ctrl-C / SIGTERM halfway. A CSV has no closing
 * line, so a file cut at a line end reads back as a complete export that lacks its last rows: such
 * a run must leave no file, say so naming it, and a second run must write the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { historianCli, historianCommand, historianShell, repoRoot } from '../testing/cli.js';

let dir: string;
let data: string;
const T0 = Date.UTC(2024, 4, 1);
const ROWS = 400_000;
const range = ['--tag', 'TK1.Level', '--from', new Date(T0).toISOString(), '--to', new Date(T0 + ROWS * 1000).toISOString()];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-out-'));
  data = join(dir, 'archive');
  const h = Historian.open(data, { flushIntervalMs: 0, sortWindowMs: 0, volumePeriod: 'month' }); // one volume file
  h.defineTags([{ name: 'TK1.Level', kind: 'analog', description: '', unit: 'm', compression: { kind: 'none' }, stepped: false, cycleMs: 0 }], 0);
  for (let i = 0; i < ROWS; i += 50_000) {
    h.append('TK1.Level', Array.from({ length: 50_000 }, (_, k) => ({ t: T0 + (i + k) * 1000, value: (i + k) / 8, status: Good })), { cyclicRecords: false });
  }
  await h.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every row line of a whole export, written out from what was archived (CRLF ends, as RFC 4180). */
const wholeFile = (): string =>
  ['time,tag,value,unit,status,status_code,flags,kind',
    ...Array.from({ length: ROWS }, (_, i) => `${new Date(T0 + i * 1000).toISOString()},TK1.Level,${i / 8},m,Good,0x00000400,,analog`)].join('\r\n') + '\r\n';

describe('export --out cut short leaves no file that looks complete', { timeout: 180_000 }, () => {
  it('a write that fails (file size limit, as a full disk): exit 1, the file named, nothing left; once it can, the whole file', () => {
    const outDir = join(dir, 'limited');
    mkdirSync(outDir);
    const out = join(outDir, 'level.csv');
    // bash's ulimit -f counts KiB; node ignores SIGXFSZ, so the write fails with EFBIG after 1 MiB.
    const cmd = `ulimit -f 1024 && exec ${historianShell()} export --data "${data}" ${range.map((a) => `'${a}'`).join(' ')} --out "${out}"`;
    const r = spawnSync('bash', ['-c', cmd], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${out}: not written: `);
    expect(r.stderr).toMatch(/EFBIG/);
    expect(readdirSync(outDir)).toEqual([]);

    const again = historianCli(dir, 'export', '--data', data, ...range, '--out', out);
    expect([again.code, again.stderr]).toEqual([0, `${ROWS} values written to ${out}\n`]);
    expect(readdirSync(outDir)).toEqual(['level.csv']);
    expect(readFileSync(out, 'utf8')).toBe(wholeFile());

    const nowhere = join(dir, 'no-such-folder', 'level.csv'); // the name given, not the .part's
    expect(historianCli(dir, 'export', '--data', data, ...range, '--out', nowhere).stderr).toBe(`historian export: ${nowhere}: cannot be written: no folder ${join(dir, 'no-such-folder')}\n`);
  });

  it('volumes export that fails (file size limit, as a full disk): exit 1, the file named, no copy nor journal left; once it can, a volume file', () => {
    const outDir = join(dir, 'volume');
    mkdirSync(outDir);
    const out = join(outDir, 'may.sqlite');
    const volume = readdirSync(join(data, 'volumes')).filter((f) => f.endsWith('.sqlite'));
    expect(volume.map((f) => statSync(join(data, 'volumes', f)).size > 48 * 1024)).toEqual([true]); // above the limit below
    const cmd = `ulimit -f 48 && exec ${historianShell()} volumes export 1 --data "${data}" --out "${out}"`;
    const r = spawnSync('bash', ['-c', cmd], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^historian volumes: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not written: .+; nothing of it is left`));
    expect(readdirSync(outDir)).toEqual([]);
    const again = historianCli(dir, 'volumes', 'export', '1', '--data', data, '--out', out);
    expect(again.code).toBe(0);
    const fresh = join(dir, 'from-volume');
    expect(historianCli(dir, 'volumes', 'import', out, '--data', fresh).code).toBe(0);
  });

  it('SIGTERM and SIGINT halfway: exit 143 or 130, said, and no file at all', async () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const outDir = join(dir, `stopped-${signal}`);
      mkdirSync(outDir);
      const out = join(outDir, 'level.csv');
      // node itself, so the signal reaches the process that writes
      const [node, bundle] = historianCommand();
      const child = spawn(node, [bundle, 'export', '--data', data, ...range, '--out', out], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      // Halfway: some rows are on disk, whatever the file is called while written.
      const written = () => readdirSync(outDir).some((f) => statSync(join(outDir, f)).size > 100_000);
      for (let i = 0; i < 1200 && !written(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(written()).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toContain(`${out}: interrupted (${signal}): nothing written`);
      expect(readdirSync(outDir)).toEqual([]);
    }
  });
});
