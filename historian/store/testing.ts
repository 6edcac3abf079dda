/** Test helpers: temporary archive folders and tag configs. */
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
