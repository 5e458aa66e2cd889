// Runs the capture worker from its TypeScript source (tests, the CLI, the browser preview):
// tsx is registered inside the worker thread, then worker.ts is loaded. The Electron build bundles
// worker.ts to capture-worker.cjs instead and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
