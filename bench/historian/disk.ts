import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Total size of the regular files under dir (recursively, names matching `only`); 0 when it does not exist. */
export function dirBytes(dir: string, only?: RegExp): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p, only);
    else if (e.isFile() && (only === undefined || only.test(e.name))) total += statSync(p).size;
  }
  return total;
}
