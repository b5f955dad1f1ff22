/**
 * Batch transforms: fastai's `batch_tfms`, applied to a whole batch of float images [bs, 3, h, w]
 * (values in [0, 1]) at once, on the batch's device.
 *
 * `augTransforms()` is fastai's `aug_transforms()` with its defaults: flip (p 0.5), warp (0.2), rotate
 * (±10°) and zoom (1–1.1), each of the last three with probability `pAffine` 0.75 — all merged into
 * one affine grid (plus the warp's perspective) and one `grid_sample` (bilinear, reflection padding,
 * align_corners, as fastai); then brightness and contrast (0.2, probability `pLighting` 0.75) in
 * logit space. They change only the training set; validation batches pass unchanged.
 * `Normalize(mean, std)` runs last (order 99) on both sets.
 *
 * The random draws come from the loader's seeded generator, one set per image (fastai's default
 * `batch=False`), so a seed gives the same augmentations on every run.
 */
import { keep, noGrad, ops, tensor, type Tensor } from '../engine/index.js';
import type { RandomState } from '../engine/index.js';
import { findCoeffs, projectiveGrid, type GridSpec } from './grid.js';

export { findCoeffs, projectiveGrid, gridFromSpec, type GridSpec } from './grid.js';

export interface BatchContext {
  /** True for the training set (augmentations apply), false for validation and test sets. */
  train: boolean;
  rng: RandomState;
  /**
   * What `prepare` drew for this batch, and the grid a decoding worker built from it (for the
   * batch's images, in order): set by the loader for the transform that has `prepare`.
   */
  prepared?: { transform: BatchTransform; draw: unknown; grid: Float32Array; keep: readonly number[] };
}

/** A transform of whole batches; `order` sorts them, as fastai's. */
export interface BatchTransform {
  readonly name: string;
  readonly order: number;
  apply(x: Tensor, ctx: BatchContext): Tensor;
  /**
   * Optional: draws a training batch's random parameters ahead of time, when the loader sends the
   * batch to a worker, and says what grid the worker should build (`n` images of h×w).
   */
  prepare?(n: number, h: number, w: number, rng: RandomState): { draw: unknown; spec: GridSpec };
}

export type GridPadMode = 'reflection' | 'zeros' | 'border';
export type InterpolationMode = 'bilinear' | 'nearest' | 'bicubic';
const PAD_CODE: Record<GridPadMode, number> = { zeros: 0, border: 1, reflection: 2 };
const MODE_CODE: Record<InterpolationMode, number> = { bilinear: 0, nearest: 1, bicubic: 2 };

type Mat3 = [number, number, number, number, number, number, number, number, number];
const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

function matmul3(a: Mat3, b: Mat3): Mat3 {
  const r = new Array(9).fill(0) as Mat3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j] += a[i * 3 + k]! * b[k * 3 + j]!;
  return r;
}

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

/** The random parameters an affine transform drew for one batch (exposed for tests). */
export interface AffineDraw {
  mats: Mat3[];
  warp: { x: number; y: number }[] | null;
}

/**
 * fastai's merged `AffineCoordTfm` (Flip/Dihedral, Rotate, Zoom) and `Warp` (`_WarpCoord`): one
 * `affine_grid_generator`, the perspective warp on the grid's coordinates, one `grid_sampler`.
 */
export class AffineTransform implements BatchTransform {
  readonly name = 'AffineTransform';
  readonly order = 30;
  readonly options: Required<Omit<AffineOptions, 'size'>> & { size?: [number, number] };
  lastDraw: AffineDraw | null = null;

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

  /** The grid of a draw for images of h×w: fastai's `_prepare_mat`, and the warp's perspective. */
  spec(draw: AffineDraw, h: number, w: number): GridSpec {
    const o = this.options;
    const [oh, ow] = o.size ?? [h, w];
    const orig: [number, number][] = [[-1, -1], [-1, 1], [1, -1], [1, 1]];
    return {
      // the matrix acts on coordinates scaled to [-1, 1] on each axis
      thetas: draw.mats.map((m) => [m[0], m[1] * (h / w), m[2], m[3] * (w / h), m[4], m[5]]),
      perspective: draw.mats.map((_, i) => {
        const p = draw.warp?.[i];
        if (!p || (p.x === 0 && p.y === 0)) return null;
        return [...findCoeffs(orig, [[-1 - p.y, -1 - p.x], [-1 + p.y, 1 + p.x], [1 + p.y, -1 + p.x], [1 - p.y, 1 - p.x]]), 1];
      }),
      h: oh,
      w: ow,
      alignCorners: o.alignCorners,
    };
  }

