/**
 * Loads a `.svelte.ts` module compiled as the browser runs it, for unit tests: vitest has no Svelte
 * plugin, and a rune (`$state`) behaves differently compiled for the client (deep proxies) than
 * stripped; a test of what the console does must run the client code.
 */
import { mkdtempSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileModule } from 'svelte/compiler';
import { transformWithOxc } from 'vite';

const svelteDir = dirname(createRequire(import.meta.url).resolve('svelte/package.json'));

/** Imports `file` (absolute) compiled for the client; its relative imports are the sources beside it. */
export async function importRunes<T>(file: string): Promise<T> {
  const ts = (await transformWithOxc(readFileSync(file, 'utf8'), file, { lang: 'ts' })).code;
  const js = compileModule(ts, { generate: 'client', filename: file, dev: false }).js.code.replace(
    /from\s+(['"])([^'"]+)\1/g,
    (_all, _q: string, spec: string) => `from ${JSON.stringify(pathToFileURL(target(spec, dirname(file))).href)}`,
  );
  const out = join(mkdtempSync(join(tmpdir(), 'vigil-runes-')), 'module.mjs');
  writeFileSync(out, js);
  return (await import(/* @vite-ignore */ pathToFileURL(out).href)) as T;
}

/** Where an import of the compiled module points: Svelte's client entry points, or the source beside it. */
function target(spec: string, dir: string): string {
  if (spec === 'svelte') return join(svelteDir, 'src/index-client.js');
  if (spec === 'svelte/internal/client') return join(svelteDir, 'src/internal/client/index.js');
  if (!spec.startsWith('.')) throw new Error(`importRunes: bare import ${spec} not mapped`);
  const path = resolve(dir, spec);
  const ts = path.replace(/\.js$/, '.ts');
  return existsSync(ts) ? ts : path;
}
