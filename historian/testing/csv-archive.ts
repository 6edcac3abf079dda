/** For CSV import tests: a temp folder with an open archive per test, and CSV files written into it (vitest hooks). */
import { afterEach, beforeEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Historian } from '../index.js';
import { historianTarget, importCsvFile, type ImportOptions, type ImportReport } from '../csv/import.js';
import type { HistValue } from '../types.js';

export interface CsvArchive {
  readonly dir: string;
  readonly h: Historian;
  /** Writes lines as a CRLF file in the test's folder; returns its path. */
  csv(name: string, lines: string[]): string;
  /** Writes text exactly as given (line ends, BOM, a last line without an end); returns its path. */
  write(name: string, text: string): string;
  /** Writes the text as a file, imports it into the archive and flushes it. */
  importText(name: string, text: string, opts?: ImportOptions): Promise<ImportReport>;
  /** Every archived value of the tag, over all time, oldest first. */
  rows(tag: string): HistValue[];
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
    async importText(name, text, opts = {}) {
      const report = await importCsvFile(historianTarget(h!), this.write(name, text), opts);
      h!.flush();
      return report;
    },
    rows(tag) {
      return h!.readRaw({ tags: [tag], start: -(2 ** 47), end: 2 ** 47, pageSize: 100_000 }).rows;
    },
  };
}
