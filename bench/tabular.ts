/**
 * `npm run bench -- tabular`: fastai's tabular learner in owlet against a plain torch MLP with
 * embeddings (bench/python/tabular.py), the same model sizes and the same encoded rows in batches
 * of the same size, both on --threads=N libtorch threads (default 1: owlet tabular's default).
 *
 * 1. Titanic (examples/titanic/data, notebook 06's columns, layers [200, 100], bs 64): epochs per
 *    second of `learn.fit` (training, a validation pass with loss and accuracy, the learner's
 *    callbacks), against PyTorch's loop doing the same; the ratio owlet / PyTorch.
 * 2. A larger table, generated: --rows=N rows (default 50,000) by this rule, numpy's legacy
 *    generator seeded 0 (owlet's numpyRandom draws the same): x1, x2, x3, x4 = normal(size=N) each;
 *    c1, c2, c3 = floor(10·u), floor(100·u), floor(1000·u) with u = random(size=N) each, written as
 *    text ('a3', 'b17', 'c512'); noise = normal(size=N);
 *    y = 1 if x1 + 0.5·x2 − 0.8·x3·(+1 if c1 even else −1) + sin(c2)/2 + 0.5·noise > 0 else 0.
 *    It goes through a CSV file and TabularDataLoaders.fromCsv (timed apart), then rows per second
 *    of training (training rows × epochs / time), owlet against PyTorch, bs --big-bs (default 512).
 * Rounds alternate owlet and PyTorch (--rounds=R, default 5), each a fit of --epochs=E (default 10)
 * after --warmup=W warm-up epochs (default 3: V8 compiles the loop's code over its first few hundred
 * batches; PyTorch gets the same); the figure is the median over the rounds of the mean epoch, in wall seconds
 * and in the process's CPU seconds (all threads), which other work on a busy machine sways less.
 * PyTorch runs with OPENBLAS_NUM_THREADS=--threads as well as torch.set_num_threads: torch 1.13's
 * set_num_threads leaves Debian's OpenBLAS pool at every core, and owlet's setNumThreads caps both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracy, manualSeed, nn, numpyRandom, setNumThreads, tidy, type Tensor } from '../src/index.js';
import { getEmbSz, readCsv, TabularDataLoaders, tabularLearner, type DataFrame } from '../src/tabular/index.js';
import { addFeatures } from '../examples/titanic/features.js';
import { CAT_NAMES, CONT_NAMES } from '../examples/titanic/tabular.js';
import { numOpt, python, pythonScript } from './lib/common.js';

const threads = numOpt('threads', 1);
const rounds = numOpt('rounds', 5);
const epochs = numOpt('epochs', 10);
const warmup = numOpt('warmup', 3);
const nRows = numOpt('rows', 50_000);
const bigBs = numOpt('big-bs', 512);
const root = join(pythonScript('x'), '..', '..', '..');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/** This process's CPU seconds (user and system, all its threads): less swayed than wall time by other work on the machine. */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function raw(t: Tensor): Buffer {
  const v = t.contiguous().dataView();
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** Writes the loaders' encoded rows for the PyTorch side. */
function share(dls: TabularDataLoaders, layers: number[], bs: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'owlet-bench-tabular-'));
  const t = dls.train as unknown as { x: Tensor; y: Tensor };
  const v = dls.valid as unknown as { x: Tensor; y: Tensor };
  writeFileSync(join(dir, 'x_train.f32'), raw(t.x));
  writeFileSync(join(dir, 'y_train.i64'), raw(t.y));
  writeFileSync(join(dir, 'x_valid.f32'), raw(v.x));
  writeFileSync(join(dir, 'y_valid.i64'), raw(v.y));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ nCat: dls.catNames.length, nCont: dls.contNames.length, bs, c: dls.c, layers, embSzs: getEmbSz(dls) }));
  return dir;
}

async function owletEpochs(dls: TabularDataLoaders, layers: number[]): Promise<number[]> {
  setNumThreads(threads);
  manualSeed(0);
  const learn = tabularLearner(dls, { layers, metrics: [accuracy], logger: null });
  await learn.fit(warmup); // warm-up, as the PyTorch side's
  const t0 = performance.now();
  const c0 = cpuSeconds();
  await learn.fit(epochs);
  return [(performance.now() - t0) / 1000 / epochs, (cpuSeconds() - c0) / epochs];
}

