/**
 * DataLoaders over tensors already in memory (fastai's `DataLoaders.from_dsets` for tensors): for
 * data that needs no decoding — a synthetic problem, features computed elsewhere, tests.
 * Images from folders come from the data module's ImageDataLoaders.
 */
import { arange, randperm, type Tensor } from '../engine/index.js';
import type { Batch, DataLoader, DataLoaders, InputPipeline } from '../data/types.js';

export interface TensorDataLoaderOptions {
  bs?: number;
  shuffle?: boolean;
  dropLast?: boolean;
}

/** Batches of rows of `x` and `y`, in order or shuffled (libtorch's generator: `manualSeed` fixes it). */
export class TensorDataLoader implements DataLoader {
  readonly n: number;
  readonly bs: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;

  constructor(readonly x: Tensor, readonly y: Tensor, options: TensorDataLoaderOptions = {}) {
    if (x.size(0) !== y.size(0)) throw new RangeError(`TensorDataLoader: x has ${x.size(0)} rows but y has ${y.size(0)}`);
    this.n = x.size(0);
    this.bs = options.bs ?? 64;
    if (!Number.isInteger(this.bs) || this.bs < 1) throw new RangeError(`TensorDataLoader: bs must be a positive integer, got ${this.bs}`);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
  }

  get length(): number {
    return this.dropLast ? Math.floor(this.n / this.bs) : Math.ceil(this.n / this.bs);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    const order = this.shuffle ? randperm(this.n) : arange(this.n);
    for (let b = 0; b < this.length; b++) {
      const start = b * this.bs;
      const len = Math.min(this.bs, this.n - start);
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
