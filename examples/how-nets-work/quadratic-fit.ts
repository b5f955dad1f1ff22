/**
 * Gradient descent on a, b and c, continued to 100 steps from the lesson's start (1.5, 1.5, 1.5):
 * the fitted quadratic over the data, and the loss falling. Prints what reference/quadratic_fit.py prints.
 *
 *   npm run example -- how-nets-work/quadratic-fit
 */
import { linspace, noGrad, numpyRandom, pyFixed, tensor, type Tensor, type TensorLike } from '../../src/index.js';
import { functionSeries, lineOverPoints, linePlot, plotDir, savePlot } from '../../src/plot/index.js';

const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);
const quad = (a: TensorLike, b: TensorLike, c: TensorLike, x: Tensor): Tensor => x.pow(2).mul(a).add(x.mul(b)).add(c);
const mkquad = (a: TensorLike, b: TensorLike, c: TensorLike) => (x: Tensor) => quad(a, b, c, x);
const noise = (x: Tensor, scale: number): Tensor => tensor(numpyRandom.normal({ scale, size: x.shape }) as Float64Array, { shape: x.shape });
const addNoise = (x: Tensor, mult: number, add: number): Tensor => x.mul(noise(x, mult).add(1)).add(noise(x, add));
const mse = (preds: Tensor, acts: Tensor): Tensor => preds.sub(acts).pow(2).mean();

export async function main(): Promise<void> {
  numpyRandom.seed(42);
  const x = linspace(-2, 2, 40);
  const y = addNoise(f(x), 0.15, 1.5);
  const abc = tensor([1.5, 1.5, 1.5]);
  abc.requiresGrad_();
  const quadMse = (): Tensor => mse(mkquad(abc.index(0), abc.index(1), abc.index(2))(x), y);

  const losses: number[] = [];
  for (let i = 0; i < 100; i++) {
    const loss = quadMse();
    loss.backward();
    noGrad(() => {
      abc.sub_(abc.grad!.mul(0.01));
      if (i % 10 === 0 || i === 99) console.log(`Step ${i}; loss: ${pyFixed(loss.item(), 4)}`);
      abc.grad!.zero_();
    });
    losses.push(loss.item());
  }
  console.log(String(abc));
  const final = noGrad(quadMse);
  console.log(`final loss: ${pyFixed(final.item(), 4)}`);

  const [a, b, c] = abc.detach().toFlatArray() as number[];
  const fitted = `${pyFixed(a!, 2)}x² + ${pyFixed(b!, 2)}x + ${pyFixed(c!, 2)}`;
  const fit = lineOverPoints(x, y, [
    functionSeries(mkquad(1.5, 1.5, 1.5), { name: 'start: 1.5x² + 1.5x + 1.5' }),
    functionSeries(mkquad(a!, b!, c!), { name: `after 100 steps: ${fitted}` }),
    functionSeries(f, { name: 'the true f: 3x² + 2x + 1' }),
  ], { title: 'A quadratic fitted by gradient descent', pointsName: 'noisy data' });
  const loss = linePlot([{ x: losses.map((_, i) => i), y: losses, name: 'loss' }], {
    title: 'The loss (MSE) at each step', xlabel: 'step', ylabel: 'loss',
  });
  const files = [
    ...(await savePlot(fit, plotDir('how-nets-work', 'quadratic-fit'))),
    ...(await savePlot(loss, plotDir('how-nets-work', 'quadratic-fit-loss'))),
  ];
  console.error(`wrote ${files.join(', ')}`);
}