  prepare(n: number, h: number, w: number, rng: RandomState): { draw: AffineDraw; spec: GridSpec } {
    const draw = this.draw(n, rng);
    return { draw, spec: this.spec(draw, h, w) };
  }

  apply(x: Tensor, ctx: BatchContext): Tensor {
    const [bs, c, h, w] = x.shape as [number, number, number, number];
    const o = this.options;
    const [oh, ow] = o.size ?? [h, w];
    const prepared = ctx.train && ctx.prepared?.transform === this ? ctx.prepared : undefined;
    if (!ctx.train) {
      if (oh === h && ow === w) return x;
      this.lastDraw = { mats: new Array(bs).fill(IDENTITY), warp: null };
    } else if (prepared) {
      const d = prepared.draw as AffineDraw;
      this.lastDraw = { mats: prepared.keep.map((i) => d.mats[i]!), warp: d.warp ? prepared.keep.map((i) => d.warp![i]!) : null };
    } else {
      this.lastDraw = this.draw(bs, ctx.rng);
    }
    return noGrad(() => {
      let grid: Tensor;
      if (prepared && prepared.grid.length === bs * oh * ow * 2) {
        grid = tensor(prepared.grid, { shape: [bs, oh, ow, 2] }).to({ dtype: x.dtype, device: x.device });
      } else {
        const spec = this.spec(this.lastDraw!, h, w);
        if (x.device === 'cpu' && !this.tensorGrid) {
          grid = tensor(projectiveGrid(spec.thetas, spec.perspective, oh, ow, o.alignCorners), { shape: [bs, oh, ow, 2] });
          if (x.dtype !== 'float32') grid = grid.to(x.dtype);
        } else {
          const thetaT = tensor(Float32Array.from(spec.thetas.flat()), { shape: [bs, 2, 3] }).to({ dtype: x.dtype, device: x.device });
          grid = ops.affine_grid_generator(thetaT, [bs, c, oh, ow], o.alignCorners);
          if (spec.perspective.some((p) => p !== null)) {
            const M = Float32Array.from(spec.perspective.flatMap((p) => p ?? [1, 0, 0, 0, 1, 0, 0, 0, 1]));
            const Mt = tensor(M, { shape: [bs, 3, 3] }).to({ dtype: x.dtype, device: x.device });
            const flat = grid.view(bs, -1, 2);
            // apply_perspective: [x, y, 1] @ M^T, then divide by the third coordinate.
            const hom = flat.matmul(Mt.narrow(2, 0, 2).transpose(1, 2)).add(Mt.select(2, 2).unsqueeze(1));
            grid = hom.narrow(2, 0, 2).div(hom.narrow(2, 2, 1)).view(bs, oh, ow, 2);
          }
        }
      }
      return ops.grid_sampler(x, grid, MODE_CODE[o.mode], PAD_CODE[o.padMode], o.alignCorners);
    });
  }

  /**
   * Build the sampling grid with libtorch ops (affine_grid_generator, then the perspective as a
   * matmul), as fastai does, instead of in JavaScript. The JavaScript grid is the default on the CPU:
   * the same numbers (the affine and the perspective composed into one projective map per image),
   * several times faster there.
   */
  tensorGrid = false;
}

export interface LightingOptions {
  maxLighting?: number;
  pLighting?: number;
  batch?: boolean;
}

/**
 * fastai's merged `Brightness` and `Contrast` (a `LightingTfm`): `sigmoid((logit(x) + logit(b)) * c)`
 * with b drawn in 0.5·(1 ± maxLighting) and log c in ±log(1 − maxLighting), each with probability
 * `pLighting` (else neutral: b = 0.5, c = 1).
 */
export class LightingTransform implements BatchTransform {
  readonly name = 'LightingTransform';
  readonly order = 40;
  readonly maxLighting: number;
  readonly pLighting: number;
  readonly batch: boolean;
  lastDraw: { brightness: number[]; contrast: number[] } | null = null;

  constructor(options: LightingOptions = {}) {
    this.maxLighting = options.maxLighting ?? 0.2;
    this.pLighting = options.pLighting ?? 0.75;
    this.batch = options.batch ?? false;
    if (!(this.maxLighting >= 0 && this.maxLighting < 1)) throw new RangeError(`maxLighting must be in [0, 1), got ${this.maxLighting}`);
  }

