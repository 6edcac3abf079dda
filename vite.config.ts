import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The renderer is loaded from file:// by the Electron shell and served from
// 127.0.0.1 in browser mode: relative asset paths, everything bundled.
export default defineConfig({
  root: 'app/renderer',
  base: './',
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // No inline assets: the CSP allows only 'self' scripts and data: images.
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1' },
});
