import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { PAGE_META_CONTENT_SECURITY_POLICY } from './electron/common/csp';

/** Where renderer/index.html wants the CSP meta tag: first in <head>, right after the charset. */
const CSP_MARKER = '<!-- content-security-policy meta tag: written at build time from electron/common/csp.ts -->';

/**
 * Writes the page's CSP meta tag from the one definition (electron/common/csp.ts), so
 * index.html never holds a hand-copied policy that could drift from the hosts' headers. A
 * meta policy only covers what follows it, hence a marker before every script and style
 * rather than Vite's tag injection; a page without the marker fails the build.
 */
function cspMetaTag(): Plugin {
  return {
    name: 'qmp-monitor-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(CSP_MARKER)) throw new Error(`renderer/index.html lacks the CSP marker ${CSP_MARKER}`);
        if (/["&<>]/.test(PAGE_META_CONTENT_SECURITY_POLICY)) throw new Error('the CSP needs HTML escaping before it can go into an attribute');
        return html.replace(CSP_MARKER, `<meta http-equiv="Content-Security-Policy" content="${PAGE_META_CONTENT_SECURITY_POLICY}" />`);
      },
    },
  };
}

/**
 * One build for the three Electron targets. Main runs on Electron's Node (CommonJS, because
 * package.json says `"type": "commonjs"`, so `out/main/index.js` is what `main` points at);
 * the preload must be a single CommonJS file with nothing but `electron` external, because a
 * sandboxed preload cannot load modules; the renderer is a plain web app that `npm run web`
 * can serve unchanged.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Bundle every import: a sandboxed preload can only `require('electron')`.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react(), cspMetaTag()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
