/** The small runtime that generated operator wrappers (ops.generated.ts) call into. */
import type { DType } from './dtype.js';
import { dtypeCode } from './dtype.js';
import type { Handle } from './native.js';
import { native } from './native.js';
import { Tensor } from './tensor-core.js';

/** Resolves an operator once; generated wrappers cache the number. */
export function op(name: string, overload: string): number {
  return native.opHandle(name, overload);
}

/** A tensor argument: a Tensor's handle, or a plain number that libtorch wraps as PyTorch does. */
export function h(x: Tensor | number): Handle | number {
  return x instanceof Tensor ? x.handle : x;
}

export function hs(xs: readonly Tensor[]): Handle[] {
  return xs.map((x) => x.handle);
}

export function hos(xs: readonly (Tensor | null)[]): (Handle | null)[] {
  return xs.map((x) => (x === null ? null : x.handle));
}

export function dt(d: DType): number {
  return dtypeCode(d);
}

/** Wraps a returned handle. */
export function t(x: Handle): Tensor {
  return new Tensor(x);
}

export function ts(xs: Handle[]): Tensor[] {
  return xs.map((x) => new Tensor(x));
}
