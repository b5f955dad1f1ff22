/**
 * Data-parallel training, as PyTorch's DistributedDataParallel and fastai's `learn.distrib_ctx()`:
 * one process a rank, each with the whole model, reading its own share of every epoch.
 *
 * - beforeFit: parameters and buffers are broadcast from rank 0, so every rank starts alike; the
 *   loaders are replaced by shards (DataLoader.shard: PyTorch's DistributedSampler, the same seeded
 *   shuffle on every rank, padded to equal shares); ranks other than 0 print nothing.
 * - each training batch: buffers (batch norm's running statistics) broadcast from rank 0 before the
 *   forward pass (DDP's broadcast_buffers=True); gradients averaged over the ranks in buckets that are
 *   all-reduced while backward runs (distributed/reducer.ts); the loss the Recorder sees is the mean
 *   over the ranks.
 * - validation: each rank validates its share; predictions and targets are gathered from every rank,
 *   the padding dropped and the order restored, so metrics and the validation loss are those of the
 *   whole validation set (every rank computes the same table).
 * - only rank 0 writes checkpoints (learn.save) and exports; with `checkpoint`, rank 0 saves one after
 *   every epoch that `fit…(…, {resume})` restarts from (with the same world size).
 *
 * With a per-rank batch size bs, one step's global batch is bs × worldSize: the same step, to float
 * rounding, as one process with that batch over the same items. SyncBatchNorm is not provided.
 */
import { cat, noGrad, tensor } from '../engine/index.js';
import {
  allGather, allReduce, broadcast, DistributedError, getRank, getWorldSize, GradReducer, isInitialized, type ReducerStats,
} from '../distributed/index.js';
import type { DataLoader, DataLoaders } from '../data/types.js';
import { Callback, callbackName } from './callback.js';
import { TrainingError } from './events.js';
import { fitContext } from './interrupt.js';
import type { Learner } from './learner.js';

export interface DistributedOptions {
  /** DDP's bucket_cap_mb (default 25). */
  bucketCapMb?: number;
  /** Broadcast buffers from rank 0 before each training forward pass (DDP's default, true). */
  broadcastBuffers?: boolean;
  /** The samplers' seed, the same on every rank (default 0). */
  seed?: number;
  /** Rank 0 saves a resumable checkpoint under this name after every epoch (default: none). */
  checkpoint?: string;
}

/** A rank died, hangs or cannot be reached during a fit: the message names it. Passes through callbacks unwrapped. */
export class DistributedTrainingError extends TrainingError {
  override name = 'DistributedTrainingError';
}

/** Runs a collective; a DistributedError becomes a DistributedTrainingError (not wrapped as a callback's bug). */
function collective<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DistributedError) throw new DistributedTrainingError(e.message, { cause: e });
    throw e;
  }
}

/** fastai's `DistributedTrainer`: data-parallel training over the process group (see the module's notes). */
export class DistributedTrainer extends Callback {
  override order = -5;
  readonly rank: number;
  readonly worldSize: number;
  reducer: GradReducer | null = null;
  /** The reducer's figures from the last fit (buckets, time waiting for all-reduces). */
  lastStats: ReducerStats | null = null;
  #saved: { dls: DataLoaders; logger: Learner['logger']; muted: Callback[] } | null = null;
  #validN = 0;

  constructor(readonly options: DistributedOptions = {}) {
    super();
    if (!isInitialized()) throw new Error('DistributedTrainer: no process group: call initProcessGroup() (owlet/distributed) first, in every rank');
    this.rank = getRank();
    this.worldSize = getWorldSize();
  }

  override get name(): string {
    return 'DistributedTrainer';
  }

