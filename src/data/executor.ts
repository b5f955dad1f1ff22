/**
 * Which executor carries out a loader's augmentation plans (augment-plan.ts), chosen in one place:
 * - 'ops': libtorch ops on the main thread (executor-ops.ts) — the reference, and the only one for
 *   batches on a GPU or with a batch transform of the user's own;
 * - 'fused': the native pass in the decoding worker (executor-fused.ts) — the default on the CPU
 *   where it can run: fastai's `augTransforms()` pair (an AffineTransform, bilinear with reflection
 *   padding, then a LightingTransform, either or both) and the normalisation, and the image addon
 *   built.
 * A loader's `executor` option picks one explicitly; asking for 'fused' where it cannot run is an
 * error, not a silent fallback.
 */
import { AffineTransform } from './affine.js';
import type { BatchTransform } from './batch-transform.js';
import { imageAddon } from './image-addon.js';
import { LightingTransform } from './lighting.js';

export type Executor = 'ops' | 'fused';

/** Why the fused executor cannot run these transforms (sorted by order) on `device`, or null when it can. */
export function whyNotFused(tfms: readonly BatchTransform[], device: string): string | null {
  if (device !== 'cpu') return `the batches are on '${device}' (the fused executor works on the CPU)`;
  let affine = false;
  let lighting = false;
  for (const t of tfms) {
    if (t instanceof AffineTransform) {
      if (affine || lighting) return 'an affine transform after another transform';
      if (t.options.mode !== 'bilinear' || t.options.padMode !== 'reflection') return `an affine transform with mode '${t.options.mode}' and padMode '${t.options.padMode}' (it does bilinear with reflection)`;
      affine = true;
    } else if (t instanceof LightingTransform) {
      if (lighting) return 'two lighting transforms';
      lighting = true;
    } else {
      return `the batch transform '${t.name}' (only the libtorch executor runs a transform of its own)`;
    }
  }
  return imageAddon() === null ? 'the image addon (build/Release/owlet_image.node) is not built' : null;
}

/** The executor a loader uses: `requested` when given (checked), else 'fused' where it can run, else 'ops'. */
export function chooseExecutor(tfms: readonly BatchTransform[], device: string, requested?: Executor): Executor {
  if (requested === 'ops') return 'ops';
  const why = whyNotFused(tfms, device);
  if (requested === 'fused' && why !== null) throw new Error(`the fused executor cannot run this loader's batch transforms: ${why}`);
  return why === null ? 'fused' : 'ops';
}
