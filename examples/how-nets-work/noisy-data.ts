/**
 * The noisy data the lesson fits: f's values with noise from numpy's legacy generator seeded with 42,
 * so the 40 points are the lesson's. Prints them as reference/noisy_data.py does, and plots them.
 *
 *   npm run example -- how-nets-work/noisy-data
 */
import { linspace, numpyRandom, tensor, type Tensor } from '../../src/index.js';
import { plotDir, savePlot, scatter } from '../../src/plot/index.js';

const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);
const noise = (x: Tensor, scale: number): Tensor => tensor(numpyRandom.normal({ scale, size: x.shape }) as Float64Array, { shape: x.shape });
const addNoise = (x: Tensor, mult: number, add: number): Tensor => x.mul(noise(x, mult).add(1)).add(noise(x, add));

export async function main(): Promise<void> {
  numpyRandom.seed(42);
  const x = linspace(-2, 2, 40);
  const y = addNoise(f(x), 0.15, 1.5);
  console.log(String(x));
  console.log(String(y));

  const files = await savePlot(scatter(x, y, { title: 'Noisy data from $3x^2 + 2x + 1$' }), plotDir('how-nets-work', 'noisy-data'));
  console.error(`wrote ${files.join(', ')}`);
}
