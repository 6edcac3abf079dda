/**
 * A compressor's held point survives kill -9 after a flush: the flush persists the compressor
 * with the data, so after a restart the door continues where it was and the reconstruction stays
 * within the deviation of every sample, across the crash.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Historian } from '../index.js';
import { Good } from '../status.js';
import { T0, tempDir } from './testing.js';

/** Runs the child until it reports its flush, then kill -9. */
function flushAndKill(dir: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./crash-held-child.ts', import.meta.url)), dir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('flushed')) child.kill('SIGKILL'); });
  return new Promise((resolve, reject) => {
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended without being killed: ${stderr}`))));
  });
}

/** Linear interpolation through archived (t, v) points; t must lie within them. */
function lineAt(points: Array<{ t: number; value: number }>, t: number): number {
  const i = points.findIndex((p) => p.t >= t);
  if (i < 0) throw new Error(`t=${t} after the last archived point`);
  const b = points[i]!;
  if (b.t === t) return b.value;
  if (i === 0) throw new Error(`t=${t} before the first archived point`);
  const a = points[i - 1]!;
  return a.value + ((b.value - a.value) * (t - a.t)) / (b.t - a.t);
}

describe('crash after a flush, with a point held by the compressor', () => {
  it('a swinging-door ramp killed after its flush continues within the deviation after restart', async () => {
    const tmp = tempDir();
    try {
      await flushAndKill(tmp.dir);
      // The ramp 0, 0.1, ... 9.9 (one a second) was flushed with 9.9 held; now the value drops to 0.
      const after = Array.from({ length: 20 }, (_, i) => ({ t: T0 + (100 + i) * 1000, value: 0, status: Good }));
      const h = Historian.open(tmp.dir, { flushIntervalMs: 0 });
      h.append('R', after);
      await h.close();

      const r = Historian.open(tmp.dir, { flushIntervalMs: 0 });
      const rows = r.readRaw({ tags: 'R', start: T0, end: T0 + 200_000 }).rows.map((x) => ({ t: x.t, value: x.value as number }));
      await r.close();
      const raw = [...Array.from({ length: 100 }, (_, i) => ({ t: T0 + i * 1000, value: i / 10 })), ...after];
      const worst = Math.max(...raw.map((s) => Math.abs(lineAt(rows, s.t) - s.value)));
      expect(worst).toBeLessThanOrEqual(0.5 + 1e-9);
      // Compressed all the same: the ramp's end, held at the crash, is archived before the drop.
      expect(rows.length).toBeLessThan(10);
      expect(rows.map((x) => [(x.t - T0) / 1000, x.value])).toContainEqual([99, 9.9]);
    } finally {
      tmp.remove();
    }
  });
});
