/**
 * `ImageDataLoader`: batches of images from files, decoded ahead of time in worker threads.
 *
 * For each batch the main thread picks the files (shuffled in training by a seeded generator) and
 * draws the item transform's random numbers, a worker decodes and resizes the images with sharp into
 * one uint8 buffer [bs, h, w, 3] and hands it back without a copy, and the main thread makes the
 * tensor: [bs, 3, h, w] float32 in [0, 1] (fastai's `IntToFloatTensor`), then the batch transforms
 * (augmentations in training) and the normalisation. On the CPU, fastai's usual batch transforms
 * (augTransforms, Normalize) are instead done by the worker too, in one pass per image (fused.ts),
 * and the main thread only wraps the floats. `prefetch` batches are being decoded while the model
 * works on the current one.
 *
 * Training loaders shuffle and drop the last partial batch; validation loaders keep the order and
 * the last batch (fastai's defaults). An image that cannot be read is reported once, by name, and
 * left out (`onBadImage: 'skip'`, the default), or stops the loop with an `ImageDecodeError`
 * (`onBadImage: 'error'`).
 */
import { RandomState, tensor, tidy, type Tensor } from '../engine/index.js';
import type { BatchContext, BatchTransform, NormalizeTransform } from './augment.js';
import type { BatchReply } from './batch-decode.js';
import type { GridSpec } from './grid.js';
import { planFused, type FusedPlan } from './fused-plan.js';
import { ImageDecodeError } from './image.js';
import { randomsNeeded, type ItemTransform } from './item-transforms.js';
import type { Batch, DataLoader } from './types.js';
import type { DecodePool } from './worker-pool.js';

/** A batch with the files it was made from (a skipped image is absent from both). */
export interface ImageBatch extends Batch {
  /** The files of the batch's images, in order. */
  files: string[];
  /** Their positions in the loader's item list. */
  indices: number[];
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
  /** Let the decoding workers do the batch transforms where they can (default true; see `fuseBatchTfms`). */
  fuseBatchTfms?: boolean;
}

