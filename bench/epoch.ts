/**
 * `npm run bench -- epoch`: is a whole epoch as fast as its training steps? For each model, the bare
 * step rate (forward, loss and backward on batches of the real shape, `measureSpeed`) against a real
 * epoch of `learn.fit(1)` on Fashion-MNIST PNGs through the loaders (decoding in the worker threads,
 * the augmentation, the optimizer step, the metrics, the progress bar off), timed phase by phase:
 *   epoch/step  = the epoch's training images a second over the bare step's (1 is the ceiling; the
 *                 optimizer's step is in the epoch but not in the bare step);
 *   valid/train = the validation images a second over the epoch's training ones (≥ 2.5 asked).
 * Models: the main job's recipes (resnet20 and small_cnn at 28 px, batch 128, flips) and resnet34 at
 * 224 px (batch 32, Resize(224) of the 28 px PNGs, no augmentation), from scratch in the precision
 * `auto` picks on this machine (the machine profile).
 * Options: --images=N (28 px models, default 6400), --images224=N (default 320), --models=a,b,c,
 * --workers=N (decoding threads; default the loader's), --threads=N (libtorch's).
 * Last line: `RESULT epoch <model>_ratio=… … ratio=<the smallest epoch/step>`.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { machineProfile, manualSeed, owletCacheDir, setNumThreads } from '../src/index.js';
import { augTransforms, Resize, writeFashionMnistFolder } from '../src/data/index.js';
import { ImageDataLoaders } from '../src/vision/data.js';
import { errorRate, measureSpeed, type Learner } from '../src/learner/index.js';
import { visionLearner } from '../src/vision/learner.js';
import { numOpt, opt } from './lib/common.js';

process.env['OWLET_PROGRESS'] ??= 'none';
const threads = numOpt('threads', cpus().length);
const workers = process.argv.some((a) => a.startsWith('--workers=')) ? numOpt('workers', 1) : undefined;
setNumThreads(threads);

interface Config { arch: string; size: number; bs: number; images: number; flip: boolean }
const all: Config[] = [
  { arch: 'resnet20', size: 28, bs: 128, images: numOpt('images', 6400), flip: true },
  { arch: 'small_cnn', size: 28, bs: 128, images: numOpt('images', 6400), flip: true },
  { arch: 'resnet34', size: 224, bs: 32, images: numOpt('images224', 320), flip: false },
];
const wanted = opt('models', all.map((c) => c.arch).join(',')).split(',');
const configs = all.filter((c) => wanted.includes(c.arch));

/** Seconds spent in the training and validation phases of one `fit(1)`. */
async function timeEpoch(learn: Learner): Promise<{ train: number; valid: number }> {
  let t = 0;
  const phases = { train: 0, valid: 0 };
  const cb = {
    name: 'PhaseTimer',
    beforeTrain: () => { t = performance.now(); },
    afterTrain: () => { phases.train = (performance.now() - t) / 1000; },
    beforeValidate: () => { t = performance.now(); },
    afterValidate: () => { phases.valid = (performance.now() - t) / 1000; },
  };
  await learn.withCbs([cb], () => learn.noLogging(() => learn.fit(1, { lr: 1e-3 })));
  return phases;
}

const { cpu } = machineProfile();
console.log(`epoch against step: ${cpu.model}, ${cpu.isa}${cpu.cap !== null ? ` (capped: DNNL_MAX_CPU_ISA=${cpu.cap})` : ''}, ${threads} libtorch threads, precision auto = ${machineProfile().autoPrecision}`);
console.log('model       px  batch  images   step img/s  epoch img/s  epoch/step  valid img/s  valid/train');
const result: string[] = [];
let worst = Infinity;
for (const c of configs) {
  const dir = join(owletCacheDir(), 'fashion-mnist', `train-${c.images}`);
  const { files } = await writeFashionMnistFolder(dir, { split: 'train', limit: c.images });
  const batchTfms = c.flip ? augTransforms({ maxRotate: 0, maxZoom: 1, maxWarp: 0, maxLighting: 0 }) : [];
  const dls = ImageDataLoaders.fromNameRe(dir, files, String.raw`^([^/]+)_\d+`, { validPct: 0.2, seed: 42, bs: c.bs, itemTfms: Resize(c.size), batchTfms, ...(workers !== undefined ? { numWorkers: workers } : {}) });
  try {
    manualSeed(42);
    const learn = await visionLearner(dls, c.arch, { pretrained: false, metrics: [errorRate], precision: 'auto', channelsLast: c.size <= 64 });
    const step = measureSpeed(learn, { inputShape: [c.bs, 3, c.size, c.size], steps: 8 });
    await timeEpoch(learn); // a first epoch warms the decoding workers and oneDNN's kernels
    const { train, valid } = await timeEpoch(learn);
    const nTrain = Math.floor(dls.trainItems.files.length / c.bs) * c.bs; // the last partial batch is dropped
    const trainIps = nTrain / train;
    const validIps = dls.validItems.files.length / valid;
    const ratio = trainIps / step.trainIps;
    worst = Math.min(worst, ratio);
    console.log(`${c.arch.padEnd(10)} ${String(c.size).padStart(4)} ${String(c.bs).padStart(6)} ${String(c.images).padStart(7)} ${step.trainIps.toFixed(1).padStart(12)} ${trainIps.toFixed(1).padStart(12)} ${ratio.toFixed(3).padStart(11)} ${validIps.toFixed(1).padStart(12)} ${(validIps / trainIps).toFixed(2).padStart(12)}`);
    result.push(`${c.arch}_step_ips=${step.trainIps.toFixed(1)} ${c.arch}_epoch_ips=${trainIps.toFixed(1)} ${c.arch}_ratio=${ratio.toFixed(3)} ${c.arch}_valid_over_train=${(validIps / trainIps).toFixed(2)}`);
  } finally {
    await dls.close();
  }
}
console.log(`RESULT epoch ${result.join(' ')} ratio=${worst.toFixed(3)}`);
