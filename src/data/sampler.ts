/**
 * `DistributedSampler`, PyTorch's: each rank of a data-parallel group reads its own share of the
 * items. Every rank shuffles with the same generator, seeded with `seed + epoch`, so the ranks agree on
 * the permutation; the list is padded (repeating its start) to a multiple of the world size, or cut
 * down to one with `dropLast`, and rank r takes items r, r + worldSize, r + 2·worldSize, …
 * The permutation is numpy's (MT19937), not torch.randperm's: the same semantics, other numbers.
 *
 * A sampler with worldSize 1 is an ordinary seeded shuffle: what a single process uses to see the
 * same global batches as a data-parallel run.
 */
import { RandomState } from '../engine/index.js';

export interface DistributedSamplerOptions {
  rank?: number;
  worldSize?: number;
  shuffle?: boolean;
  /** The same on every rank (default 0). */
  seed?: number;
  /** Cut the list to a multiple of the world size instead of padding it. */
  dropLast?: boolean;
}

export class DistributedSampler {
  readonly rank: number;
  readonly worldSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** Set before each pass (PyTorch's `set_epoch`); the loaders that own the sampler count passes when nobody sets it. */
  epoch = 0;

  constructor(readonly n: number, options: DistributedSamplerOptions = {}) {
    this.rank = options.rank ?? 0;
    this.worldSize = options.worldSize ?? 1;
    this.shuffle = options.shuffle ?? true;
    this.seed = options.seed ?? 0;
    this.dropLast = options.dropLast ?? false;
    if (!Number.isInteger(this.worldSize) || this.worldSize < 1) throw new RangeError(`DistributedSampler: worldSize must be a whole number >= 1, got ${this.worldSize}`);
    if (!Number.isInteger(this.rank) || this.rank < 0 || this.rank >= this.worldSize)
      throw new RangeError(`DistributedSampler: rank must be from 0 to ${this.worldSize - 1}, got ${this.rank}`);
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  /** Items each rank reads a pass. */
  get numSamples(): number {
    return this.dropLast ? Math.floor(this.n / this.worldSize) : Math.ceil(this.n / this.worldSize);
  }

  /** Items all ranks read together a pass (padding included). */
  get totalSize(): number {
    return this.numSamples * this.worldSize;
  }

  /** This rank's item indices for the current epoch. */
  indices(): number[] {
    let all = this.shuffle ? new RandomState(this.seed + this.epoch).permutation(this.n) : Array.from({ length: this.n }, (_, i) => i);
    const total = this.totalSize;
    if (total > all.length) {
      const pad: number[] = [];
      while (all.length + pad.length < total) pad.push(...all.slice(0, total - all.length - pad.length));
      all = all.concat(pad);
    } else all = all.slice(0, total);
    const out: number[] = [];
    for (let i = this.rank; i < total; i += this.worldSize) out.push(all[i]!);
    return out;
  }

  /** For position `i` of this rank's list: whether it is padding (a repeat), which a gather drops. */
  isPadding(i: number): boolean {
    return i * this.worldSize + this.rank >= this.n;
  }
}
