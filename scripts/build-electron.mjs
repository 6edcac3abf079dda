// Bundles the Electron main process, the preload and the simulator to
// CommonJS under dist/ (the shell cannot run TypeScript). Native and large
// packages stay external: electron-builder ships them from node_modules.
import { build } from 'esbuild';
import { copyFileSync, writeFileSync, mkdirSync } from 'node:fs';

const shim = 'dist/.import-meta-url.cjs';
mkdirSync('dist', { recursive: true });
// import.meta.url does not exist in CommonJS: give each bundle its own file URL.
writeFileSync(shim, "export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n");

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3', 'node-opcua', 'pino', 'ws', 'bufferutil', 'utf-8-validate', '@napi-rs/keyring'],
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: [shim],
};

await Promise.all([
  build({ ...common, entryPoints: ['app/main/electron.ts'], outfile: 'dist/main/electron.cjs' }),
  build({ ...common, entryPoints: ['simulator/cli.ts'], outfile: 'dist/simulator/cli.cjs' }),
  // The sandboxed preload may require only 'electron': everything else is bundled in.
  build({ ...common, external: ['electron'], define: {}, inject: [], entryPoints: ['app/preload/preload.ts'], outfile: 'dist/preload/preload.cjs' }),
  // The historian's reader worker, beside the bundle that starts it (historian/read/client.ts looks there).
  build({ ...common, format: 'esm', define: {}, inject: [], entryPoints: ['historian/read/worker.ts'], outfile: 'dist/main/worker.js' }),
  // The trends export worker, started the same way (app/main/trends/export/service.ts looks there).
  build({ ...common, format: 'esm', define: {}, inject: [], entryPoints: ['app/main/trends/export/worker.ts'], outfile: 'dist/main/export-worker.js' }),
  // The archive's writer thread, the same way (app/main/station/archive-thread/host.ts looks there).
  build({ ...common, format: 'esm', define: {}, inject: [], entryPoints: ['app/main/station/archive-thread/worker.ts'], outfile: 'dist/main/archive-worker.js' }),
]);
copyFileSync('historian/read/worker-entry.mjs', 'dist/main/worker-entry.mjs');
