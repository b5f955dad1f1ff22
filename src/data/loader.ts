/**
 * `ImageDataLoader`: batches of images from files, decoded ahead of time in worker threads.
 *
 * For each batch the main thread picks the files (shuffled in training by a seeded generator) and
 * draws the item transform's random numbers and the batch's augmentation plan (augment-plan.ts);
 * a worker decodes and resizes the images into one buffer and hands it back without a copy; the
 * plan is carried out by the loader's executor (executor.ts: the native fused pass in the worker on
 * the CPU, libtorch ops on the main thread otherwise) — image-pipeline.ts, which `imagesToTensor`
 * shares. `prefetch` batches are being decoded while the model works on the current one.
 *
 * Training loaders shuffle and drop the last partial batch; validation loaders keep the order and
 * the last batch (fastai's defaults). An image that cannot be read is reported once, by name, and
 * left out (`onBadImage: 'skip'`, the default), or stops the loop with an `ImageDecodeError`
 * (`onBadImage: 'error'`).
 */
import { RandomState, tensor } from '../engine/index.js';
import type { AugmentPlan } from './augment-plan.js';
import type { BatchTransform } from './batch-transform.js';
import type { BatchReply } from './batch-decode.js';
import { chooseExecutor, type Executor } from './executor.js';
import { ImageDecodeError } from './image.js';
import { collateImages, dispatchBatch, type ImagePipelineParts } from './image-pipeline.js';
import type { ItemTransform } from './item-transforms.js';
import type { NormalizeTransform } from './normalize.js';
import { DistributedSampler } from './sampler.js';
import type { Batch, DataLoader, ShardOptions } from './types.js';
import type { DecodePool } from './worker-pool.js';

/** A batch with the files it was made from (a skipped image is absent from both). */
export interface ImageBatch extends Batch {
  /** The files of the batch's images, in order. */
  files: string[];
  /** Their positions in the loader's item list. */
  indices: number[];
  /** What the batch transforms drew for these images, and did to them. */
  plan: AugmentPlan;
}

export type OnBadImage = 'skip' | 'error';

export interface ImageDataLoaderOptions {
  bs?: number;
  /** Default: true for a training loader. */
  shuffle?: boolean;
  /** Default: true for a training loader. */
  dropLast?: boolean;
  /** Training: random crops and augmentations. Default false. */
  train?: boolean;
  itemTfm?: ItemTransform | null;
  batchTfms?: readonly BatchTransform[];
  normalize?: NormalizeTransform | null;
  /** Seeds the shuffling, the random crops and the augmentations; random when absent. */
  seed?: number;
  /** Batches decoded ahead (default 2). 0 decodes each batch only when it is asked for. */
  prefetch?: number;
  /** Images of one batch decoded at once (default 4). */
  concurrency?: number;
  device?: string;
  onBadImage?: OnBadImage;
  /** Where the skipped-image reports go (default: console.warn). */
  log?: (message: string) => void;
  /** Who carries out the batch transforms (executor.ts); default 'fused' where it can run, else 'ops'. */
  executor?: Executor;
  /** The order of each pass (replaces `shuffle`): one rank's share in data-parallel training (`shard`). */
  sampler?: DistributedSampler;
}

interface Pending {
  reply: Promise<BatchReply>;
  plan: AugmentPlan;
}

function seedWords(seed: number | undefined, stream: number): RandomState {
  if (seed === undefined) return new RandomState();
  return new RandomState([seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0, stream]);
}

export class ImageDataLoader implements DataLoader {
  readonly bs: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly train: boolean;
  /** The seed of the shuffle, crops and augmentations (undefined: random). */
  readonly seed: number | undefined;
  itemTfm: ItemTransform | null;
  batchTfms: BatchTransform[];
  normalizer: NormalizeTransform | null;
  device: string;
  prefetch: number;
  concurrency: number;
  onBadImage: OnBadImage;
  /** Files found unreadable so far, with the reason; they are left out of later passes. */
  readonly badFiles = new Map<string, string>();
  /** Passes started so far. */
  epoch = 0;
  /** The executor asked for (undefined: chosen by `chooseExecutor`). */
  requestedExecutor: Executor | undefined;
  readonly sampler: DistributedSampler | null;
  /**
   * Where the current (or last) pass spent its time on the main thread, in ms: waiting for decoded
   * batches from the workers, and making tensors and running the batch transforms.
   */
  readonly timings = { waitMs: 0, collateMs: 0, batches: 0 };
  #files: readonly string[];
  #labels: Int32Array;
  #pool: DecodePool;
  #itemRng: RandomState;
  #augRng: RandomState;
  #planRng: RandomState;
  #log: (message: string) => void;

