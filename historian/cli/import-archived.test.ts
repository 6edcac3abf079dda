/**
 * What `import` says the archive kept: discrete and text tags keep changes (and the last value,
 * archived when the archive closes), compressed analog tags what their compression keeps. The
 * CLI's last line gives what the files gave and what the archive kept, from the archive's own
 * counts. A child process on temp archives; the expected figures are counted by hand from the
 * input below and checked against what a raw read of the archive returns afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { Flag } from '../types.js';
import { historianCli } from '../testing/cli.js';

let dir: string;
const cli = (...args: string[]) => historianCli(dir, ...args);
const at = (s: number) => new Date(Date.UTC(2024, 4, 1, 12, 0, s)).toISOString();

/** Values a raw read over all time returns, the historian's own added records (Cyclic) left out: per tag. */
async function readBack(data: string, tags: string[]): Promise<Record<string, unknown[][]>> {
  const h = Historian.open(data, { flushIntervalMs: 0 });
  try {
    const out: Record<string, unknown[][]> = {};
    for (const tag of tags) {
      out[tag] = h.readRaw({ tags: [tag], start: 0, end: 4e12, pageSize: 10_000 }).rows
        .filter((r) => (r.flags & Flag.Cyclic) === 0).map((r) => [new Date(r.t).toISOString(), r.value]);
    }
    return out;
  } finally {
    await h.close();
  }
}

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-cli-archived-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('historian import: samples accepted and archived', { timeout: 120_000 }, () => {
  it('says how many of the accepted samples the archive kept: changes of discrete and text tags, what compression keeps', async () => {
    // 6 samples of each tag. V.Open (discrete): true true true false false false: changes at 0 and 3, and its
    // last value (5) when the archive closes: 3 kept. P.State (text): RUN RUN STOP STOP STOP RUN: changes at 0, 2
    // and 5, the last value among them: 3 kept. LT1 (analog, lossless): all 6 kept.
    const lines = ['time,tag,value'];
    const open = [true, true, true, false, false, false];
    const state = ['RUN', 'RUN', 'STOP', 'STOP', 'STOP', 'RUN'];
    for (let s = 0; s < 6; s++) lines.push(`${at(s)},V.Open,${open[s]}`, `${at(s)},P.State,${state[s]}`, `${at(s)},LT1,${10 + s}`);
    writeFileSync(join(dir, 'mixed.csv'), lines.join('\n') + '\n');
    const data = join(dir, 'mixed');
    const r = cli('import', 'mixed.csv', '--data', data);
    expect([r.code, r.stdout.split('\n')]).toEqual([0, [
      'mixed.csv: 18 samples accepted (18 appended, 0 late), 3 tags created, 0 lines rejected',
      'mixed.csv: 18 samples accepted, 12 archived (6 unchanged discrete/text values or compressed away)',
      '',
    ]]);
    expect(r.stderr).toMatch(/^mixed\.csv: summary: long, 18 rows, 18 samples \(18 accepted\), /);
    expect(await readBack(data, ['V.Open', 'P.State', 'LT1'])).toEqual({
      'V.Open': [[at(0), true], [at(3), false], [at(5), false]],
      'P.State': [[at(0), 'RUN'], [at(2), 'STOP'], [at(5), 'RUN']],
      LT1: [0, 1, 2, 3, 4, 5].map((s) => [at(s), 10 + s]),
    });
  });

  it('counts what a compressed analog tag keeps, as a raw read returns it', async () => {
    // A flat level with one step, deadband 0.5: far fewer points kept than read.
    const values = [5, 5, 5, 5, 5, 5, 5, 5, 9, 9, 9, 9];
    writeFileSync(join(dir, 'flat.csv'), ['time,LT2', ...values.map((v, s) => `${at(s)},${v}`)].join('\n') + '\n');
    const data = join(dir, 'flat');
    const r = cli('import', 'flat.csv', '--data', data, '--compression', 'deadband:0.5');
    expect(r.code).toBe(0);
    const kept = (await readBack(data, ['LT2'])).LT2!;
    expect(kept.length).toBeLessThan(values.length);
    expect(r.stdout.split('\n')[1]).toBe(`flat.csv: 12 samples accepted, ${kept.length} archived (${12 - kept.length} unchanged discrete/text values or compressed away)`);
  });

  it('over several files gives the run\'s figures; a late correction replaces a value and adds none', async () => {
    const data = join(dir, 'two');
    writeFileSync(join(dir, 'day1.csv'), `time,tag,value\n${at(0)},V.Mode,AUTO\n${at(1)},V.Mode,AUTO\n${at(2)},V.Mode,MANUAL\n`);
    writeFileSync(join(dir, 'day2.csv'), `time,tag,value\n${at(10)},V.Mode,MANUAL\n${at(11)},V.Mode,AUTO\n`);
    const r = cli('import', 'day1.csv', 'day2.csv', '--data', data);
    expect(r.code).toBe(0);
    // AUTO AUTO MANUAL | MANUAL AUTO: changes at 0, 2, 11 (the last value among them): 3 of 5 kept.
    expect(r.stdout.split('\n').slice(2)).toEqual(['2 files: 5 samples accepted, 3 archived (2 unchanged discrete/text values or compressed away)', '']);
    expect(await readBack(data, ['V.Mode'])).toEqual({ 'V.Mode': [[at(0), 'AUTO'], [at(2), 'MANUAL'], [at(11), 'AUTO']] });
    // A corrected file for 00:00:02: the late path writes the new value over the archived one.
    writeFileSync(join(dir, 'fix.csv'), `time,tag,value\n${at(2)},V.Mode,OFF\n`);
    const fix = cli('import', 'fix.csv', '--data', data);
    expect([fix.code, fix.stdout.split('\n')]).toEqual([0, [
      'fix.csv: 1 sample accepted (0 appended, 1 late of which 1 replaced an archived value), 0 lines rejected',
      'fix.csv: 1 sample accepted, 0 added (1 replacing values archived at their times)',
      '',
    ]]);
    expect(await readBack(data, ['V.Mode'])).toEqual({ 'V.Mode': [[at(0), 'AUTO'], [at(2), 'OFF'], [at(11), 'AUTO']] });
  });

  it('says --compression leaves a tag the archive knew as it was, naming it; says nothing for the tags it creates', () => {
    const data = join(dir, 'known');
    writeFileSync(join(dir, 'k1.csv'), `time,tag,value\n${at(0)},K.1,1.5\n`);
    expect(cli('import', 'k1.csv', '--data', data).code).toBe(0);
    writeFileSync(join(dir, 'k2.csv'), `time,tag,value\n${at(1)},K.1,2.5\n${at(1)},K.2,7\n`);
    const r = cli('import', 'k2.csv', '--data', data, '--compression', 'deadband:0.5');
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('--compression'))).toEqual([
      'k2.csv: --compression applies to the tags an import creates; 1 tag already in the archive (K.1) keeps its own compression',
    ]);
  });

  it('tells corrections of an analog tag apart from values added and values already archived', async () => {
    const data = join(dir, 'analog');
    writeFileSync(join(dir, 'a1.csv'), `time,tag,value\n${at(0)},L.1,1.5\n${at(2)},L.1,2.5\n${at(4)},L.1,3.5\n`);
    expect(cli('import', 'a1.csv', '--data', data).code).toBe(0);
    // 0 as archived, 1 new (between archived points), 2 corrected, 4 as archived.
    writeFileSync(join(dir, 'a2.csv'), `time,tag,value\n${at(0)},L.1,1.5\n${at(1)},L.1,2\n${at(2)},L.1,9.25\n${at(4)},L.1,3.5\n`);
    const r = cli('import', 'a2.csv', '--data', data);
    expect([r.code, r.stdout.split('\n')]).toEqual([0, [
      'a2.csv: 2 samples accepted (0 appended, 2 late of which 1 replaced an archived value, 2 already archived as given), 0 lines rejected',
      'a2.csv: 2 samples accepted, 1 added (1 replacing values archived at their times)',
      '',
    ]]);
    expect(await readBack(data, ['L.1'])).toEqual({ 'L.1': [[at(0), 1.5], [at(1), 2], [at(2), 9.25], [at(4), 3.5]] });
  });
});
