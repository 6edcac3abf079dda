/** Test helpers: temporary archive folders and tag configs. */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Compression, TagConfig, TagKind } from '../types.js';
import { Writer, type WriterOptions } from './writer.js';

export function tempDir(prefix = 'vigil-hist-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function tagConfig(name: string, over: Partial<TagConfig> = {}, kind: TagKind = 'analog'): TagConfig {
  const compression: Compression = { kind: 'none' };
  return { name, kind, description: '', unit: '', compression, stepped: false, cycleMs: 0, ...over };
}

/** 2024-03-01T00:00:00Z: a Friday, so week and month boundaries are near. */
/** The message fn throws with (a test fails if it does not throw). */
export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a throw');
}

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

/** Runs a read-only query on every volume file of the archive in dir; the rows of all of them. */
export function volumeQuery<T = unknown>(dir: string, sql: string, ...params: unknown[]): T[] {
  return readdirSync(join(dir, 'volumes')).filter((f) => f.endsWith('.sqlite')).flatMap((file) => {
    const db = new Database(join(dir, 'volumes', file), { readonly: true });
    try { return db.prepare(sql).all(...params) as T[]; } finally { db.close(); }
  });
}

/** Runs a read-only query on the archive's catalog. */
export function catalogQuery<T = unknown>(dir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dir, 'catalog.sqlite'), { readonly: true });
  try { return db.prepare(sql).all(...params) as T[]; } finally { db.close(); }
}

/** The catalog's meta value for key (change_head, clean, ...), or undefined. */
export function catalogMeta(dir: string, key: string): string | undefined {
  return catalogQuery<{ value: string }>(dir, 'SELECT value FROM meta WHERE key = ?', key)[0]?.value;
}

/** A writer on the archive in dir (no lock, no reader): what Historian.open makes, for tests that crash it. */
export function openWriter(dir: string, over: Partial<WriterOptions> = {}): Writer {
  return new Writer(dir, {
    volumePeriod: 'day', flushIntervalMs: 0, sortWindowMs: 0, blockSize: 512, now: () => T0 + DAY,
    onError: (err) => { throw err; }, ...over,
  });
}

/** What kill -9 leaves: the writer's connections closed with no close() (the last flush committed, nothing after it). */
export function crash(w: Writer): void {
  w.volumes.closeAll(false);
  w.catalog.db.close();
}
