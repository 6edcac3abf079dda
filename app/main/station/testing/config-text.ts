/** Station config texts loaded from real files, as the station loads them (tests only). */
import { expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadStationConfig } from '../config-file.js';

/**
 * A loader of config texts, each written to a file of its own in a temp folder: the ConfigError's
 * message lines (its headline first), or ['ok'] when the text loads.
 */
export function configTextLoader(prefix: string): (text: string) => { file: string; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let n = 0;
  return (text) => {
    const file = join(dir, `farm-${++n}.yaml`);
    writeFileSync(file, text);
    try {
      loadStationConfig(file);
      return { file, lines: ['ok'] };
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return { file, lines: (err as Error).message.split('\n') };
    }
  };
}
