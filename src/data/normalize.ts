/** fastai's `Normalize.from_stats(mean, std)`: `(x - mean) / std` per channel, on every set (order 99). */
import { noGrad, tensor, type Tensor } from '../engine/index.js';
import type { BatchTransform } from './batch-transform.js';
import { normalizeOps } from './executor-ops.js';

type Stats = [number, number, number];

/** ImageNet's channel means and standard deviations (fastai's `imagenet_stats`). */
export const imagenetStats: { mean: Stats; std: Stats } = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

export class NormalizeTransform implements BatchTransform {
  readonly name = 'Normalize';
  readonly order = 99;
  constructor(readonly mean: Stats, readonly std: Stats) {
    if (std.some((s) => !(s > 0))) throw new RangeError(`Normalize: every std must be positive, got [${std.join(', ')}]`);
  }

  /** Its statistics as plain JSON, for an export file (`fromDescription` reads them back). */
  describe(): { mean: Stats; std: Stats } {
    return { mean: [...this.mean], std: [...this.std] };
  }

  /** The normalisation an export records, or null where it records none. */
  static fromDescription(d: { mean?: Stats; std?: Stats }): NormalizeTransform | null {
    return d.mean && d.std ? new NormalizeTransform(d.mean, d.std) : null;
  }

  apply(x: Tensor): Tensor {
    return normalizeOps(x, this.mean, this.std);
  }

  /** The inverse, for showing images. */
  decode(x: Tensor): Tensor {
    return noGrad(() => {
      const stat = (v: Stats) => tensor(Float32Array.from(v), { shape: [1, 3, 1, 1] }).to({ dtype: x.dtype, device: x.device });
      return x.mul(stat(this.std)).add_(stat(this.mean));
    });
  }
}

export function Normalize(mean: Stats = imagenetStats.mean, std: Stats = imagenetStats.std): NormalizeTransform {
  return new NormalizeTransform(mean, std);
}