  /** False when the loader was made without labels (its batches' `y` holds -1s). */
  readonly hasLabels: boolean;

  /** `labels` are class indices (-1 for an unlabelled item); `null` for a loader without labels. */
  constructor(files: readonly string[], labels: ArrayLike<number> | null, pool: DecodePool, options: ImageDataLoaderOptions = {}) {
    this.#files = [...files];
    this.#labels = labels === null ? new Int32Array(files.length).fill(-1) : Int32Array.from(labels);
    this.hasLabels = labels !== null;
    if (this.#labels.length !== files.length) throw new RangeError(`${files.length} files but ${this.#labels.length} labels`);
    this.#pool = pool;
    this.bs = options.bs ?? 64;
    if (!Number.isInteger(this.bs) || this.bs < 1) throw new RangeError(`bs must be a positive integer, got ${options.bs}`);
    this.train = options.train ?? false;
    this.shuffle = options.shuffle ?? this.train;
    this.dropLast = options.dropLast ?? this.train;
    this.itemTfm = options.itemTfm ?? null;
    this.batchTfms = [...(options.batchTfms ?? [])].sort((a, b) => a.order - b.order);
    this.normalizer = options.normalize ?? null;
    this.device = options.device ?? 'cpu';
    this.prefetch = options.prefetch ?? 2;
    this.concurrency = options.concurrency ?? 4;
    this.onBadImage = options.onBadImage ?? 'skip';
    this.#log = options.log ?? ((m) => console.warn(m));
    this.requestedExecutor = options.executor;
    this.sampler = options.sampler ?? null;
    if (this.sampler !== null && this.sampler.n !== files.length) throw new RangeError(`the sampler is for ${this.sampler.n} items, the loader has ${files.length} files`);
    this.seed = options.seed;
    this.#itemRng = seedWords(options.seed, 1);
    this.#augRng = seedWords(options.seed, 2);
    this.#planRng = seedWords(options.seed, 3);
  }

  /** The files, in the loader's item order. */
  get files(): readonly string[] {
    return this.#files;
  }

  /** The class index of each file (-1 when unlabelled). */
  get labels(): Int32Array {
    return this.#labels;
  }

  /** Items in the dataset (those not found unreadable). */
  get n(): number {
    let bad = 0;
    if (this.badFiles.size > 0) for (const f of this.#files) if (this.badFiles.has(f)) bad++;
    return this.#files.length - bad;
  }

  /** Batches per pass. */
  get length(): number {
    const n = this.sampler?.numSamples ?? this.n;
    return this.dropLast ? Math.floor(n / this.bs) : Math.ceil(n / this.bs);
  }

  /** The index order of the next pass's batches (draws the shuffle). */
  #plan(): number[][] {
    let idx: number[] = [];
    if (this.sampler !== null) {
      idx = this.sampler.indices().filter((i) => !this.badFiles.has(this.#files[i]!));
      this.sampler.epoch++;
    } else for (let i = 0; i < this.#files.length; i++) if (!this.badFiles.has(this.#files[i]!)) idx.push(i);
    if (this.shuffle && this.sampler === null) {
      const rng = this.#itemRng;
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(rng.random() * (i + 1));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      }
    }
    const out: number[][] = [];
    for (let s = 0; s < idx.length; s += this.bs) {
      const b = idx.slice(s, s + this.bs);
      if (b.length < this.bs && this.dropLast) break;
      out.push(b);
    }
    return out;
  }

  /** Who carries out the batch transforms now (executor.ts): what was asked for, else the default for the device. */
  get executor(): Executor {
    return chooseExecutor(this.batchTfms, this.device, this.requestedExecutor);
  }

  set executor(e: Executor | undefined) {
    this.requestedExecutor = e;
  }

  #parts(): ImagePipelineParts {
    return { itemTfm: this.itemTfm, batchTfms: this.batchTfms, normalizer: this.normalizer };
  }

  #dispatch(indices: number[]): Pending {
    const { request, plan } = dispatchBatch(this.#parts(), indices.map((i) => this.#files[i]!), {
      train: this.train, executor: this.executor, itemRng: this.#itemRng, planRng: this.#planRng, concurrency: this.concurrency,
    });
    const reply = this.#pool.run(request);
    reply.catch(() => undefined); // handled where awaited; a pass left early must not leave it unhandled
    return { reply, plan };
  }

