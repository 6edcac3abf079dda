/** For CSV import tests: a temp folder with an open archive per test, and CSV files written into it (vitest hooks). */
import { afterEach, beforeEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';

export interface CsvArchive {
  readonly dir: string;
  readonly h: Historian;
  /** Writes lines as a CRLF file in the test's folder; returns its path. */
  csv(name: string, lines: string[]): string;
  /** Writes text exactly as given (line ends, BOM, a last line without an end); returns its path. */
  write(name: string, text: string): string;
}

export function useCsvArchive(prefix: string): CsvArchive {
  let dir = '';
  let h: Historian | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(dir, 'archive'));
    h = Historian.open(join(dir, 'archive'), { flushIntervalMs: 0, sortWindowMs: 0 });
  });
  afterEach(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() { return dir; },
    get h() { return h!; },
    csv(name, lines) {
      const path = join(dir, name);
      writeFileSync(path, lines.join('\r\n') + '\r\n');
      return path;
    },
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}