interface Pending {
  reply: Promise<BatchReply>;
  prepared: { transform: BatchTransform; draw: unknown; spec: GridSpec } | null;
  /** Set when the worker does the batch transforms (fused.ts). */
  fused: FusedPlan | null;
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
  /**
   * Let the decoding workers do the batch transforms where they can (fused.ts; default true). False
   * runs them as libtorch ops on the main thread, as on a GPU.
   */
  fuseBatchTfms = true;
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
  #prepRng: RandomState;
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
    this.fuseBatchTfms = options.fuseBatchTfms ?? true;
    this.#itemRng = seedWords(options.seed, 1);
    this.#augRng = seedWords(options.seed, 2);
    this.#prepRng = seedWords(options.seed, 3);
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
    const n = this.n;
    return this.dropLast ? Math.floor(n / this.bs) : Math.ceil(n / this.bs);
  }

  /** The index order of the next pass's batches (draws the shuffle). */
  #plan(): number[][] {
    let idx: number[] = [];
    for (let i = 0; i < this.#files.length; i++) if (!this.badFiles.has(this.#files[i]!)) idx.push(i);
    if (this.shuffle) {
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

  /** The batch transform whose random draws and grid are prepared at dispatch (in the workers). */
  #preparer(): BatchTransform | null {
    if (!this.train || this.itemTfm === null || this.device !== 'cpu') return null;
    return this.batchTfms.find((t) => typeof t.prepare === 'function') ?? null;
  }

  /** Whether batches can be transformed in the workers (fused.ts): on the CPU, images of one size. */
  #canFuse(): boolean {
    return this.device === 'cpu' && this.itemTfm !== null && this.fuseBatchTfms;
  }

  #dispatch(indices: number[]): Pending {
    const [h, w] = this.itemTfm?.size ?? [0, 0];
    const fused = this.#canFuse() ? planFused(this.batchTfms, this.normalizer, this.train, indices.length, h, w, this.#prepRng) : null;
    const prep = fused === null ? this.#preparer() : null;
    let prepared: Pending['prepared'] = null;
    if (prep) {
      const { draw, spec } = prep.prepare!(indices.length, h, w, this.#prepRng);
      prepared = { transform: prep, draw, spec };
    }
    const per = this.train ? randomsNeeded(this.itemTfm) : 0;
    let rand: Float64Array | null = null;
    if (per > 0) {
      rand = new Float64Array(indices.length * per);
      for (let i = 0; i < rand.length; i++) rand[i] = this.#itemRng.random();
    }
    const reply = this.#pool.run({
      files: indices.map((i) => this.#files[i]!), tfm: this.itemTfm, rand, perItem: per, concurrency: this.concurrency,
      grid: prepared?.spec ?? null, fused: fused?.spec ?? null,
    });
    reply.catch(() => undefined); // handled where awaited; a pass left early must not leave it unhandled
    return { reply, prepared, fused };
  }

  /** Turns a decoded batch into tensors (main thread). */
  #collate(reply: BatchReply, indices: number[], prepared: Pending['prepared'], fused: FusedPlan | null): ImageBatch | null {
    if (reply.sizeError !== undefined) throw new Error(reply.sizeError);
    for (const b of reply.bad) {
      if (this.onBadImage === 'error') throw new ImageDecodeError(b.file, b.reason);
      if (!this.badFiles.has(b.file)) {
        this.badFiles.set(b.file, b.reason);
        this.#log(`owlet: skipping an image that cannot be read: ${b.file} (${b.reason})`);
      }
    }
    if ((reply.data === null && !reply.floats) || reply.ok.length === 0) return null;
    const k = reply.ok.length;
    const items = reply.ok.map((i) => indices[i]!);
    let x: Tensor;
    if (reply.floats && fused) {
      x = tensor(new Float32Array(reply.floats), { shape: [k, 3, reply.fh!, reply.fw!] });
      const ok = reply.ok;
      if (fused.affine) fused.affine.transform.lastDraw = { mats: ok.map((i) => fused.affine!.draw.mats[i]!), warp: fused.affine.draw.warp ? ok.map((i) => fused.affine!.draw.warp![i]!) : null };
      if (fused.lighting) fused.lighting.transform.lastDraw = { brightness: ok.map((i) => fused.lighting!.draw.brightness[i]!), contrast: ok.map((i) => fused.lighting!.draw.contrast[i]!) };
    } else {
      const ctx: BatchContext = { train: this.train, rng: this.#augRng };
      if (prepared && reply.grid) ctx.prepared = { transform: prepared.transform, draw: prepared.draw, grid: new Float32Array(reply.grid), keep: reply.ok };
      const u8 = new Uint8Array(reply.data!);
      x = tidy(() => {
        let t: Tensor = tensor(u8, { shape: [k, reply.height, reply.width, 3] });
        if (this.device !== 'cpu') t = t.to(this.device);
        t = t.permute(0, 3, 1, 2).to({ dtype: 'float32', memoryFormat: 'contiguous' }).div_(255);
        for (const tfm of this.batchTfms) t = tfm.apply(t, ctx);
        if (this.normalizer) t = this.normalizer.apply(t);
        return t;
      });
    }
    const ys = BigInt64Array.from(items, (i) => BigInt(this.#labels[i]!));
    let y = tensor(ys, { shape: [k] });
    if (this.device !== 'cpu') y = y.to(this.device);
    return { x, y, files: items.map((i) => this.#files[i]!), indices: items };
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
      const batch = this.#collate(reply, plan[b]!, pending.prepared, pending.fused);
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

  /** A new loader over other files with this loader's item transform and normalisation, in order, no augmentation. */
  withItems(files: readonly string[], labels: ArrayLike<number> | null, options: ImageDataLoaderOptions = {}): ImageDataLoader {
    return new ImageDataLoader(files, labels, this.#pool, {
      bs: this.bs, train: false, itemTfm: this.itemTfm, batchTfms: this.batchTfms, normalize: this.normalizer,
      device: this.device, prefetch: this.prefetch, concurrency: this.concurrency, onBadImage: this.onBadImage,
      log: this.#log, fuseBatchTfms: this.fuseBatchTfms, ...options,
    });
  }
}
