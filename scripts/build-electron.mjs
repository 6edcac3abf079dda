// Bundles the Electron main process, the preload, the simulator and the
// browser-mode entry (`npm start`) to CommonJS under dist/: the shell cannot run
// TypeScript, and the station started from JavaScript spends no CPU compiling
// or loading tsx in each of its threads. Native and large packages stay
// external: electron-builder ships them from node_modules.
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
  external: ['electron', 'better-sqlite3', 'node-opcua', 'node-opcua-*', 'pino', 'ws', 'bufferutil', 'utf-8-validate', '@napi-rs/keyring'],
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: [shim],
};

await Promise.all([
  build({ ...common, entryPoints: ['app/main/electron.ts'], outfile: 'dist/main/electron.cjs' }),
  build({ ...common, entryPoints: ['simulator/cli.ts'], outfile: 'dist/simulator/cli.cjs' }),
  // `npm start`: Electron where its runtime exists, otherwise the console in browser mode.
  build({ ...common, entryPoints: ['app/main/start.ts'], outfile: 'dist/main/start.cjs' }),
  // Browser mode's station process, which start.cjs supervises (app/main/supervisor.ts).
  build({ ...common, entryPoints: ['app/main/station-entry.ts'], outfile: 'dist/main/station.cjs' }),
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
