/**
 * Multiply-adds of one forward pass, counted by walking the module tree with forward hooks (as
 * fvcore and timm's `profile_fvcore` do): each Conv2d adds output elements × in-channels per group ×
 * kernel area, each Linear output elements × in-features, and a module called `Attention` (timm's
 * ViT attention, whose two matmuls are no module of their own) gets q·kᵀ and attn·v: 2 × batch ×
 * tokens² × width. Bias additions, norms, activations and pooling are not counted, as in the
 * GMACs timm publishes (resnet50 at 224 px: 4.1 G).
 */
import { noGrad, type Tensor } from '../engine/index.js';
import { Conv2d } from './layers/conv.js';
import { Linear } from './layers/linear.js';
import type { AnyModule, RemovableHandle } from './module-types.js';

export interface MacCount {
  /** Multiply-adds of the whole pass (for the input's batch). */
  total: number;
  /** Multiply-adds by kind of module. */
  byKind: { conv: number; linear: number; matmul: number };
}

function shapeOf(t: unknown): number[] | null {
  return t !== null && typeof t === 'object' && 'shape' in t && Array.isArray((t as Tensor).shape) ? (t as Tensor).shape : null;
}

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The multiply-adds one module adds for an input and output (0 for modules that hold no matmul of their own). */
export function moduleMacs(m: AnyModule, args: unknown[], output: unknown): { kind: keyof MacCount['byKind']; macs: number } | null {
  const out = shapeOf(output);
  if (out === null) return null;
  if (m instanceof Conv2d) return { kind: 'conv', macs: product(out) * (m.inChannels / m.groups) * m.kernelSize[0] * m.kernelSize[1] };
  if (m instanceof Linear) return { kind: 'linear', macs: product(out) * m.inFeatures };
  if (m.constructor.name === 'Attention') {
    const x = shapeOf(args[0]);
    if (x !== null && x.length === 3) return { kind: 'matmul', macs: 2 * x[0]! * x[1]! * x[1]! * x[2]! };
  }
  return null;
}

/** Runs `model` once on `input` (no gradients, as it is: call `eval()` first) and counts its multiply-adds. */
export function countMacs(model: AnyModule, input: Tensor): MacCount {
  const count: MacCount = { total: 0, byKind: { conv: 0, linear: 0, matmul: 0 } };
  const handles: RemovableHandle[] = [];
  for (const [, m] of model.namedModules()) {
    handles.push(m.registerForwardHook((mod, args, output) => {
      const r = moduleMacs(mod, args, output);
      if (r !== null) {
        count.byKind[r.kind] += r.macs;
        count.total += r.macs;
      }
      return undefined;
    }));
  }
  try {
    noGrad(() => {
      const y: unknown = model.call(input);
      if (y !== null && typeof y === 'object' && 'dispose' in y) (y as Tensor).dispose();
    });
  } finally {
    for (const h of handles) h.remove();
  }
  return count;
}
