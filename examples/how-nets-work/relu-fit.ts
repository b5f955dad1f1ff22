/**
 * ReLUs adding up to any shape: a sum of n ReLUs, each w·max(0, m·x + b), fitted by gradient descent
 * to the noisy data (n = 2, 5, 20) and to a wiggly shape, sin(3x) + x (n = 20). The parameters
 * start from manualSeed(42), as torch.manual_seed(42) does. Prints what reference/relu_fit.py prints
 * and plots each fit over its data.
 *
 *   npm run example -- how-nets-work/relu-fit
 */
import { linspace, manualSeed, noGrad, numpyRandom, pyFixed, randn, tensor, type Tensor } from '../../src/index.js';
import { lineOverPoints, plotDir, savePlot, type Series } from '../../src/plot/index.js';

const f = (x: Tensor): Tensor => x.pow(2).mul(3).add(x.mul(2)).add(1);
const noise = (x: Tensor, scale: number): Tensor => tensor(numpyRandom.normal({ scale, size: x.shape }) as Float64Array, { shape: x.shape });
const addNoise = (x: Tensor, mult: number, add: number): Tensor => x.mul(noise(x, mult).add(1)).add(noise(x, add));
const mse = (preds: Tensor, acts: Tensor): Tensor => preds.sub(acts).pow(2).mean();

/** Σ w·max(0, m·x + b): `(torch.clip(m[:, None] * x + b[:, None], min=0.0) * w[:, None]).sum(0)`. */
const relus = (m: Tensor, b: Tensor, w: Tensor, x: Tensor): Tensor =>
  m.index(':', null).mul(x).add(b.index(':', null)).clip(0.0).mul(w.index(':', null)).sum(0);

function fit(x: Tensor, n: number, target: Tensor, lr = 0.01, steps = 1000): [Tensor, Tensor, Tensor] {
  manualSeed(42);
  const params: [Tensor, Tensor, Tensor] = [randn([n]), randn([n]), randn([n])];
  for (const p of params) p.requiresGrad_();
  const [m, b, w] = params;
  for (let i = 0; i < steps; i++) {
    const loss = mse(relus(m, b, w, x), target);
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.sub_(p.grad!.mul(lr));
        p.grad!.zero_();
      }
    });
    if (i % 200 === 0) console.log(`n=${n}; step ${i}; loss: ${pyFixed(loss.item(), 4)}`);
  }
  noGrad(() => console.log(`n=${n}; final loss: ${pyFixed(mse(relus(m, b, w, x), target).item(), 4)}`));
  return params;
}

/** The fitted sum drawn smoothly over [-2.1, 2.1]. */
function fitted(m: Tensor, b: Tensor, w: Tensor, name: string): Series {
  return noGrad(() => {
    const xs = linspace(-2.1, 2.1, 200);
    return { kind: 'line', name, x: xs.toFlatArray() as number[], y: relus(m, b, w, xs).toFlatArray() as number[] };
  });
}

export async function main(): Promise<void> {
  numpyRandom.seed(42);
  const x = linspace(-2, 2, 40);
  const y = addNoise(f(x), 0.15, 1.5);

  const fits: Series[] = [];
  let m!: Tensor, b!: Tensor, w!: Tensor;
  for (const n of [2, 5, 20]) {
    [m, b, w] = fit(x, n, y);
    fits.push(fitted(m, b, w, `${n} ReLUs`));
  }
  console.log(String(m));
  console.log(String(b));
  console.log(String(w));
  const shape = x.mul(3).sin().add(x);
  [m, b, w] = fit(x, 20, shape, 0.05, 2000);
  console.log(String(w));

  const noisy = lineOverPoints(x, y, fits, { title: 'Sums of ReLUs fitted to the noisy data', pointsName: 'noisy data' });
  const wiggly = lineOverPoints(x, shape, [fitted(m, b, w, '20 ReLUs')], { title: '20 ReLUs fitted to $\\sin(3x) + x$', pointsName: 'sin(3x) + x' });
  const files = [
    ...(await savePlot(noisy, plotDir('how-nets-work', 'relu-fit'))),
    ...(await savePlot(wiggly, plotDir('how-nets-work', 'relu-fit-wiggly'))),
  ];
  console.error(`wrote ${files.join(', ')}`);
}
