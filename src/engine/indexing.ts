/**
 * Python's indexing for tensors: integers, slices (`'1:3'`, `'::2'`, `slice(1, 3)`), `null` for a new
 * axis, `'...'`, and integer or boolean tensors (advanced indexing), as `t[...]` does in PyTorch.
 */
import * as ops from './ops.generated.js';
import type { Tensor, TensorLike } from './tensor-core.js';

export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

export type IndexSpec = number | string | null | Slice | Tensor;

/** Python's `slice(start, stop, step)`. */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  return { start: start ?? null, stop: stop ?? null, step: step ?? null };
}

const INT64_MAX = Number.MAX_SAFE_INTEGER;

function parseSlice(s: string): Slice | '...' {
  const text = s.trim();
  if (text === '...') return '...';
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3)
    throw new TypeError(`index '${s}' is not a slice: write 'start:stop' or 'start:stop:step' (parts may be empty), or '...'`);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p.trim() === '') return null;
    const n = Number(p);
    if (!Number.isInteger(n)) throw new TypeError(`index '${s}': '${p}' is not an integer`);
    return n;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'handle' in x && 'shape' in x;
}

/** How many of the tensor's dimensions a spec consumes. */
function consumed(spec: IndexSpec | '...'): number {
  if (spec === null || spec === '...') return 0;
  if (isTensor(spec)) return spec.dtype === 'bool' || spec.dtype === 'uint8' ? spec.dim() : 1;
  return 1;
}

interface Applied {
  view: Tensor;
  tensorIndices: (Tensor | null)[] | null;
}

function applyBasic(t: Tensor, rawSpecs: readonly IndexSpec[]): Applied {
  const specs: (IndexSpec | '...')[] = rawSpecs.map((s) => (typeof s === 'string' ? parseSlice(s) : s));
  const ellipses = specs.filter((s) => s === '...').length;
  if (ellipses > 1) throw new TypeError('an index can only have a single ellipsis (...)');
  const ndim = t.dim();
  const used = specs.reduce<number>((n, s) => n + consumed(s), 0);
  if (used > ndim)
    throw new RangeError(`too many indices for a tensor of dimension ${ndim}: the index uses ${used} dimensions (shape [${t.shape.join(', ')}])`);
  let view = t;
  let dim = 0;
  const tensorIndices: (Tensor | null)[] = [];
  let hasTensor = false;
  for (const spec of specs) {
    if (spec === '...') {
      const skip = ndim - used;
      for (let i = 0; i < skip; i++) tensorIndices.push(null);
      dim += skip;
    } else if (spec === null) {
      view = ops.unsqueeze(view, dim);
      tensorIndices.push(null);
      dim++;
    } else if (typeof spec === 'number') {
      if (!Number.isInteger(spec)) throw new TypeError(`index ${spec} is not an integer`);
      const size = view.size(dim);
      if (spec >= size || spec < -size)
        throw new RangeError(`index ${spec} is out of bounds for dimension ${dim} with size ${size}`);
      view = ops.select_int(view, dim, spec);
    } else if (isTensor(spec) && spec.dim() === 0 && spec.dtype !== 'bool' && spec.dtype !== 'uint8' && !spec.isFloatingPoint()) {
      // PyTorch reads a 0-dim integer tensor as its value: a select, so a view.
      view = ops.select_int(view, dim, spec.item());
    } else if (isTensor(spec) && spec.dim() === 0) {
      // A 0-dim bool (or uint8) tensor: a new axis of size 1 indexed with [0] (true) or [] (false).
      view = ops.unsqueeze(view, dim);
      hasTensor = true;
      tensorIndices.push(ops.zeros([spec.item() ? 1 : 0], 'int64'));
      dim++;
    } else if (isTensor(spec)) {
      hasTensor = true;
      tensorIndices.push(spec);
      dim += consumed(spec);
    } else {
      if (typeof spec === 'string') throw new TypeError(`index '${spec}' is not understood`);
      const step = spec.step ?? 1;
      if (step <= 0) throw new RangeError(`slice step must be positive, got ${step}`);
      view = ops.slice_Tensor(view, dim, spec.start ?? null, spec.stop ?? INT64_MAX, step);
      tensorIndices.push(null);
      dim++;
    }
  }
  return { view, tensorIndices: hasTensor ? tensorIndices : null };
}

export function indexTensor(t: Tensor, specs: readonly IndexSpec[]): Tensor {
  const { view, tensorIndices } = applyBasic(t, specs);
  if (!tensorIndices) return view;
  return ops.index_Tensor(view, trimTrailingNulls(tensorIndices));
}

export function indexPut(t: Tensor, specs: readonly IndexSpec[], value: TensorLike): void {
  const { view, tensorIndices } = applyBasic(t, specs);
  if (!tensorIndices) {
    if (typeof value === 'number') ops.fill__Scalar(view, value);
    else ops.copy_(view, value);
    return;
  }
  const v = typeof value === 'number' ? ops.scalar_tensor(value, t.dtype) : value;
  ops.index_put_(view, trimTrailingNulls(tensorIndices), v, false);
}

function trimTrailingNulls(xs: (Tensor | null)[]): (Tensor | null)[] {
  let n = xs.length;
  while (n > 0 && xs[n - 1] === null) n--;
  return xs.slice(0, n);
}
