import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * One multi-page build of everything a browser shows: the workstation UI (Electron renderer and the
 * browser preview) and the hall's public pages (kiosk, call display, evaluator), into dist/web.
 *
 * The pages live in renderer/; Vite names an HTML output after its path below `root`, so the root is
 * renderer/ (the repository stays reachable: shared/ is imported from there). scripts/build.mjs
 * passes the repository as `root`; the plugin below sets it back to renderer/ so both ways of
 * building give dist/web/workstation.html, dist/web/kiosk.html, ... and dist/web/assets/.
 */
const repo = path.dirname(fileURLToPath(import.meta.url));
const pages = path.join(repo, 'renderer');
const outDir = path.join(repo, 'dist/web');

function pagesRoot(): Plugin {
  return { name: 'onewindow-pages-root', config: () => ({ root: pages }) };
}

export default defineConfig({
  root: pages,
  base: './',
  publicDir: false,
  plugins: [react(), pagesRoot()],
  server: { fs: { allow: [repo] } },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    // Strict CSP (script-src 'self'): never inline scripts or the module-preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        workstation: path.join(pages, 'workstation.html'),
        kiosk: path.join(pages, 'kiosk.html'),
        display: path.join(pages, 'display.html'),
        evaluator: path.join(pages, 'evaluator.html'),
      },
    },
  },
});
