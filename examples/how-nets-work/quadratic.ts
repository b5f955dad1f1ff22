/**
 * How does a neural net really work? Fitting a quadratic by gradient descent: the TypeScript port of
 * the lesson's Python (shared/reference/quadratic.py). It prints exactly what the Python prints.
 *
 *   npm run example -- how-nets-work/quadratic
 */
import { linspace, noGrad, numpyRandom, pyFixed, tensor, type Tensor, type TensorLike } from '../../src/index.js';


const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);

function quad(a: TensorLike, b: TensorLike, c: TensorLike, x: Tensor): Tensor {
  return x.pow(2).mul(a).add(x.mul(b)).add(c);
}

const mkquad = (a: TensorLike, b: TensorLike, c: TensorLike) => (x: Tensor) => quad(a, b, c, x);

/** numpy's `np.random.normal(scale=scale, size=x.shape)`, as a float64 tensor. */
const noise = (x: Tensor, scale: number): Tensor => tensor(numpyRandom.normal({ scale, size: x.shape }) as Float64Array, { shape: x.shape });

const addNoise = (x: Tensor, mult: number, add: number): Tensor => x.mul(noise(x, mult).add(1)).add(noise(x, add));

const mse = (preds: Tensor, acts: Tensor): Tensor => preds.sub(acts).pow(2).mean();

export function main(): void {
  numpyRandom.seed(42);
  const x = linspace(-2, 2, 40);
  const y = addNoise(f(x), 0.15, 1.5);

  const quadMse = (params: [TensorLike, TensorLike, TensorLike]): Tensor => mse(mkquad(...params)(x), y);

  console.log(String(quadMse([1.5, 1.5, 1.5])));

  const abc = tensor([1.5, 1.5, 1.5]);
  abc.requiresGrad_();
  const parts = (): [Tensor, Tensor, Tensor] => [abc.index(0), abc.index(1), abc.index(2)];

  let loss = quadMse(parts());
  console.log(String(loss));
  loss.backward();
  console.log(String(abc.grad));

  noGrad(() => {
    abc.sub_(abc.grad!.mul(0.01));
    loss = quadMse(parts());
  });
  console.log(String(loss));

  for (let i = 0; i < 5; i++) {
    loss = quadMse(parts());
    loss.backward();
    noGrad(() => {
      abc.sub_(abc.grad!.mul(0.01));
      console.log(`Step ${i}; loss: ${pyFixed(loss.item(), 2)} `);
      abc.grad!.zero_();
    });
  }
  console.log(String(abc));
}
