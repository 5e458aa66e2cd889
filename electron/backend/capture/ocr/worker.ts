import { parentPort, workerData } from 'node:worker_threads';
import { toErrorBody } from '../../../../shared/errors.js';
import { capturePage } from '../pipeline.js';
import type { PageOptions, PipelineSettings } from '../types.js';
import { OcrEngine } from './engine.js';

/**
 * The capture worker thread: keeps one warm OCR engine and runs the page pipeline for the main
 * thread, one request at a time. Messages: {id, bytes, options} in; {id, ok, result | error} out;
 * {stop: true} ends the thread once the page in hand is done.
 */

export interface WorkerInit {
  threads?: number;
  settings: PipelineSettings;
}

export interface PageRequest {
  id: number;
  bytes: Uint8Array;
  options: PageOptions;
}

const init = workerData as WorkerInit;
const port = parentPort!;
const engine = OcrEngine.create(init.threads ? { threads: init.threads } : {});
engine.then(
  () => port.postMessage({ ready: true }),
  (err: unknown) => port.postMessage({ ready: false, error: String(err) }),
);

let chain: Promise<void> = Promise.resolve();
port.on('message', (req: PageRequest | { stop: true }) => {
  if ('stop' in req) {
    // after the page in hand: release the models, then end the thread. Ending it from outside
    // while onnxruntime is still running a model aborts the whole process (Napi::Error).
    chain = chain.then(async () => {
      await (await engine.catch(() => null))?.release();
      process.exit(0);
    });
    return;
  }
  chain = chain.then(async () => {
    try {
      const result = await capturePage(await engine, req.bytes, req.options, init.settings);
      // a copy of its own, so that handing its memory over cannot detach anything else
      const own = new Uint8Array(result.stored.bytes);
      port.postMessage({ id: req.id, ok: true, result: { ...result, stored: { ...result.stored, bytes: own } } }, [own.buffer]);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: toErrorBody(err) });
    }
  });
});
