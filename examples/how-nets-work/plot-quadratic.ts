/**
 * The lesson's first plot: f(x) = 3x² + 2x + 1 over [-2.1, 2.1], written as PNG and HTML under
 * plots/how-nets-work/ ($OWLET_PLOTS chooses the folder). Prints what reference/plot_quadratic.py prints.
 *
 *   npm run example -- how-nets-work/plot-quadratic
 */
import { linspace, pyFixed, type Tensor } from '../../src/index.js';
import { plotDir, plotFunction, savePlot } from '../../src/plot/index.js';

function plotFunctionData(f: (x: Tensor) => Tensor, min = -2.1, max = 2.1): [Tensor, Tensor] {
  const x = linspace(min, max, 100);
  return [x, f(x)];
}

const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);

export async function main(): Promise<void> {
  const [x, y] = plotFunctionData(f);
  console.log(String(x.index('::11')));
  console.log(String(y.index('::11')));
  console.log(`lowest: f(${pyFixed(x.index(y.argmin()).item(), 4)}) = ${pyFixed(y.min().item(), 4)}`);

  const files = await savePlot(plotFunction(f, { title: '$3x^2 + 2x + 1$' }), plotDir('how-nets-work', 'quadratic'));
  console.error(`wrote ${files.join(', ')}`);
}