  /** Turns a decoded batch into tensors (main thread). */
  #collate(reply: BatchReply, indices: number[], plan: AugmentPlan): ImageBatch | null {
    if (reply.sizeError !== undefined) throw new Error(reply.sizeError);
    for (const b of reply.bad) {
      if (this.onBadImage === 'error') throw new ImageDecodeError(b.file, b.reason);
      if (!this.badFiles.has(b.file)) {
        this.badFiles.set(b.file, b.reason);
        this.#log(`owlet: skipping an image that cannot be read: ${b.file} (${b.reason})`);
      }
    }
    const made = collateImages(reply, plan, this.#parts(), { device: this.device, ctx: { train: this.train, rng: this.#augRng } });
    if (made === null) return null;
    const items = reply.ok.map((i) => indices[i]!);
    let y = tensor(BigInt64Array.from(items, (i) => BigInt(this.#labels[i]!)), { shape: [items.length] });
    if (this.device !== 'cpu') y = y.to(this.device);
    return { x: made.x, y, files: items.map((i) => this.#files[i]!), indices: items, plan: made.plan };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ImageBatch, void, undefined> {
    this.epoch++;
    Object.assign(this.timings, { waitMs: 0, collateMs: 0, batches: 0 });
    const plan = this.#plan();
    const inflight: Pending[] = [];
    let next = 0;
    const fill = (ahead: number) => {
      while (next < plan.length && inflight.length < ahead) inflight.push(this.#dispatch(plan[next++]!));
    };
    for (let b = 0; b < plan.length; b++) {
      fill(Math.max(1, this.prefetch + 1));
      const pending = inflight.shift()!;
      const t0 = performance.now();
      const reply = await pending.reply;
      const t1 = performance.now();
      fill(this.prefetch); // keep the workers busy while the caller works on this batch
      const batch = this.#collate(reply, plan[b]!, pending.plan);
      this.timings.waitMs += t1 - t0;
      this.timings.collateMs += performance.now() - t1;
      this.timings.batches++;
      if (batch !== null) yield batch;
    }
  }

  /** The first batch of a pass (fastai's `one_batch`). */
  async oneBatch(): Promise<ImageBatch> {
    for await (const b of this) return b;
    throw new Error(`no batch: the loader has ${this.n} items and a batch size of ${this.bs}${this.dropLast ? ' (the last partial batch is dropped)' : ''}`);
  }

  /** Moves the batches to a device ('cpu', 'cuda', 'cuda:1'); augmentations then run there. */
  to(device: string): this {
    this.device = device;
    return this;
  }

  /**
   * The same items in the same order with the training set's random transforms — random crop
   * positions, the batch augmentations — drawn from `seed`: fastai's TTA passes (`Learner.tta`).
   */
  withAugmentation(seed: number): ImageDataLoader {
    const dl = this.withItems(this.#files, this.hasLabels ? this.#labels : null, { train: true, shuffle: false, dropLast: false, seed });
    for (const [f, why] of this.badFiles) dl.badFiles.set(f, why);
    return dl;
  }

  /** This rank's share of every pass (DataLoader.shard; PyTorch's DistributedSampler), with this loader's transforms. */
  shard(options: ShardOptions): ImageDataLoader {
    const sampler = new DistributedSampler(this.#files.length, { ...options, shuffle: this.shuffle, seed: options.seed ?? 0 });
    // each rank draws its own crops and augmentations, from a seed of its own when this loader has one
    const seed = this.seed === undefined ? {} : { seed: this.seed + 7919 * (options.rank + 1) };
    const dl = this.withItems(this.#files, this.hasLabels ? this.#labels : null, { train: this.train, shuffle: this.shuffle, dropLast: this.dropLast, sampler, ...seed });
    for (const [f, why] of this.badFiles) dl.badFiles.set(f, why);
    return dl;
  }

  setEpoch(epoch: number): void {
    this.sampler?.setEpoch(epoch);
  }

  /** A new loader over other files with this loader's item transform and normalisation, in order, no augmentation. */
  withItems(files: readonly string[], labels: ArrayLike<number> | null, options: ImageDataLoaderOptions = {}): ImageDataLoader {
    return new ImageDataLoader(files, labels, this.#pool, {
      bs: this.bs, train: false, itemTfm: this.itemTfm, batchTfms: this.batchTfms, normalize: this.normalizer,
      device: this.device, prefetch: this.prefetch, concurrency: this.concurrency, onBadImage: this.onBadImage,
      log: this.#log, executor: this.requestedExecutor, ...options,
    });
  }
}
