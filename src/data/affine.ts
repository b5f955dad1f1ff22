/**
 * fastai's merged `AffineCoordTfm` (Flip/Dihedral, Rotate, Zoom) and `Warp` (`_WarpCoord`), and the
 * batch resize of `aug_transforms(size=…)`: one sampling grid and one resample per batch (bilinear,
 * reflection padding, align_corners, as fastai). The transform holds only its options: a batch's
 * draws are plain data in its augmentation plan (augment-plan.ts), carried out by an executor.
 */
import type { RandomState, Tensor } from '../engine/index.js';
import { IDENTITY, matmul3, type AffineDraw, type Mat3 } from './affine-geometry.js';
import type { BatchContext, BatchTransform, GridPadMode, InterpolationMode } from './batch-transform.js';
import { affineOps } from './executor-ops.js';

export type { AffineDraw } from './affine-geometry.js';

export interface AffineOptions {
  /** Horizontal flip with probability 0.5 (default true). */
  doFlip?: boolean;
  /** The 8 dihedral transforms instead of the flip (default false). */
  flipVert?: boolean;
  maxRotate?: number;
  minZoom?: number;
  maxZoom?: number;
  maxWarp?: number;
  pAffine?: number;
  /** Output size [h, w] (default: the input's). */
  size?: [number, number];
  mode?: InterpolationMode;
  padMode?: GridPadMode;
  alignCorners?: boolean;
  /** One draw for the whole batch instead of one per image (fastai's `batch=True`). */
  batch?: boolean;
}

/** The batch resize an export records (what validation does: `size`, sampled with these options). */
export interface BatchResizeDescription {
  size: [number, number];
  mode: InterpolationMode;
  padMode: GridPadMode;
  alignCorners: boolean;
}

export class AffineTransform implements BatchTransform {
  readonly name = 'AffineTransform';
  readonly order = 30;
  readonly options: Required<Omit<AffineOptions, 'size'>> & { size?: [number, number] };

  constructor(options: AffineOptions = {}) {
    this.options = {
      doFlip: options.doFlip ?? true,
      flipVert: options.flipVert ?? false,
      maxRotate: options.maxRotate ?? 10,
      minZoom: options.minZoom ?? 1,
      maxZoom: options.maxZoom ?? 1.1,
      maxWarp: options.maxWarp ?? 0.2,
      pAffine: options.pAffine ?? 0.75,
      mode: options.mode ?? 'bilinear',
      padMode: options.padMode ?? 'reflection',
      alignCorners: options.alignCorners ?? true,
      batch: options.batch ?? false,
      ...(options.size ? { size: options.size } : {}),
    };
    if (this.options.minZoom > this.options.maxZoom) throw new RangeError(`minZoom (${this.options.minZoom}) is above maxZoom (${this.options.maxZoom})`);
  }

  /** A transform that only resizes (validation's part of one with `size`), from an export's description. */
  static resizeOnly(d: BatchResizeDescription): AffineTransform {
    return new AffineTransform({ doFlip: false, maxRotate: 0, minZoom: 1, maxZoom: 1, maxWarp: 0, size: d.size, mode: d.mode, padMode: d.padMode, alignCorners: d.alignCorners });
  }

  /** Its options as plain JSON, for an export file (`fromDescription` reads them back). */
  describe(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.options)) as Record<string, unknown>;
  }

  static fromDescription(d: Record<string, unknown>): AffineTransform {
    return new AffineTransform(d as AffineOptions);
  }

  /** The batch resize it does, for an export file; undefined without `size`. */
  describeResize(): BatchResizeDescription | undefined {
    const o = this.options;
    return o.size ? { size: [...o.size], mode: o.mode, padMode: o.padMode, alignCorners: o.alignCorners } : undefined;
  }

  /** Draws each image's matrix (fastai's flip_mat @ rotate_mat @ zoom_mat) and warp. */
  draw(bs: number, rng: RandomState): AffineDraw {
    const o = this.options;
    const perItem = (f: () => number): number[] => {
      if (o.batch) {
        const v = f();
        return new Array(bs).fill(v);
      }
      return Array.from({ length: bs }, f);
    };
    const mask = (p: number, value: () => number, neutral: number) => perItem(() => {
      const v = value();
      return p === 1 || rng.random() < p ? v : neutral;
    });
    const mats: Mat3[] = new Array(bs).fill(IDENTITY);
    if (o.doFlip && !o.flipVert) {
      const m = mask(0.5, () => -1, 1);
      for (let i = 0; i < bs; i++) mats[i] = matmul3(mats[i]!, [m[i]!, 0, 0, 0, 1, 0, 0, 0, 1]);
    } else if (o.flipVert) {
      const idx = mask(0.5, () => Math.floor(rng.random() * 8), 0);
      const xs = [1, -1, 1, -1, -1, 1, 1, -1], ys = [1, 1, -1, 1, -1, -1, 1, -1];
      const m0 = [1, 1, 1, 0, 1, 0, 0, 0], m1 = [0, 0, 0, 1, 0, 1, 1, 1];
      for (let i = 0; i < bs; i++) {
        const k = idx[i]!;
        mats[i] = matmul3(mats[i]!, [xs[k]! * m0[k]!, xs[k]! * m1[k]!, 0, ys[k]! * m1[k]!, ys[k]! * m0[k]!, 0, 0, 0, 1]);
      }
    }
    let warp: { x: number; y: number }[] | null = null;
    if (o.maxWarp) {
      const u = () => -o.maxWarp + 2 * o.maxWarp * rng.random();
      const xt = mask(o.pAffine, u, 0);
      const yt = mask(o.pAffine, u, 0);
      warp = xt.map((x, i) => ({ x, y: yt[i]! }));
    }
    if (o.maxRotate) {
      const th = mask(o.pAffine, () => -o.maxRotate + 2 * o.maxRotate * rng.random(), 0).map((d) => (d * Math.PI) / 180);
      for (let i = 0; i < bs; i++) {
        const c = Math.cos(th[i]!), s = Math.sin(th[i]!);
        mats[i] = matmul3(mats[i]!, [c, s, 0, -s, c, 0, 0, 0, 1]);
      }
    }
    if (o.minZoom < 1 || o.maxZoom > 1) {
      const z = mask(o.pAffine, () => o.minZoom + (o.maxZoom - o.minZoom) * rng.random(), 1);
      const col = perItem(() => rng.random());
      const row = perItem(() => rng.random());
      for (let i = 0; i < bs; i++) {
        const s = 1 / z[i]!;
        mats[i] = matmul3(mats[i]!, [s, 0, (1 - s) * (2 * col[i]! - 1), 0, s, (1 - s) * (2 * row[i]! - 1), 0, 0, 1]);
      }
    }
    return { mats, warp };
  }

  /** Draws and applies it with the libtorch executor (a loader instead draws a whole plan ahead). */
  apply(x: Tensor, ctx: BatchContext): Tensor {
    const o = this.options;
    const base = { size: o.size ?? null, mode: o.mode, padMode: o.padMode, alignCorners: o.alignCorners };
    const bs = x.shape[0]!;
    if (!ctx.train) return o.size ? affineOps(x, { kind: 'affine', draw: { mats: new Array(bs).fill(IDENTITY), warp: null }, identity: true, ...base }) : x;
    return affineOps(x, { kind: 'affine', draw: this.draw(bs, ctx.rng), identity: false, ...base });
  }
}