/** One Titanic training batch (the first bs rows), `iters` times after as many warm-up runs: mean seconds of forward with the loss, backward, and the step with zeroGrad. */
async function owletPhases(dls: TabularDataLoaders, layers: number[], bs: number, iters: number): Promise<number[]> {
  setNumThreads(threads);
  manualSeed(0);
  const learn = tabularLearner(dls, { layers, metrics: [accuracy], logger: null });
  await learn.fit(1); // makes the optimizer
  const t = dls.train as unknown as { x: Tensor; y: Tensor };
  const [x, y] = [t.x.narrow(0, 0, bs), t.y.narrow(0, 0, bs)];
  const model = learn.model;
  const opt = learn.opt!;
  model.train();
  const run = (n: number): number[] => {
    const sum = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      tidy(() => {
        const t0 = performance.now();
        const loss = nn.functional.crossEntropy(model.call(x) as Tensor, y);
        const t1 = performance.now();
        loss.backward();
        const t2 = performance.now();
        opt.step();
        opt.zeroGrad();
        const t3 = performance.now();
        sum[0] += t1 - t0;
        sum[1] += t2 - t1;
        sum[2] += t3 - t2;
      });
    }
    return sum.map((s) => s / 1000 / n);
  };
  run(iters);
  return run(iters);
}

function torchPhases(dir: string, iters: number): number[] {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  const r = spawnSync(python, [pythonScript('tabular.py'), dir, String(iters), String(threads), String(iters), 'phases'], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`PyTorch side failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { phases: number[] }).phases;
}

function torchEpochs(dir: string): number[] {
  // OpenBLAS capped too: torch.set_num_threads leaves its pool at every core, spinning beside torch's
  // (owlet's setNumThreads caps both), and the figure is against PyTorch at its best.
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  const r = spawnSync(python, [pythonScript('tabular.py'), dir, String(epochs), String(threads), String(warmup)], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`PyTorch side failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  const { epoch_times: times, epoch_cpu: cpu } = JSON.parse(r.stdout.trim().split('\n').pop()!) as { epoch_times: number[]; epoch_cpu: number[] };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean(times), mean(cpu)];
}

/** [owlet's, PyTorch's] median epoch in wall seconds, then the same in CPU seconds. */
async function compare(name: string, dls: TabularDataLoaders, layers: number[], bs: number): Promise<[number, number, number, number]> {
  const dir = share(dls, layers, bs);
  const ours: number[][] = [];
  const theirs: number[][] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(await owletEpochs(dls, layers));
    theirs.push(torchEpochs(dir));
  }
  const m = (xs: number[][], i: number) => median(xs.map((x) => x[i]!));
  console.log(`${name}: epoch owlet ${m(ours, 0).toFixed(4)} s (${m(ours, 1).toFixed(4)} s of CPU), PyTorch ${m(theirs, 0).toFixed(4)} s (${m(theirs, 1).toFixed(4)} s of CPU) (median of ${rounds} rounds of ${epochs} epochs)`);
  return [m(ours, 0), m(theirs, 0), m(ours, 1), m(theirs, 1)];
}

