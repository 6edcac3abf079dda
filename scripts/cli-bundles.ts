/**
 * The command lines the unit tests run as child processes (`npm run historian`, `accounts`, `audit`,
 * `sync`), bundled once per test run. Under tsx each child spent about 1 s of CPU loading the loader
 * and compiling its module graph again; a bundle starts in a fifth of that.
 *
 * Vitest's globalSetup (vitest.config.ts) builds them from the working tree before any test file
 * runs, and again before each rerun in watch mode: a bundle older than the run cannot be spawned.
 * Each module keeps its own source file's import.meta.url and the process its source file in
 * argv[1], as under tsx: paths resolved beside a module (the repository root, the reader worker's
 * TypeScript entry) and each CLI's "run as a program" check work as they do there.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';

const root = resolve(import.meta.dirname, '..');

export const CLI_ENTRIES = {
  historian: 'historian/cli.ts',
  accounts: 'app/main/accounts/cli/accounts.ts',
  audit: 'app/main/accounts/cli/audit.ts',
  sync: 'app/main/sync/cli.ts',
} as const;
export type CliName = keyof typeof CLI_ENTRIES;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Each CLI's bundle (an .mjs file), by name. */
    cliBundles: Record<CliName, string>;
  }
}

/** import.meta.* of each source file as tsx gives it, not the bundle's. */
const sourceMeta: Plugin = {
  name: 'source-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return { contents: text, loader: 'ts' };
      const contents = text
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

async function bundleAll(dir: string): Promise<Record<CliName, string>> {
  const out = {} as Record<CliName, string>;
  await Promise.all(Object.entries(CLI_ENTRIES).map(async ([name, entry]) => {
    const outfile = join(dir, `${name}.mjs`);
    await build({
      entryPoints: [join(root, entry)], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
      // Packages load from node_modules as under tsx (a link beside the bundles): native ones must.
      packages: 'external',
      plugins: [sourceMeta],
      // The program's file as tsx gives it: `import.meta.url === pathToFileURL(process.argv[1])` runs main().
      banner: { js: `process.argv[1] = ${JSON.stringify(join(root, entry))};` },
    });
    out[name as CliName] = outfile;
  }));
  return out;
}

/** One build a process: the root config and each project run this setup, each with a teardown. */
const shared = globalThis as { vigilCliBundles?: { dir: string; users: number; build: Promise<Record<CliName, string>>; rebuild?: Promise<Record<CliName, string>> } };

/** Vitest globalSetup: bundles into a temp folder, given to the tests (inject), removed after the last teardown. */
export default async function setup(project: TestProject): Promise<() => void> {
  if (shared.vigilCliBundles === undefined) {
    // realpath: a CLI's main check compares URLs of real paths (a /tmp behind a link would differ).
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'vigil-test-clis-')));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    shared.vigilCliBundles = { dir, users: 0, build: bundleAll(dir) };
  }
  const state = shared.vigilCliBundles;
  state.users++;
  project.provide('cliBundles', await state.build);
  // Watch mode: the sources may have changed since; projects rerun together share one rebuild.
  project.onTestsRerun(async () => {
    state.rebuild ??= bundleAll(state.dir).finally(() => (state.rebuild = undefined));
    project.provide('cliBundles', await state.rebuild);
  });
  return () => {
    if (--state.users > 0) return;
    shared.vigilCliBundles = undefined;
    rmSync(state.dir, { recursive: true, force: true });
  };
}

/** The command (node and the bundle of this run) that runs a CLI in a test; argv[0] is the program. */
export function cliCommand(name: CliName): [string, string] {
  const bundles = inject('cliBundles') as Record<CliName, string> | undefined;
  if (bundles === undefined) throw new Error('the CLI bundles are built by the globalSetup in vitest.config.ts: run the tests through vitest');
  return [process.execPath, bundles[name]];
}
