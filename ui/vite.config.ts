// Vite (and Vitest) configuration for the Pinpoint front end.
// The Tauri CLI runs from the repository root; this file makes `ui/` the Vite
// root so the dev server serves ui/index.html and the build lands in ui/dist.
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
// Set by `tauri dev` when the webview runs on another device (mobile).
const devHost = process.env.TAURI_DEV_HOST;
const debugBuild = Boolean(process.env.TAURI_ENV_DEBUG);

export default defineConfig({
  root,
  // One cache beside the root node_modules, not a second node_modules under ui/.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite', import.meta.url)),
  plugins: [svelte()],
  // Keep Rust compiler output visible in the terminal `tauri dev` shares.
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  server: {
    port: 1420,
    strictPort: true,
    host: devHost || false,
    hmr: devHost ? { protocol: 'ws', host: devHost, port: 1421 } : undefined,
    watch: { ignored: ['**/src-tauri/**'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK (Linux) and WKWebView (macOS) are Safari-class engines;
    // WebView2 on Windows is Chromium.
    target: process.env.TAURI_ENV_PLATFORM === 'windows' ? 'chrome105' : 'safari15',
    minify: !debugBuild,
    sourcemap: debugBuild,
  },
  test: {
    include: ['src/**/*.test.ts', 'capture/**/*.test.ts'],
    environment: 'node',
  },
});