  /** Draws `bs` images' brightness (in (0, 1), neutral 0.5) and contrast (neutral 1). */
  draw(bs: number, rng: RandomState): { brightness: number[]; contrast: number[] } {
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

  apply(x: Tensor, ctx: BatchContext): Tensor {
    if (!ctx.train || this.maxLighting === 0) return x;
    const bs = x.shape[0]!;
    const { brightness, contrast } = this.draw(bs, ctx.rng);
    this.lastDraw = { brightness, contrast };
    return noGrad(() => {
      const b = tensor(Float32Array.from(brightness, (v) => Math.log(v / (1 - v))), { shape: [bs, 1, 1, 1] }).to({ dtype: x.dtype, device: x.device });
      const cT = tensor(Float32Array.from(contrast), { shape: [bs, 1, 1, 1] }).to({ dtype: x.dtype, device: x.device });
      return ops.sigmoid_(ops.logit(x, 1e-7).add_(b).mul_(cT));
    });
  }
}

export interface AugTransformsOptions {
  /** Multiplies maxRotate, maxLighting and maxWarp (default 1). */
  mult?: number;
  doFlip?: boolean;
  flipVert?: boolean;
  maxRotate?: number;
  minZoom?: number;
  maxZoom?: number;
  maxLighting?: number;
  maxWarp?: number;
  pAffine?: number;
  pLighting?: number;
  /** Extra batch transforms, after these. */
  xtraTfms?: BatchTransform[];
  size?: number | [number, number];
  mode?: InterpolationMode;
  padMode?: GridPadMode;
  alignCorners?: boolean;
  batch?: boolean;
}

/** fastai's `aug_transforms()`, with its defaults (see the top of this file). */
export function augTransforms(options: AugTransformsOptions = {}): BatchTransform[] {
  const mult = options.mult ?? 1;
  const maxRotate = (options.maxRotate ?? 10) * mult;
  const maxLighting = (options.maxLighting ?? 0.2) * mult;
  const maxWarp = (options.maxWarp ?? 0.2) * mult;
  const size: [number, number] | undefined = options.size === undefined ? undefined : typeof options.size === 'number' ? [options.size, options.size] : options.size;
  const res: BatchTransform[] = [];
  const affine = new AffineTransform({
    doFlip: options.doFlip ?? true, flipVert: options.flipVert ?? false, maxRotate, minZoom: options.minZoom ?? 1,
    maxZoom: options.maxZoom ?? 1.1, maxWarp, pAffine: options.pAffine ?? 0.75, mode: options.mode ?? 'bilinear',
    padMode: options.padMode ?? 'reflection', alignCorners: options.alignCorners ?? true, batch: options.batch ?? false,
    ...(size ? { size } : {}),
  });
  const o = affine.options;
  if (o.doFlip || o.flipVert || o.maxRotate || o.maxWarp || o.minZoom < 1 || o.maxZoom > 1 || size) res.push(affine);
  if (maxLighting) res.push(new LightingTransform({ maxLighting, pLighting: options.pLighting ?? 0.75, batch: options.batch ?? false }));
  return [...res, ...(options.xtraTfms ?? [])];
}

/** ImageNet's channel means and standard deviations (fastai's `imagenet_stats`). */
export const imagenetStats: { mean: [number, number, number]; std: [number, number, number] } = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

/** fastai's `Normalize.from_stats(mean, std)`: `(x - mean) / std` per channel, on every set (order 99). */
export class NormalizeTransform implements BatchTransform {
  readonly name = 'Normalize';
  readonly order = 99;
  #cache = new Map<string, [Tensor, Tensor]>();
  constructor(readonly mean: [number, number, number], readonly std: [number, number, number]) {
    if (std.some((s) => !(s > 0))) throw new RangeError(`Normalize: every std must be positive, got [${std.join(', ')}]`);
  }

  #stats(x: Tensor): [Tensor, Tensor] {
    const key = `${x.dtype}@${x.device}`;
    let s = this.#cache.get(key);
    if (!s) {
      // Cached across batches: kept out of the caller's tidy() scope.
      s = [
        keep(tensor(Float32Array.from(this.mean), { shape: [1, 3, 1, 1] }).to({ dtype: x.dtype, device: x.device })),
        keep(tensor(Float32Array.from(this.std), { shape: [1, 3, 1, 1] }).to({ dtype: x.dtype, device: x.device })),
      ];
      this.#cache.set(key, s);
    }
    return s;
  }

  apply(x: Tensor): Tensor {
    const [m, s] = this.#stats(x);
    return noGrad(() => x.sub(m).div_(s));
  }

  /** The inverse, for showing images. */
  decode(x: Tensor): Tensor {
    const [m, s] = this.#stats(x);
    return noGrad(() => x.mul(s).add_(m));
  }
}

export function Normalize(mean: [number, number, number] = imagenetStats.mean, std: [number, number, number] = imagenetStats.std): NormalizeTransform {
  return new NormalizeTransform(mean, std);
}
