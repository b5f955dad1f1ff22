/**
 * fastai's merged `Brightness` and `Contrast` (a `LightingTfm`): `sigmoid((logit(x) + logit(b)) * c)`
 * with b drawn in 0.5·(1 ± maxLighting) and log c in ±log(1 − maxLighting), each with probability
 * `pLighting` (else neutral: b = 0.5, c = 1). Training only. The transform holds only its options; a
 * batch's draws are in its augmentation plan.
 */
import type { RandomState, Tensor } from '../engine/index.js';
import type { BatchContext, BatchTransform } from './batch-transform.js';
import { lightingOps } from './executor-ops.js';

export interface LightingOptions {
  maxLighting?: number;
  pLighting?: number;
  batch?: boolean;
}

/** Per image: brightness in (0, 1) (neutral 0.5) and contrast (neutral 1). */
export interface LightingDraw {
  brightness: number[];
  contrast: number[];
}

export class LightingTransform implements BatchTransform {
  readonly name = 'LightingTransform';
  readonly order = 40;
  readonly maxLighting: number;
  readonly pLighting: number;
  readonly batch: boolean;

  constructor(options: LightingOptions = {}) {
    this.maxLighting = options.maxLighting ?? 0.2;
    this.pLighting = options.pLighting ?? 0.75;
    this.batch = options.batch ?? false;
    if (!(this.maxLighting >= 0 && this.maxLighting < 1)) throw new RangeError(`maxLighting must be in [0, 1), got ${this.maxLighting}`);
  }

  /** Its options as plain JSON, for an export file (`fromDescription` reads them back). */
  describe(): Record<string, unknown> {
    return { maxLighting: this.maxLighting, pLighting: this.pLighting, batch: this.batch };
  }

  static fromDescription(d: Record<string, unknown>): LightingTransform {
    return new LightingTransform(d as LightingOptions);
  }

  /** Draws `bs` images' brightness and contrast. */
  draw(bs: number, rng: RandomState): LightingDraw {
    const L = this.maxLighting;
    const per = (f: () => number, neutral: number): number[] => {
      const one = () => {
        const v = f();
        return rng.random() < this.pLighting ? v : neutral;
      };
      if (this.batch) return new Array(bs).fill(one());
      return Array.from({ length: bs }, one);
    };
    const brightness = per(() => 0.5 * (1 - L) + L * rng.random(), 0.5);
    const lo = Math.log(1 - L);
    const contrast = per(() => Math.exp(lo + -2 * lo * rng.random()), 1);
    return { brightness, contrast };
  }

  /** Draws and applies it with the libtorch executor (a loader instead draws a whole plan ahead). */
  apply(x: Tensor, ctx: BatchContext): Tensor {
    if (!ctx.train || this.maxLighting === 0) return x;
    return lightingOps(x, { kind: 'lighting', ...this.draw(x.shape[0]!, ctx.rng) });
  }
}
