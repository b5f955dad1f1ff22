/**
 * The lesson's functions, as the explore page's server computes them with owlet's tensors: the
 * noisy data (numpy's legacy generator, seed 42: the lesson's points), the quadratic, the mean
 * squared error, and sums of ReLUs. The same ops in the same order as examples/how-nets-work/.
 */
import { linspace, RandomState, tensor, type Tensor, type TensorLike } from '../engine/index.js';

export const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);

export const quad = (a: TensorLike, b: TensorLike, c: TensorLike, x: Tensor): Tensor => x.pow(2).mul(a).add(x.mul(b)).add(c);

export const mse = (preds: Tensor, acts: Tensor): Tensor => preds.sub(acts).pow(2).mean();

/** Σ w·max(0, m·x + b) over the ReLUs (m, b, w of shape [n]) at each x. */
export const relus = (m: Tensor, b: Tensor, w: Tensor, x: Tensor): Tensor =>
  m.index(':', null).mul(x).add(b.index(':', null)).clip(0.0).mul(w.index(':', null)).sum(0);

export interface Points {
  x: number[];
  y: number[];
}

let cached: Points | undefined;

/** The lesson's 40 noisy points: x = linspace(-2, 2, 40) (float32), y = add_noise(f(x), 0.15, 1.5) (float64). */
export function noisyData(): Points {
  if (!cached) {
    const rng = new RandomState(42);
    const noise = (x: Tensor, scale: number): Tensor => tensor(rng.normal({ scale, size: x.shape }) as Float64Array, { shape: x.shape });
    const x = linspace(-2, 2, 40);
    const fx = f(x);
    const y = fx.mul(noise(fx, 0.15).add(1)).add(noise(fx, 1.5));
    cached = { x: x.toFlatArray() as number[], y: y.toFlatArray() as number[] };
  }
  return { x: [...cached.x], y: [...cached.y] };
}

/** Points as tensors: x as float32 (as linspace makes it), y as float64 (as the noise makes it). */
export function pointTensors(p: Points): { x: Tensor; y: Tensor } {
  return { x: tensor(Float32Array.from(p.x)), y: tensor(Float64Array.from(p.y)) };
}
