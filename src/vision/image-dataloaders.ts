/**
 * `ImageDataLoaders`: fastai's factory methods for image classification (`fromNameFunc`,
 * `fromNameRe`, `fromPathFunc`, `fromPathRe`, `fromFolder`, `fromLists`) and the `DataLoaders`
 * they return: a training and a validation `ImageDataLoader` sharing one pool of decoding workers,
 * the sorted vocabulary, and the input pipeline an exported model needs.
 *
 * Where owlet departs from fastai:
 * - `seed` seeds the split (exactly as fastai) and also the loaders' shuffling, random crops and
 *   augmentations (fastai leaves those to the global random state), so a seeded run is repeatable.
 * - The batches are normalised from the start, with ImageNet's statistics unless `normalize` says
 *   otherwise; fastai adds that Normalize in `vision_learner` for a pretrained model. `normalize(mean,
 *   std)` replaces it (visionLearner calls it with the model's statistics).
 */
import { resolve } from 'node:path';
import type { BatchTransform } from '../data/batch-transform.js';
import { DataBlock, type Datasets } from '../data/datablock.js';
import type { Executor } from '../data/executor.js';
import { getImageFiles } from '../data/files.js';
import type { ItemTransform } from '../data/item-transforms.js';
import { parentLabel, RegexLabeller, usingName, type LabelFunc } from '../data/labellers.js';
import { ImageDataLoader, type ImageBatch, type OnBadImage } from '../data/loader.js';
import { imagenetStats, Normalize, type NormalizeTransform } from '../data/normalize.js';
import { describePipeline } from '../data/pipeline-description.js';
import { showBatch, type ShowBatchOptions } from '../data/show-batch.js';
import { GrandparentSplitter, IndexSplitter, RandomSplitter } from '../data/splitters.js';
import type { DataLoaders, InputPipeline } from '../data/types.js';
import { DecodePool, defaultNumWorkers } from '../data/worker-pool.js';

type Stats = [number, number, number];

export interface ImageDataLoadersOptions {
  /** Batch size of both loaders (default 64). */
  bs?: number;
  /** Validation batch size (default `bs`). */
  valBs?: number;
  /** Seeds the loaders' shuffling, crops and augmentations (the factory methods also seed the split with it). */
  seed?: number;
  /** Decoding worker threads (default: cores − 1, 1 to 4); 0 decodes on the main thread's event loop. */
  numWorkers?: number;
  /** Batches decoded ahead (default 2). */
  prefetch?: number;
  /** Images of one batch decoded at once (default 4). */
  concurrency?: number;
  device?: string;
  /** What to do with an image that cannot be read: 'skip' it with a report (default) or 'error'. */
  onBadImage?: OnBadImage;
  log?: (message: string) => void;
  /** The normalisation: default ImageNet's statistics; false for none. */
  normalize?: { mean: Stats; std: Stats } | false;
  /** Shuffle the training set (default true). */
  shuffle?: boolean;
  /** Who carries out the batch transforms (data/executor.ts); default 'fused' on the CPU where it can run, else 'ops'. */
  executor?: Executor;
}

export interface ImageDataLoadersInit extends ImageDataLoadersOptions {
  path?: string;
  itemTfm?: ItemTransform | null;
  batchTfms?: readonly BatchTransform[];
}

/** Options of the factory methods: fastai's arguments, and the loaders' options. */
export interface FromOptions extends ImageDataLoadersOptions {
  /** Share for validation (default 0.2). */
  validPct?: number;
  itemTfms?: ItemTransform | readonly ItemTransform[] | null;
  batchTfms?: BatchTransform | readonly BatchTransform[] | null;
  vocab?: readonly string[];
}

export class ImageDataLoaders implements DataLoaders {
  readonly train: ImageDataLoader;
  readonly valid: ImageDataLoader;
  readonly vocab: readonly string[];
  /** Where the data lives (fastai's `dls.path`): a learner saves under it. */
  readonly path: string;
  readonly itemTfm: ItemTransform | null;
  readonly pool: DecodePool;
  #normalizer: NormalizeTransform | null;
  #dsets: Datasets;

