/**
 * Fitting by hand: what the lesson's sliders for a, b and c do, as a few settings a person might try,
 * each drawn over the noisy data with its mean squared error. Prints what reference/fit_by_hand.py
 * prints. For the sliders themselves: `owlet explore`.
 *
 *   npm run example -- how-nets-work/fit-by-hand
 */
import { linspace, numpyRandom, pyFixed, tensor, type Tensor } from '../../src/index.js';
import { functionSeries, lineOverPoints, plotDir, savePlot } from '../../src/plot/index.js';

const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);
const quad = (a: number, b: number, c: number, x: Tensor): Tensor => x.pow(2).mul(a).add(x.mul(b)).add(c);
const mkquad = (a: number, b: number, c: number) => (x: Tensor) => quad(a, b, c, x);
const noise = (x: Tensor, scale: number): Tensor => tensor(numpyRandom.normal({ scale, size: x.shape }) as Float64Array, { shape: x.shape });
const addNoise = (x: Tensor, mult: number, add: number): Tensor => x.mul(noise(x, mult).add(1)).add(noise(x, add));
const mse = (preds: Tensor, acts: Tensor): Tensor => preds.sub(acts).pow(2).mean();

const SETTINGS: [number, number, number][] = [[1.5, 1.5, 1.5], [2.5, 1.5, 1.5], [3.5, 1.5, 1.5], [3.0, 2.0, 1.5], [3.0, 2.0, 1.0], [3.0, 2.0, 0.5]];

export async function main(): Promise<void> {
  numpyRandom.seed(42);
  const x = linspace(-2, 2, 40);
  const y = addNoise(f(x), 0.15, 1.5);
  const quadMse = ([a, b, c]: [number, number, number]): Tensor => mse(mkquad(a, b, c)(x), y);

  const lines = [];
  for (const [a, b, c] of SETTINGS) {
    const loss = pyFixed(quadMse([a, b, c]).item(), 4);
    console.log(`a=${pyFixed(a, 1)}, b=${pyFixed(b, 1)}, c=${pyFixed(c, 1)}: MSE ${loss}`);
    lines.push(functionSeries(mkquad(a, b, c), { name: `a=${a}, b=${b}, c=${c}: MSE ${loss}` }));
  }

  const fig = lineOverPoints(x, y, lines, { title: 'Fitting $ax^2 + bx + c$ by hand', pointsName: 'noisy data', ylim: [-2, 20], height: 450 });
  const files = await savePlot(fig, plotDir('how-nets-work', 'fit-by-hand'));
  console.error(`wrote ${files.join(', ')}`);
}
