/**
 * Converting a module tree in place (`Module.to` and its shorthands): a dtype for floating-point
 * tensors, a device, a memory format for 4-d and 5-d ones.
 */
import type { DType } from '../engine/dtype.js';
import { isFloating, parseDType } from '../engine/dtype.js';
import { noGrad, Tensor, type MemoryFormat } from '../engine/index.js';
import { slotsOf } from './module-slots.js';
import type { AnyModule, ModuleTarget } from './module-types.js';

/** Converts the parameters and buffers of `root` and all below it to `target` (the body of `Module.to`). */
export function moduleTo(root: AnyModule, target: ModuleTarget): void {
  let dtype: DType | undefined;
  let device: string | undefined;
  let memoryFormat: MemoryFormat | undefined;
  if (typeof target === 'string') {
    if (isDTypeName(target)) dtype = parseDType(target);
    else device = target;
  } else ({ dtype, device, memoryFormat } = target);
  if (dtype !== undefined && !isFloating(dtype))
    throw new TypeError(`Module.to only accepts floating point dtypes, but got desired dtype=${dtype}`);
  const convert = (t: Tensor): Tensor => {
    const mf = memoryFormat !== undefined && (t.dim() === 4 || t.dim() === 5) ? memoryFormat : undefined;
    const d = dtype !== undefined && isFloating(t.dtype) ? dtype : t.dtype;
    const sameDevice = device === undefined || sameDev(device, t.device);
    if (d === t.dtype && sameDevice) {
      if (mf === undefined || mf === 'preserve' || t.isContiguous(mf)) return t;
      return t.setData_(t.contiguous(mf));
    }
    // PyTorch's `param.data = param.to(...)`: the same tensor objects, so references stay valid.
    return t.setData_(t.to({ dtype: d, device: device ?? t.device, memoryFormat: mf }));
  };
  noGrad(() => {
    for (const m of root.modules()) applyToTensors(m, convert);
  });
}

/** Replaces each parameter and buffer by `fn(t)` (unless it returns `t`), carrying grads and fields along. */
function applyToTensors(m: AnyModule, fn: (t: Tensor) => Tensor): void {
  const slots = slotsOf(m);
  const replaced = new Map<Tensor, Tensor>();
  for (const [name, p] of slots.parameters) {
    if (p === null) continue;
    const q = fn(p);
    const g = p.grad;
    if (q !== p) {
      const fresh = q.detach().requiresGrad_(p.requiresGrad);
      if (g !== null) fresh.grad = fn(g).detach();
      slots.parameters.set(name, fresh);
      replaced.set(p, fresh);
    } else if (g !== null) {
      const g2 = fn(g);
      if (g2 !== g) p.grad = g2.detach();
    }
  }
  for (const [name, b] of slots.buffers) {
    if (b === null) continue;
    const q = fn(b);
    if (q !== b) {
      slots.buffers.set(name, q);
      replaced.set(b, q);
    }
  }
  if (replaced.size === 0) return;
  const self = m as unknown as Record<string, unknown>;
  for (const key of Object.keys(m)) {
    const v = self[key];
    if (v instanceof Tensor && replaced.has(v)) self[key] = replaced.get(v);
  }
}

function isDTypeName(s: string): boolean {
  try {
    parseDType(s);
    return true;
  } catch {
    return false;
  }
}

function sameDev(a: string, b: string): boolean {
  const norm = (d: string) => (d === 'cuda' ? 'cuda:0' : d);
  return norm(a) === norm(b);
}