  #shard(dl: DataLoader, what: string): DataLoader {
    if (dl.shard === undefined) throw new Error(`DistributedTrainer: the ${what} loader cannot be split across ranks (it has no shard()): use a TensorDataLoader or an ImageDataLoader`);
    return dl.shard({ rank: this.rank, worldSize: this.worldSize, seed: this.options.seed ?? 0 });
  }

  beforeFit(learn: Learner): void {
    const dls = learn.dls;
    const muted: Callback[] = [];
    if (this.rank !== 0) for (const cb of learn.cbsNamed('ProgressCallback')) if (cb.run !== false) { cb.run = false; muted.push(cb as Callback); }
    this.#saved = { dls, logger: learn.logger, muted };
    if (this.rank !== 0) learn.logger = null;
    this.#validN = dls.valid.n;
    const train = this.#shard(dls.train, 'training');
    const valid = this.#shard(dls.valid, 'validation');
    if (train.length === 0)
      throw new DistributedTrainingError(`DistributedTrainer: each of the ${this.worldSize} ranks gets ${Math.ceil(dls.train.n / this.worldSize)} training items, fewer than one batch of ${train.bs}: use a smaller batch size (it is per rank) or fewer ranks`);
    // the same DataLoaders with this rank's shards (a proxy, so that the class's own getters and methods keep working)
    learn.dls = new Proxy(dls, {
      get: (target, prop) => {
        if (prop === 'train') return train;
        if (prop === 'valid') return valid;
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const params = learn.model.parameters();
    collective(() => noGrad(() => broadcast([...params, ...learn.model.buffers()], 0)));
    this.reducer = collective(() => new GradReducer(params, { bucketCapMb: this.options.bucketCapMb ?? 25 }));
  }

  beforeTrain(learn: Learner): void {
    learn.dl?.setEpoch?.(learn.epoch);
  }

  beforeBatch(learn: Learner): void {
    if (!learn.training || this.options.broadcastBuffers === false) return;
    const bufs = learn.model.buffers();
    if (bufs.length > 0) collective(() => noGrad(() => broadcast(bufs, 0)));
  }

  afterLoss(learn: Learner): void {
    if (learn.training) {
      learn.loss = collective(() => allReduce(learn.loss!.clone(), 'avg'));
      return;
    }
    this.#gatherValid(learn);
  }

  /** Validation: every rank's predictions and targets, padding dropped, in the unsharded order. */
  #gatherValid(learn: Learner): void {
    const pred = learn.pred!.detach();
    const ys = collective(() => allGather(learn.yb!.contiguous()));
    const preds = collective(() => allGather(pred.contiguous()));
    const len = pred.size(0);
    const W = this.worldSize;
    const order: number[] = [];
    for (let j = 0; j < len; j++)
      for (let r = 0; r < W; r++) if ((learn.iter * learn.dl!.bs + j) * W + r < this.#validN) order.push(r * len + j);
    const idx = tensor(BigInt64Array.from(order, BigInt), { shape: [order.length] });
    learn.pred = cat(preds).indexSelect(0, idx);
    learn.yb = cat(ys).indexSelect(0, idx);
    learn.loss = noGrad(() => learn.lossFunc(learn.pred!, learn.yb!)).detach();
  }

  beforeBackward(): void {
    collective(() => this.reducer?.prepare());
  }

  afterBackward(): void {
    collective(() => this.reducer?.finalize());
  }

  afterEpoch(learn: Learner): void {
    const name = this.options.checkpoint;
    const ctx = fitContext(learn);
    if (name === undefined || this.rank !== 0 || ctx === null || !ctx.resumable) return;
    learn.save(name, { withOpt: true, progress: { method: ctx.method, nEpoch: ctx.nEpoch, epoch: learn.epoch + 1, ...(ctx.phase ? { phase: ctx.phase } : {}) } });
  }

  afterFit(learn: Learner): void {
    this.cleanup(learn);
  }

  cleanup(learn: Learner): void {
    if (this.reducer !== null) {
      this.lastStats = this.reducer.stats;
      this.reducer.destroy();
      this.reducer = null;
    }
    if (this.#saved === null) return;
    learn.dls = this.#saved.dls;
    learn.logger = this.#saved.logger;
    for (const cb of this.#saved.muted) cb.run = true;
    this.#saved = null;
  }

  override toString(): string {
    return `${callbackName(this)}(rank ${this.rank} of ${this.worldSize})`;
  }
}

/** Adds a DistributedTrainer to `learn` (fastai's `learn.to_distributed`); returns it. */
export function toDistributed(learn: Learner, options: DistributedOptions = {}): DistributedTrainer {
  const cb = new DistributedTrainer(options);
  learn.addCb(cb);
  return cb;
}

/** Runs `fn` with `learn` data-parallel (fastai's `with learn.distrib_ctx(): …`). */
export async function distribCtx<T>(learn: Learner, fn: () => Promise<T>, options: DistributedOptions = {}): Promise<T> {
  return learn.withCbs([new DistributedTrainer(options)], fn);
}

/** Whether this process may write files for the group: it is not in one, or it is rank 0. */
export function isRankZero(): boolean {
  return !isInitialized() || getRank() === 0;
}
