import { defineConfig } from 'vite';

// The console is a static bundle: the engine serves it over HTTP for browsers and
// Playwright, and Electron loads it from disk. `base: './'` keeps every asset URL
// relative so the same build works from http://127.0.0.1:PORT/ and from file://.
export default defineConfig({
  root: 'renderer',
  base: './',
  // Vite 8 compiles TSX with its built-in oxc transform; no React plugin needed
  // (no fast refresh either: the console is developed against a running engine).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 38 ships Chromium 140; one modern target keeps the output plain.
    target: 'es2022',
    sourcemap: true,
    // Inlined assets would be data: URLs; keep everything a file so the CSP stays 'self'.
    assetsInlineLimit: 0,
    // The modulepreload polyfill is for old browsers; leaving it out keeps the entry
    // free of anything a strict CSP could object to.
    modulePreload: { polyfill: false },
    // Three pages: the console, the display output page (/output.html?output=ID) and the
    // client preview link's read-only page (/viewer.html?v=TOKEN, contract/viewer.ts).
    rollupOptions: {
      input: { main: 'renderer/index.html', output: 'renderer/output.html', viewer: 'renderer/viewer.html' },
    },
  },
});