/** The generated table of the module's notes, as CSV text. */
function generatedCsv(n: number): string {
  numpyRandom.seed(0);
  const [x1, x2, x3, x4] = [0, 1, 2, 3].map(() => numpyRandom.normal({ size: n }) as Float64Array);
  const [c1, c2, c3] = [10, 100, 1000].map((k) => Array.from(numpyRandom.random(n) as Float64Array, (u) => Math.floor(k * u)));
  const noise = numpyRandom.normal({ size: n }) as Float64Array;
  const lines = ['x1,x2,x3,x4,c1,c2,c3,y'];
  for (let i = 0; i < n; i++) {
    const s = x1![i]! + 0.5 * x2![i]! - 0.8 * x3![i]! * (c1![i]! % 2 === 0 ? 1 : -1) + Math.sin(c2![i]!) / 2 + 0.5 * noise[i]!;
    lines.push(`${x1![i]},${x2![i]},${x3![i]},${x4![i]},a${c1![i]},b${c2![i]},c${c3![i]},${s > 0 ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

const result: string[] = [];
console.log(`tabular: ${threads} libtorch thread${threads > 1 ? 's' : ''}, owlet's learn.fit against a plain PyTorch loop on the same encoded rows`);
const df: DataFrame = addFeatures(readCsv(join(root, 'examples', 'titanic', 'data', 'train.csv')));
const titanic = TabularDataLoaders.fromDf(df, { yNames: 'Survived', yBlock: 'category', catNames: CAT_NAMES, contNames: CONT_NAMES, seed: 42 });
const [ot, pt, oc, pc] = await compare('Titanic (713 training rows, bs 64, layers [200, 100])', titanic, [200, 100], 64);
console.log(`Titanic epochs/s: owlet ${(1 / ot).toFixed(1)}, PyTorch ${(1 / pt).toFixed(1)}, ratio ${(pt / ot).toFixed(3)}`);
console.log(`Titanic epochs per CPU second: owlet ${(1 / oc).toFixed(1)}, PyTorch ${(1 / pc).toFixed(1)}, ratio ${(pc / oc).toFixed(3)}`);
result.push(`titanic_eps=${(1 / ot).toFixed(2)}`, `titanic_torch_eps=${(1 / pt).toFixed(2)}`, `titanic_ratio=${(pt / ot).toFixed(3)}`, `titanic_cpu_ratio=${(pc / oc).toFixed(3)}`);

// The same model's training batch, phase by phase: steadier than whole epochs on a busy machine.
const iters = numOpt('batch-iters', 1000);
const phaseDir = share(titanic, [200, 100], 64);
const ourPh: number[][] = [];
const theirPh: number[][] = [];
for (let r = 0; r < 3; r++) {
  ourPh.push(await owletPhases(titanic, [200, 100], 64, iters));
  theirPh.push(torchPhases(phaseDir, iters));
}
const medPh = (xs: number[][]) => [0, 1, 2].map((k) => median(xs.map((x) => x[k]!)));
const [op, tp] = [medPh(ourPh), medPh(theirPh)];
const us = (xs: number[]) => xs.map((v) => (v * 1e6).toFixed(0)).join(' / ');
const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
console.log(`Titanic, one training batch of 64 (${iters} runs, median of 3 rounds), forward+loss / backward / step µs: owlet ${us(op)}, PyTorch ${us(tp)}; the batch: ratio ${(total(tp) / total(op)).toFixed(3)}`);
result.push(`titanic_batch_us=${(total(op) * 1e6).toFixed(0)}`, `titanic_torch_batch_us=${(total(tp) * 1e6).toFixed(0)}`, `titanic_batch_ratio=${(total(tp) / total(op)).toFixed(3)}`);

const csv = join(mkdtempSync(join(tmpdir(), 'owlet-bench-tabular-')), 'generated.csv');
writeFileSync(csv, generatedCsv(nRows));
const t0 = performance.now();
const big = TabularDataLoaders.fromCsv(csv, { yNames: 'y', yBlock: 'category', catNames: ['c1', 'c2', 'c3'], contNames: ['x1', 'x2', 'x3', 'x4'], seed: 42, bs: bigBs });
const readS = (performance.now() - t0) / 1000;
console.log(`generated table: ${nRows} rows, read and processed (fromCsv: Categorify, FillMissing, Normalize) in ${readS.toFixed(2)} s`);
const [ob, pb, obc, pbc] = await compare(`generated (${big.train.n} training rows, bs ${bigBs}, layers [200, 100])`, big, [200, 100], bigBs);
const rowsPerEpoch = big.train.length * bigBs;
console.log(`generated rows/s of training (with a validation pass an epoch): owlet ${Math.round(rowsPerEpoch / ob)}, PyTorch ${Math.round(rowsPerEpoch / pb)}, ratio ${(pb / ob).toFixed(3)}`);
console.log(`generated rows per CPU second: owlet ${Math.round(rowsPerEpoch / obc)}, PyTorch ${Math.round(rowsPerEpoch / pbc)}, ratio ${(pbc / obc).toFixed(3)}`);
result.push(`big_cpu_ratio=${(pbc / obc).toFixed(3)}`, `big_rows_per_s=${Math.round(rowsPerEpoch / ob)}`, `big_torch_rows_per_s=${Math.round(rowsPerEpoch / pb)}`, `big_ratio=${(pb / ob).toFixed(3)}`, `big_read_s=${readS.toFixed(2)}`);
console.log(`RESULT tabular ${result.join(' ')}`);
