/**
 * Gradients averaged over the ranks in buckets, as PyTorch's DDP reducer: parameters in reverse order
 * (the order backward reaches them), buckets of `bucketCapMb` (the first 1 MiB, as DDP), each
 * all-reduced as soon as backward has accumulated all of its gradients — so communication overlaps
 * the rest of backward — and waited for by `finalize()`, which leaves the mean in each `.grad`.
 * The hooks are libtorch's own (post-hooks on each parameter's gradient accumulator), in native code.
 */
import type { Tensor } from '../engine/index.js';
import { distCall } from './errors.js';
import { getRank } from './init.js';
import { dist, type ReducerStats } from './native-dist.js';

export interface GradReducerOptions {
  /** Bucket size in MB (DDP's bucket_cap_mb, default 25). */
  bucketCapMb?: number;
  /** The first bucket's size in MB (DDP's: 1). */
  firstBucketMb?: number;
}

export class GradReducer {
  #id: number | null;

  constructor(params: readonly Tensor[], options: GradReducerOptions = {}) {
    getRank();
    const cap = (options.bucketCapMb ?? 25) * 2 ** 20;
    const first = (options.firstBucketMb ?? 1) * 2 ** 20;
    if (!(cap > 0) || !(first > 0)) throw new RangeError(`GradReducer: bucket sizes must be positive, got ${options.bucketCapMb} and ${options.firstBucketMb} MB`);
    this.#id = distCall(() => dist.distReducerCreate(params.map((p) => p.handle), cap, first));
  }

  #alive(): number {
    if (this.#id === null) throw new Error('GradReducer: used after destroy()');
    return this.#id;
  }

  /** Arms the hooks: call before backward. */
  prepare(): void {
    const id = this.#alive();
    distCall(() => dist.distReducerPrepare(id));
  }

  /** After backward: starts the buckets not started yet, waits for all, and leaves the mean gradients. */
  finalize(): void {
    const id = this.#alive();
    distCall(() => dist.distReducerFinalize(id));
  }

  get stats(): ReducerStats {
    return dist.distReducerStats(this.#alive());
  }

  /** Removes the hooks. */
  destroy(): void {
    if (this.#id === null) return;
    dist.distReducerDestroy(this.#id);
    this.#id = null;
  }
}
