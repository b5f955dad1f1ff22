/** Numbers to plot, from a tensor (any dtype, any device, grad or not) or an array of numbers. */
import { Tensor } from '../engine/index.js';

export type Values = Tensor | ArrayLike<number>;

export function toNumbers(v: Values, what = 'values'): number[] {
  if (v instanceof Tensor) {
    if (v.dtype === 'bool') throw new TypeError(`${what}: cannot plot a tensor of bool`);
    return v.detach().cpu().to('float64').flatten().toFlatArray() as number[];
  }
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number')
    throw new TypeError(`${what}: expected a tensor or an array of numbers, got ${v === null ? 'null' : typeof v}`);
  const out = Array.from(v);
  const bad = out.findIndex((n) => typeof n !== 'number');
  if (bad >= 0) throw new TypeError(`${what}[${bad}] is ${typeof out[bad]}, not a number`);
  return out;
}