  constructor(dsets: Datasets, options: ImageDataLoadersInit = {}) {
    this.#dsets = dsets;
    this.vocab = Object.freeze([...dsets.vocab]);
    this.path = options.path ?? '.';
    this.itemTfm = options.itemTfm ?? null;
    this.pool = new DecodePool(options.numWorkers ?? defaultNumWorkers());
    const norm = options.normalize === undefined ? imagenetStats : options.normalize;
    this.#normalizer = norm === false ? null : Normalize(norm.mean, norm.std);
    const index = new Map(dsets.vocab.map((v, i) => [v, i]));
    const idx = (labels: string[]) => labels.map((l) => index.get(l) ?? -1);
    const common = {
      itemTfm: this.itemTfm, batchTfms: options.batchTfms ?? [], normalize: this.#normalizer,
      prefetch: options.prefetch, concurrency: options.concurrency, device: options.device,
      onBadImage: options.onBadImage, log: options.log, executor: options.executor,
    };
    const seed = options.seed;
    this.train = new ImageDataLoader(dsets.train.files, idx(dsets.train.labels), this.pool, {
      ...common, bs: options.bs ?? 64, train: true, shuffle: options.shuffle ?? true, dropLast: true, seed,
    });
    this.valid = new ImageDataLoader(dsets.valid.files, idx(dsets.valid.labels), this.pool, {
      ...common, bs: options.valBs ?? options.bs ?? 64, train: false, shuffle: false, dropLast: false,
      seed: seed === undefined ? undefined : seed + 1,
    });
  }

  get c(): number {
    return this.vocab.length;
  }

  get trainItems(): { files: readonly string[]; labels: readonly string[] } {
    return this.#dsets.train;
  }

  get validItems(): { files: readonly string[]; labels: readonly string[] } {
    return this.#dsets.valid;
  }

