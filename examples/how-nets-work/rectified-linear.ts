/**
 * One ReLU: the line y = m·x + b with everything below zero clipped to zero. Plots the lesson's
 * rectified_linear(1, 1, x) and a few other m, b; prints what reference/rectified_linear.py prints.
 *
 *   npm run example -- how-nets-work/rectified-linear
 */
import { linspace, tensor, type Tensor } from '../../src/index.js';
import { functionSeries, linePlot, plotDir, plotFunction, savePlot } from '../../src/plot/index.js';

function plotFunctionData(f: (x: Tensor) => Tensor, min = -2.1, max = 2.1): [Tensor, Tensor] {
  const x = linspace(min, max, 100);
  return [x, f(x)];
}

function rectifiedLinear(m: number, b: number, x: Tensor): Tensor {
  const y = x.mul(m).add(b);
  return y.clip(0.0);
}

const SETTINGS: [number, number][] = [[1, 1], [2, -1], [-1.5, 0.5]];

export async function main(): Promise<void> {
  const [x, y] = plotFunctionData((x) => rectifiedLinear(1, 1, x));
  console.log(String(x.index('::11')));
  console.log(String(y.index('::11')));
  for (const [m, b] of SETTINGS)
    console.log(`m=${m}, b=${b}: ${String(rectifiedLinear(m, b, tensor([-2.0, -1.0, 0.0, 1.0, 2.0], { dtype: 'float32' })))}`);

  const one = plotFunction((x) => rectifiedLinear(1, 1, x), { title: 'rectified_linear(1, 1, x) = max(0, x + 1)' });
  const several = linePlot(SETTINGS.map(([m, b]) => functionSeries((x) => rectifiedLinear(m, b, x), { name: `m=${m}, b=${b}` })), { title: 'ReLUs for a few $m$ and $b$' });
  const files = [
    ...(await savePlot(one, plotDir('how-nets-work', 'rectified-linear'))),
    ...(await savePlot(several, plotDir('how-nets-work', 'rectified-linear-several'))),
  ];
  console.error(`wrote ${files.join(', ')}`);
}
