/**
 * Transfer learning, measured: a ResNet18 trained by owlet from scratch on five Fashion-MNIST classes
 * (T-shirt, pullover, dress, sandal, bag) is fine-tuned with `fineTune` on the other five (trouser,
 * coat, shirt, sneaker, ankle boot) from 50 images each, against the same model trained from scratch
 * on the same 250 images for the same number of epochs. Each side is run at two learning rates
 * (fastai's default and a larger one) and its better run counts. Both are scored on the same 2,000
 * held-back test images of the five new classes.
 *
 *   node bin/owlet.js example fashion-mnist/transfer        (npm run example -- fashion-mnist/transfer)
 *
 * The images are Fashion-MNIST's, written once as PNGs into owlet's cache (as `owlet train` does),
 * and go through owlet's whole image pipeline (decoding in workers, flips, normalisation).
 */
import { basename, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { manualSeed, noGrad, setNumThreads } from '../../src/index.js';
import { errorRate, type Learner } from '../../src/learner/index.js';
import { fashionMnistClasses, ImageDataLoaders, RegexLabeller, Resize, augTransforms, writeFashionMnistFolder } from '../../src/index.js';
import { visionLearner } from '../../src/vision/learner.js';
import type { Sequential } from '../../src/nn/index.js';
import { owletCacheDir } from '../../src/index.js';

const ARCH = 'resnet18';
const SIZE = 28;
// Every other class, so that the source task holds garments and footwear alike, as a pretrained
// model's data holds things like the new task's. (With the first five classes, all garments, as the
// source and the five others as the target, fine-tuning did not beat training from scratch: 0.1975
// against 0.1465; footwear and bags share little with shirts at 28 px.)
const SOURCE = [0, 2, 3, 5, 8].map((i) => fashionMnistClasses[i]!); // Tshirt Pullover Dress Sandal Bag
const TARGET = [1, 4, 6, 7, 9].map((i) => fashionMnistClasses[i]!); // Trouser Coat Shirt Sneaker Ankleboot
const SOURCE_IMAGES = 30_000; // all of the five classes' training images
const SOURCE_EPOCHS = 3;
const PER_CLASS = 50;
const VALID_PER_CLASS = 400;
/** fineTune(EPOCHS): one frozen epoch, then EPOCHS unfrozen; from scratch gets EPOCHS + 1. */
const EPOCHS = 8;
/** Learning rates tried on each side: fastai's default and a larger one. */
const FT_LRS = [2e-3, 1e-2];
const SCRATCH_LRS = [1e-3, 3e-3];

const label = RegexLabeller(String.raw`^([^/]+)_\d+`);
const labelOf = (f: string) => label(basename(f));

/** The first `n` files of each class in `classes` (in index order), or the first `n` in all when `perClass` is false. */
function pick(files: readonly string[], classes: readonly string[], n: number, perClass = true): string[] {
  const counts = new Map<string, number>();
  const out: string[] = [];
  for (const f of files) {
    const l = labelOf(f);
    if (!classes.includes(l)) continue;
    const c = counts.get(perClass ? l : '*') ?? 0;
    if (c >= n) continue;
    counts.set(perClass ? l : '*', c + 1);
    out.push(f);
  }
  return out;
}

function loaders(dir: string, train: string[], valid: string[], bs: number, seed: number): ImageDataLoaders {
  const files = [...train, ...valid];
  const validIdx = valid.map((_, i) => train.length + i);
  return ImageDataLoaders.fromIndices(dir, files, labelOf, validIdx, {
    bs, seed, itemTfms: Resize(SIZE), batchTfms: augTransforms({ maxRotate: 0, maxZoom: 1, maxWarp: 0, maxLighting: 0 }),
  });
}

async function errorOf(learn: Learner): Promise<number> {
  const [, err] = await learn.noLogging(() => learn.validate());
  return err!;
}

export async function main(): Promise<void> {
  const t0 = performance.now();
  setNumThreads(availableParallelism());
  const cache = join(owletCacheDir(), 'fashion-mnist');
  const train = (await writeFashionMnistFolder(join(cache, 'train'), { split: 'train' })).files;
  const test = (await writeFashionMnistFolder(join(cache, 'test'), { split: 'test' })).files;

  // 1. The source model: from scratch on the first five classes.
  console.log(`source task: ${SOURCE.join(', ')} — ${SOURCE_IMAGES.toLocaleString('en-US')} training images, ${ARCH} from scratch, fitOneCycle(${SOURCE_EPOCHS})`);
  manualSeed(42);
  const srcDls = loaders(cache, pick(train, SOURCE, SOURCE_IMAGES, false), pick(test, SOURCE, VALID_PER_CLASS), 128, 42);
  const source = await visionLearner(srcDls, ARCH, { pretrained: false, metrics: [errorRate], precision: 'auto' });
  await source.fitOneCycle(SOURCE_EPOCHS, { lrMax: 3e-3 });
  await srcDls.close();
  const body = noGrad(() => (source.model as Sequential).at(0).stateDict());

  // 2. The target task: the other five classes, 50 images each; 400 each held back from the test set.
  const tTrain = pick(train, TARGET, PER_CLASS);
  const tValid = pick(test, TARGET, VALID_PER_CLASS);
  console.log(`\ntarget task: ${TARGET.join(', ')} — ${tTrain.length} training images (${PER_CLASS} each), ${tValid.length} validation images`);

  const tuned: { lr: number; err: number }[] = [];
  for (const lr of FT_LRS) {
    console.log(`\nfine-tuned from the source model: fineTune(${EPOCHS}, baseLr ${lr})`);
    manualSeed(42);
    const dls = loaders(cache, tTrain, tValid, 16, 42);
    const learn = await visionLearner(dls, ARCH, { pretrained: false, metrics: [errorRate], precision: 'auto' });
    noGrad(() => (learn.model as Sequential).at(0).loadStateDict(body));
    await learn.fineTune(EPOCHS, { baseLr: lr });
    tuned.push({ lr, err: await errorOf(learn) });
    await dls.close();
  }

  const scratch: { lr: number; err: number }[] = [];
  for (const lr of SCRATCH_LRS) {
    console.log(`\nfrom scratch, the same model and images: fitOneCycle(${EPOCHS + 1}, lrMax ${lr})`);
    manualSeed(42);
    const dls = loaders(cache, tTrain, tValid, 16, 42);
    const learn = await visionLearner(dls, ARCH, { pretrained: false, metrics: [errorRate], precision: 'auto' });
    await learn.fitOneCycle(EPOCHS + 1, { lrMax: lr });
    scratch.push({ lr, err: await errorOf(learn) });
    await dls.close();
  }
  const bestOf = (runs: { lr: number; err: number }[]) => runs.reduce((a, b) => (b.err < a.err ? b : a));
  const ft = bestOf(tuned);
  const sc = bestOf(scratch);
  console.log(`\nerror rate on the ${tValid.length.toLocaleString('en-US')} held-back images of the five new classes:`);
  for (const t of tuned) console.log(`  fine-tuned from owlet's 5-class model, baseLr ${t.lr.toExponential(0).padEnd(5)}  ${t.err.toFixed(4)}`);
  for (const t of scratch) console.log(`  from scratch, lrMax ${t.lr.toExponential(0).padEnd(5)}                           ${t.err.toFixed(4)}`);
  console.log(`fine-tuned: ${ft.err.toFixed(4)}   from scratch: ${sc.err.toFixed(4)}   (each the better of its two learning rates)`);
  console.log(ft.err < sc.err
    ? `transfer works: fine-tuning beats training from scratch (${ft.err.toFixed(4)} < ${sc.err.toFixed(4)})`
    : `transfer did NOT help here: ${ft.err.toFixed(4)} >= ${sc.err.toFixed(4)}`);
  console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