  /** What an exported model needs to prepare one image (see `imageToTensor`). */
  get pipeline(): InputPipeline {
    return describePipeline({ itemTfm: this.itemTfm, batchTfms: this.train.batchTfms, normalizer: this.#normalizer });
  }

  /** Sets the normalisation of both loaders (visionLearner passes the pretrained model's statistics). */
  normalize(mean: Stats, std: Stats): void {
    this.#normalizer = Normalize(mean, std);
    this.train.normalizer = this.#normalizer;
    this.valid.normalizer = this.#normalizer;
  }

  /** The normalisation in use, or null. */
  get normalizer(): NormalizeTransform | null {
    return this.#normalizer;
  }

  get device(): string {
    return this.train.device;
  }

  /** Puts the batches on a device. */
  to(device: string): this {
    this.train.to(device);
    this.valid.to(device);
    return this;
  }

  /** A training batch (fastai's `dls.one_batch()`). */
  oneBatch(): Promise<ImageBatch> {
    return this.train.oneBatch();
  }

  /**
   * A loader over other images with the validation pipeline (fastai's `test_dl`): in order, nothing
   * dropped, no augmentation. Labels, when given, must be in the vocabulary.
   */
  testDl(files: readonly string[], options: { labels?: readonly string[]; bs?: number } = {}): ImageDataLoader {
    let labels: number[] | null = null;
    if (options.labels) {
      if (options.labels.length !== files.length) throw new RangeError(`${files.length} files but ${options.labels.length} labels`);
      const index = new Map(this.vocab.map((v, i) => [v, i]));
      labels = options.labels.map((l, i) => {
        const k = index.get(l);
        if (k === undefined) throw new Error(`the label '${l}' of ${files[i]} is not in the vocabulary (${this.vocab.join(', ')})`);
        return k;
      });
    }
    return this.valid.withItems(files, labels, options.bs ? { bs: options.bs } : {});
  }

  /** Writes a PNG grid of training images with their labels; returns the file's path. */
  showBatch(options: ShowBatchOptions = {}): Promise<string> {
    return showBatch(this, options);
  }

  /** Stops the decoding workers (they also stop by themselves when the process has nothing else to do). */
  close(): Promise<void> {
    return this.pool.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // -------------------------------------------------------------------------------------------
  // fastai's factory methods

  /** Labels from `labelFunc` applied to each file's name (fastai's `from_name_func`). */
  static fromNameFunc(path: string, files: readonly string[], labelFunc: LabelFunc, options: FromOptions = {}): ImageDataLoaders {
    return ImageDataLoaders.fromPathFunc(path, files, usingName(labelFunc), options);
  }

  /** Labels from group 1 of `pat` searched in each file's name (fastai's `from_name_re`). */
  static fromNameRe(path: string, files: readonly string[], pat: string | RegExp, options: FromOptions = {}): ImageDataLoaders {
    return ImageDataLoaders.fromNameFunc(path, files, RegexLabeller(pat), options);
  }

  /** Labels from `labelFunc` applied to each full path (fastai's `from_path_func`). */
  static fromPathFunc(path: string, files: readonly string[], labelFunc: LabelFunc, options: FromOptions = {}): ImageDataLoaders {
    const { validPct, itemTfms, batchTfms, vocab, ...rest } = options;
    const block = new DataBlock({
      getY: labelFunc,
      splitter: RandomSplitter({ validPct: validPct ?? 0.2, ...(options.seed !== undefined ? { seed: options.seed } : {}) }),
      itemTfms, batchTfms, ...(vocab ? { vocab } : {}),
    });
    return ImageDataLoaders.fromBlock(block, files, { ...rest, path });
  }

  /** The loaders of a DataBlock's datasets (what `DataBlock.dataloaders` gives). */
  static fromBlock(block: DataBlock, source: string | readonly string[], options: ImageDataLoadersOptions & { path?: string } = {}): ImageDataLoaders {
    return new ImageDataLoaders(block.datasets(source), {
      ...options,
      path: options.path ?? (typeof source === 'string' ? source : '.'),
      itemTfm: block.itemTfm,
      batchTfms: block.batchTfms,
    });
  }

  /** Labels from group 1 of `pat` searched in each full path (fastai's `from_path_re`). */
  static fromPathRe(path: string, files: readonly string[], pat: string | RegExp, options: FromOptions = {}): ImageDataLoaders {
    return ImageDataLoaders.fromPathFunc(path, files, RegexLabeller(pat), options);
  }

  /**
   * Labels from the parent folder (fastai's `from_folder`): `path/train/<label>/…` and
   * `path/valid/<label>/…`, or, with `validPct`, a random split of every image under `path`.
   */
  static fromFolder(path: string, options: FromOptions & { train?: string; valid?: string } = {}): ImageDataLoaders {
    const { validPct, itemTfms, batchTfms, vocab, train = 'train', valid = 'valid', ...rest } = options;
    const root = resolve(path);
    const block = new DataBlock({
      getItems: (p) => (validPct !== undefined ? getImageFiles(p) : getImageFiles(p, { folders: [train, valid] })),
      getY: parentLabel,
      splitter: validPct !== undefined
        ? RandomSplitter({ validPct, ...(options.seed !== undefined ? { seed: options.seed } : {}) })
        : GrandparentSplitter({ trainName: train, validName: valid }),
      itemTfms, batchTfms, ...(vocab ? { vocab } : {}),
    });
    return ImageDataLoaders.fromBlock(block, root, { ...rest, path: root });
  }

  /** From files and their labels (fastai's `from_lists`). */
  static fromLists(path: string, files: readonly string[], labels: readonly string[], options: FromOptions = {}): ImageDataLoaders {
    if (files.length !== labels.length) throw new RangeError(`${files.length} files but ${labels.length} labels`);
    const byFile = new Map<string, string>();
    files.forEach((f, i) => byFile.set(f, labels[i]!));
    return ImageDataLoaders.fromPathFunc(path, files, (f) => byFile.get(f)!, options);
  }

  /** From files with a fixed validation set (indices into `files`). */
  static fromIndices(path: string, files: readonly string[], labelFunc: LabelFunc, validIdx: readonly number[], options: Omit<FromOptions, 'validPct'> = {}): ImageDataLoaders {
    const { itemTfms, batchTfms, vocab, ...rest } = options;
    const block = new DataBlock({ getY: labelFunc, splitter: IndexSplitter(validIdx), itemTfms, batchTfms, ...(vocab ? { vocab } : {}) });
    return ImageDataLoaders.fromBlock(block, files, { ...rest, path });
  }
}
