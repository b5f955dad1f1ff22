/**
 * DataLoaders over tensors already in memory (fastai's `DataLoaders.from_dsets` for tensors): for
 * data that needs no decoding — a synthetic problem, features computed elsewhere, tests.
 * Images from folders come from the data module's ImageDataLoaders.
 */
import { arange, randperm, tensor, type Tensor } from '../engine/index.js';
import { DistributedSampler } from '../data/sampler.js';
import type { Batch, DataLoader, DataLoaders, InputPipeline, ShardOptions } from '../data/types.js';

export interface TensorDataLoaderOptions {
  bs?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  /** The order of each pass (replaces `shuffle`): a seeded shuffle, or one rank's share (DistributedSampler). */
  sampler?: DistributedSampler;
}

/** Batches of rows of `x` and `y`, in order or shuffled (libtorch's generator: `manualSeed` fixes it). */
export class TensorDataLoader implements DataLoader {
  readonly n: number;
  readonly bs: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly sampler: DistributedSampler | null;

  constructor(readonly x: Tensor, readonly y: Tensor, options: TensorDataLoaderOptions = {}) {
    if (x.size(0) !== y.size(0)) throw new RangeError(`TensorDataLoader: x has ${x.size(0)} rows but y has ${y.size(0)}`);
    this.n = x.size(0);
    this.bs = options.bs ?? 64;
    if (!Number.isInteger(this.bs) || this.bs < 1) throw new RangeError(`TensorDataLoader: bs must be a positive integer, got ${this.bs}`);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.sampler = options.sampler ?? null;
    if (this.sampler !== null && this.sampler.n !== this.n) throw new RangeError(`TensorDataLoader: the sampler is for ${this.sampler.n} items, the data has ${this.n}`);
  }

  /** Items a pass reads (a sampler's share, padding included). */
  get #items(): number {
    return this.sampler?.numSamples ?? this.n;
  }

  get length(): number {
    return this.dropLast ? Math.floor(this.#items / this.bs) : Math.ceil(this.#items / this.bs);
  }

  shard(options: ShardOptions): TensorDataLoader {
    const sampler = new DistributedSampler(this.n, { ...options, shuffle: this.sampler?.shuffle ?? this.shuffle, seed: options.seed ?? this.sampler?.seed ?? 0 });
    return new TensorDataLoader(this.x, this.y, { bs: this.bs, dropLast: this.dropLast, sampler });
  }

  setEpoch(epoch: number): void {
    this.sampler?.setEpoch(epoch);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    let order: Tensor;
    if (this.sampler !== null) {
      order = tensor(BigInt64Array.from(this.sampler.indices(), BigInt), { shape: [this.sampler.numSamples] });
      this.sampler.epoch++;
    } else order = this.shuffle ? randperm(this.n) : arange(this.n);
    const items = this.#items;
    for (let b = 0; b < this.length; b++) {
      const start = b * this.bs;
      const len = Math.min(this.bs, items - start);
      const idx = order.narrow(0, start, len);
      yield { x: this.x.indexSelect(0, idx), y: this.y.indexSelect(0, idx) };
    }
  }
}

export interface TensorDataLoadersOptions {
  bs?: number;
  /** Class names (default '0', '1', …). */
  vocab?: readonly string[];
  pipeline?: InputPipeline;
}

/**
 * Training and validation loaders over tensors: the training one shuffled with the last partial
 * batch dropped, the validation one in order and whole (fastai's defaults).
 */
export function tensorDataLoaders(train: [Tensor, Tensor], valid: [Tensor, Tensor], options: TensorDataLoadersOptions = {}): DataLoaders {
  const bs = options.bs ?? 64;
  const ys = [...(train[1].toFlatArray() as number[]), ...(valid[1].toFlatArray() as number[])];
  const c = options.vocab?.length ?? (train[1].isFloatingPoint() ? 1 : Math.max(0, ...ys) + 1);
  const vocab = options.vocab ?? Array.from({ length: c }, (_, i) => String(i));
  let pipeline: InputPipeline = options.pipeline ?? { kind: train[0].dim() === 4 ? 'image' : 'tabular' };
  const dls: DataLoaders = {
    train: new TensorDataLoader(train[0], train[1], { bs, shuffle: true, dropLast: true }),
    valid: new TensorDataLoader(valid[0], valid[1], { bs, shuffle: false, dropLast: false }),
    vocab,
    c,
    get pipeline() {
      return pipeline;
    },
    normalize(mean, std) {
      pipeline = { ...pipeline, mean, std };
    },
  };
  return dls;
}
