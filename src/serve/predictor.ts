/**
 * The model behind the server: an export loaded once (learner/load.ts), each uploaded image decoded
 * and prepared on a decoding worker thread (data/worker-pool.ts) with the export's validation
 * pipeline — the same resize and normalisation as `learn.predict` — and the prepared images run
 * through the model in dynamic batches (batcher.ts), in evaluation mode without gradients
 * (`predictBatch`). Images whose prepared sizes differ (a pipeline without a resize) run as
 * separate batches.
 */
import { cat, RandomState, type Tensor } from '../engine/index.js';
import { chooseExecutor } from '../data/executor.js';
import { collateImages, dispatchBatch, type ImagePipelineParts } from '../data/image-pipeline.js';
import { pipelineFromDescription } from '../data/pipeline-description.js';
import { DecodePool } from '../data/worker-pool.js';
import { loadLearner, type Learner, type Prediction } from '../learner/index.js';
import '../vision/export.js'; // registers the image model kinds and pipeline that loadLearner rebuilds
import { DynamicBatcher, type BatcherOptions } from './batcher.js';
import { HttpError } from './errors.js';

export interface PredictorOptions extends BatcherOptions {
  /** Decoding worker threads (0: decode on the main thread's event loop). */
  workers: number;
}

export class Predictor {
  readonly batcher: DynamicBatcher<Tensor, Prediction>;
  readonly pool: DecodePool;
  readonly #parts: ImagePipelineParts;
  readonly #executor: ReturnType<typeof chooseExecutor>;
  // validation draws nothing; the generator is there for the interface
  readonly #rng = new RandomState(0);

  private constructor(readonly learn: Learner, options: PredictorOptions) {
    if (learn.dls.pipeline.kind !== 'image') throw new Error(`this model takes '${learn.dls.pipeline.kind}' inputs; owlet serve serves image classifiers`);
    this.#parts = pipelineFromDescription(learn.dls.pipeline);
    this.#executor = chooseExecutor(this.#parts.batchTfms, 'cpu');
    this.pool = new DecodePool(options.workers);
    this.batcher = new DynamicBatcher((xs) => this.#runModel(xs), options);
    learn.model.eval();
  }

  /** Loads an export (errors about the file are loadLearner's). */
  static async load(file: string, options: PredictorOptions): Promise<Predictor> {
    return new Predictor(await loadLearner(file), options);
  }

  get vocab(): readonly string[] {
    return this.learn.dls.vocab;
  }

  /** The image as the model's input [1, 3, h, w]: decoded, resized and normalised on a worker thread. */
  async prepare(bytes: Uint8Array): Promise<Tensor> {
    const { request, plan } = dispatchBatch(this.#parts, [bytes], { train: false, executor: this.#executor, itemRng: this.#rng, planRng: this.#rng, concurrency: 1 });
    const reply = await this.pool.run(request);
    if (reply.bad.length > 0) throw new HttpError(400, `the image cannot be decoded: ${reply.bad[0]!.reason}`);
    const made = collateImages(reply, plan, this.#parts, { device: 'cpu', ctx: { train: false, rng: this.#rng } });
    if (made === null) throw new HttpError(400, 'the image cannot be decoded');
    return made.x;
  }

  /** One image's prediction, batched with whatever else is waiting. */
  async predict(bytes: Uint8Array): Promise<Prediction> {
    const x = await this.prepare(bytes);
    return this.batcher.submit(x);
  }

  async #runModel(xs: Tensor[]): Promise<Prediction[]> {
    const groups = new Map<string, number[]>();
    xs.forEach((x, i) => {
      const key = x.shape.join('x');
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const out: Prediction[] = new Array(xs.length);
    try {
      for (const idx of groups.values()) {
        const x = idx.length === 1 ? xs[idx[0]!]! : cat(idx.map((i) => xs[i]!), 0);
        try {
          const preds = await this.learn.predictBatch(x, { bs: xs.length });
          idx.forEach((i, k) => (out[i] = preds[k]!));
        } finally {
          if (idx.length > 1) x.dispose();
        }
      }
    } finally {
      // the inputs are done with: free their memory now rather than at the next garbage collection
      for (const x of xs) x.dispose();
    }
    return out;
  }

  /** Waits for the queued images, then stops the decoding workers. */
  async close(): Promise<void> {
    await this.batcher.drain();
    await this.pool.close();
  }
}
