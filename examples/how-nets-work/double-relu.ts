/**
 * Two ReLUs added together: a slope down that hooks up into another slope. Plots the lesson's
 * double_relu(1, 1, -1, 1, x); prints what reference/double_relu.py prints.
 *
 *   npm run example -- how-nets-work/double-relu
 */
import { linspace, pyFixed, type Tensor } from '../../src/index.js';
import { plotDir, plotFunction, savePlot } from '../../src/plot/index.js';

function plotFunctionData(f: (x: Tensor) => Tensor, min = -2.1, max = 2.1): [Tensor, Tensor] {
  const x = linspace(min, max, 100);
  return [x, f(x)];
}

function rectifiedLinear(m: number, b: number, x: Tensor): Tensor {
  const y = x.mul(m).add(b);
  return y.clip(0.0);
}

const doubleRelu = (m1: number, b1: number, m2: number, b2: number, x: Tensor): Tensor =>
  rectifiedLinear(m1, b1, x).add(rectifiedLinear(m2, b2, x));

export async function main(): Promise<void> {
  const [x, y] = plotFunctionData((x) => doubleRelu(1, 1, -1, 1, x));
  console.log(String(x.index('::11')));
  console.log(String(y.index('::11')));
  console.log(`lowest: ${pyFixed(y.min().item(), 4)}; at the ends: ${pyFixed(y.index(0).item(), 4)}, ${pyFixed(y.index(-1).item(), 4)}`);

  const fig = plotFunction((x) => doubleRelu(1, 1, -1, 1, x), { title: 'double_relu(1, 1, −1, 1, x)' });
  const files = await savePlot(fig, plotDir('how-nets-work', 'double-relu'));
  console.error(`wrote ${files.join(', ')}`);
}
