/** Test helpers: temporary archive folders and tag configs. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compression, TagConfig, TagKind } from '../types.js';

export function tempDir(prefix = 'vigil-hist-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tagConfig(name: string, over: Partial<TagConfig> = {}, kind: TagKind = 'analog'): TagConfig {
  const compression: Compression = { kind: 'none' };
  return { name, kind, description: '', unit: '', compression, stepped: false, cycleMs: 0, ...over };
}

/** 2024-03-01T00:00:00Z: a Friday, so week and month boundaries are near. */
export const T0 = Date.UTC(2024, 2, 1);
export const DAY = 86_400_000;

/**
 * Runs a child script (`tsx`) on the archive in dir until it has printed `flushed <i>` `flushes`
 * times, then kill -9; resolves with the last i it printed.
 */
export function ingestAndKill(script: string, dir: string, flushes: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let reported = -1, count = 0, stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/flushed (\d+)/g)) {
        reported = Number(m[1]);
        if (++count === flushes) child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`child ended without being killed: ${stderr}`));
    });
  });
}
