/**
 * The libtorch executor of an augmentation plan: the reference, and the way for batches on a GPU.
 * It does what fastai does, op for op: `affine_grid_generator`, the warp's perspective on the
 * grid's coordinates, one `grid_sampler`; lighting in logit space; the normalisation.
 */
import { noGrad, ops, tensor, type Tensor } from '../engine/index.js';
import { affineGeometry } from './affine-geometry.js';
import type { AffineStep, AugmentPlan, LightingStep } from './augment-plan.js';
import type { BatchContext, BatchTransform, GridPadMode, InterpolationMode } from './batch-transform.js';

const PAD_CODE: Record<GridPadMode, number> = { zeros: 0, border: 1, reflection: 2 };
const MODE_CODE: Record<InterpolationMode, number> = { bilinear: 0, nearest: 1, bicubic: 2 };

/** The affine resample of a batch [bs, c, h, w]. */
export function affineOps(x: Tensor, step: AffineStep): Tensor {
  const [bs, c, h, w] = x.shape as [number, number, number, number];
  const [oh, ow] = step.size ?? [h, w];
  if (step.identity && oh === h && ow === w) return x;
  const g = affineGeometry(step.draw, h, w);
  return noGrad(() => {
    const thetaT = tensor(Float32Array.from(g.thetas.flat()), { shape: [bs, 2, 3] }).to({ dtype: x.dtype, device: x.device });
    let grid = ops.affine_grid_generator(thetaT, [bs, c, oh, ow], step.alignCorners);
    if (g.perspective.some((p) => p !== null)) {
      const M = Float32Array.from(g.perspective.flatMap((p) => p ?? [1, 0, 0, 0, 1, 0, 0, 0, 1]));
      const Mt = tensor(M, { shape: [bs, 3, 3] }).to({ dtype: x.dtype, device: x.device });
      const flat = grid.view(bs, -1, 2);
      // apply_perspective: [x, y, 1] @ M^T, then divide by the third coordinate.
      const hom = flat.matmul(Mt.narrow(2, 0, 2).transpose(1, 2)).add(Mt.select(2, 2).unsqueeze(1));
      grid = hom.narrow(2, 0, 2).div(hom.narrow(2, 2, 1)).view(bs, oh, ow, 2);
    }
    return ops.grid_sampler(x, grid, MODE_CODE[step.mode], PAD_CODE[step.padMode], step.alignCorners);
  });
}

/** fastai's lighting: `sigmoid((logit(x) + logit(b)) * c)` per image. */
export function lightingOps(x: Tensor, step: LightingStep): Tensor {
  const bs = x.shape[0]!;
  return noGrad(() => {
    const b = tensor(Float32Array.from(step.brightness, (v) => Math.log(v / (1 - v))), { shape: [bs, 1, 1, 1] }).to({ dtype: x.dtype, device: x.device });
    const cT = tensor(Float32Array.from(step.contrast), { shape: [bs, 1, 1, 1] }).to({ dtype: x.dtype, device: x.device });
    return ops.sigmoid_(ops.logit(x, 1e-7).add_(b).mul_(cT));
  });
}

/** `(x - mean) / std` per channel. */
export function normalizeOps(x: Tensor, mean: readonly number[], std: readonly number[]): Tensor {
  return noGrad(() => {
    const m = tensor(Float32Array.from(mean), { shape: [1, 3, 1, 1] }).to({ dtype: x.dtype, device: x.device });
    const s = tensor(Float32Array.from(std), { shape: [1, 3, 1, 1] }).to({ dtype: x.dtype, device: x.device });
    return x.sub(m).div_(s);
  });
}

/** Carries out `plan` on a float batch in [0, 1]; `tfms` are the loader's (for the custom steps). */
export function runOps(x: Tensor, plan: AugmentPlan, tfms: readonly BatchTransform[], ctx: BatchContext): Tensor {
  let t = x;
  for (const s of plan.steps) {
    if (s.kind === 'affine') t = affineOps(t, s);
    else if (s.kind === 'lighting') t = lightingOps(t, s);
    else t = tfms[s.index]!.apply(t, ctx);
  }
  return plan.normalize ? normalizeOps(t, plan.normalize.mean, plan.normalize.std) : t;
}
