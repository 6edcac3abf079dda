/**
 * Loads a `.svelte.ts` module compiled as the browser runs it, with every `.svelte.ts` module it
 * imports compiled the same way (the console's stores import i18n.svelte.ts), for unit tests run
 * against a real station: vitest has no Svelte plugin, and a rune left uncompiled is not defined.
 * Svelte's own entry points are its client ones (svelte/reactivity's SvelteMap included).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileModule } from 'svelte/compiler';
import { transformWithOxc } from 'vite';

const svelteDir = dirname(createRequire(import.meta.url).resolve('svelte/package.json'));
const clientEntries: Record<string, string> = {
  svelte: 'src/index-client.js',
  'svelte/internal/client': 'src/internal/client/index.js',
  'svelte/reactivity': 'src/reactivity/index-client.js',
};

/** Imports `file` (absolute) compiled for the client; its `.svelte.ts` imports compiled too, the other sources as they are. */
export async function importRunesTree<T>(file: string): Promise<T> {
  const out = mkdtempSync(join(tmpdir(), 'vigil-runes-tree-'));
  const compiled = new Map<string, string>();
  const url = await compile(file, out, compiled);
  return (await import(/* @vite-ignore */ url)) as T;
}

async function compile(file: string, out: string, compiled: Map<string, string>): Promise<string> {
  const done = compiled.get(file);
  if (done) return done;
  const target = join(out, `m${compiled.size}.mjs`);
  const url = pathToFileURL(target).href;
  compiled.set(file, url);
  const ts = (await transformWithOxc(readFileSync(file, 'utf8'), file, { lang: 'ts' })).code;
  let js = compileModule(ts, { generate: 'client', filename: file, dev: false }).js.code;
  const specs = [...js.matchAll(/from\s+(['"])([^'"]+)\1/g)].map((m) => m[2]!);
  const mapped = new Map<string, string>();
  for (const spec of new Set(specs)) mapped.set(spec, await targetOf(spec, dirname(file), out, compiled));
  js = js.replace(/from\s+(['"])([^'"]+)\1/g, (_all, _q: string, spec: string) => `from ${JSON.stringify(mapped.get(spec))}`);
  writeFileSync(target, js);
  return url;
}

/** Where an import of a compiled module points: Svelte's client entry, a compiled `.svelte.ts`, or the source beside it. */
async function targetOf(spec: string, dir: string, out: string, compiled: Map<string, string>): Promise<string> {
  const entry = clientEntries[spec];
  if (entry) return pathToFileURL(join(svelteDir, entry)).href;
  if (!spec.startsWith('.')) throw new Error(`importRunesTree: bare import ${spec} not mapped`);
  const path = resolve(dir, spec);
  const ts = path.replace(/\.js$/, '.ts');
  if (ts.endsWith('.svelte.ts') && existsSync(ts)) return compile(ts, out, compiled);
  return pathToFileURL(existsSync(ts) ? ts : path).href;
}
