/**
 * `owlet train` with no `--data`, the main job: Fashion-MNIST written once as PNGs `<Label>_<n>.png`
 * (cached), labelled by the seed's regex, 20 % held out (seed 42); the recipe chosen to fit the time
 * budget on this machine (`MAIN_JOB_RECIPES`, measured on the first batches); fastai's tables; the
 * export; a few held-back test images predicted by the exported model; and last the line
 * `test accuracy: <figure>` over the 10,000 test images, predicted by the exported model from their
 * PNGs through its test loader, with fastai's test-time augmentation.
 */
import { basename, join, resolve } from 'node:path';
import { owletCacheDir, type Tensor } from '../../engine/index.js';
import { RegexLabeller, writeFashionMnistFolder } from '../../data/index.js';
import { isRankZero, loadLearner } from '../../learner/index.js';
import { barrier } from '../../distributed/index.js';
import { formatDuration } from '../plan.js';
import { MAIN_JOB_BUDGET_MINUTES, MAIN_JOB_RECIPES, MAIN_JOB_TTA } from '../recipes.js';
import { checkNonNegativeInt, checkPositiveInt } from './checks.js';
import { DEFAULT_LABEL_REGEX } from './folder-data.js';
import { trainFolder, type TrainOptions, type TrainResult } from './train-folder.js';

export interface MainJobOptions extends Omit<TrainOptions, 'data'> {
  /** Use only the first `limit` training images and test images (a quick run; the figure then means little). */
  limit?: number;
  /** Held-back test images to show predictions for (default 8). */
  show?: number;
  /** Augmented passes of test-time augmentation (fastai's `tta`) for the test accuracy; 0: none. */
  tta?: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A Fashion-MNIST split as the main job's folder of PNGs in owlet's cache (written when missing; `limit`: its first n images). */
function fashionMnistFolder(split: 'train' | 'test', limit?: number): ReturnType<typeof writeFashionMnistFolder> {
  const dir = join(owletCacheDir(), 'fashion-mnist', limit === undefined ? split : `${split}-${limit}`);
  return writeFashionMnistFolder(dir, { split, ...(limit !== undefined ? { limit } : {}) });
}

/** The Fashion-MNIST training folder the main job uses (written when missing), for `lr-find` without `--data`. */
export async function fashionMnistTrainFolder(limit?: number): Promise<string> {
  return (await fashionMnistFolder('train', limit)).dir;
}

export async function mainJob(options: MainJobOptions = {}): Promise<{ testAccuracy: number; seconds: number; train: TrainResult }> {
  const out = options.out ?? say;
  const t0 = performance.now();
  checkPositiveInt('--limit', options.limit);
  const tta = options.tta ?? MAIN_JOB_TTA;
  checkNonNegativeInt('--tta', tta);
  const cache = join(owletCacheDir(), 'fashion-mnist');
  out(`owlet train: the main job — Fashion-MNIST (no --data given; \`owlet train --help\` for training on a folder of your own)`);
  const tw = performance.now();
  // data-parallel: rank 0 writes the PNGs, the others wait for it (fastai's rank0_first)
  const rankZero = isRankZero();
  if (options.distributed && !rankZero) barrier();
  const tr = await fashionMnistFolder('train', options.limit);
  const te = await fashionMnistFolder('test', options.limit);
  if (options.distributed && rankZero) barrier();
  const written = tr.written + te.written;
  out(written > 0
    ? `wrote Fashion-MNIST as ${written.toLocaleString('en-US')} PNGs under ${cache} in ${formatDuration((performance.now() - tw) / 1000)} (once: later runs reuse them)`
    : `Fashion-MNIST as PNGs: ${tr.dir} (${tr.files.length.toLocaleString('en-US')} images) and ${te.dir} (${te.files.length.toLocaleString('en-US')}), written by an earlier run`);
  const exportFile = options.export === null ? join(cache, 'model.safetensors') : resolve(options.export ?? join(cache, 'model.safetensors'));
  const budget = options.budget ?? MAIN_JOB_BUDGET_MINUTES;
  const res = await trainFolder({ ...options, budget, data: tr.dir, export: exportFile, out }, MAIN_JOB_RECIPES);
  await res.dls.close();
  if (!rankZero) return { testAccuracy: NaN, seconds: (performance.now() - t0) / 1000, train: res }; // rank 0 tests the export

  // The exported model predicts the held-back test images from their files, as a user would.
  const model = await loadLearner(exportFile);
  const files = te.files;
  const truth = files.map((f) => RegexLabeller(DEFAULT_LABEL_REGEX)(basename(f)));
  const show = Math.min(options.show ?? 8, files.length);
  out(`\nthe exported model on ${show} held-back test images:`);
  const w = Math.max(...files.slice(0, show).map((f) => basename(f).length));
  for (let i = 0; i < show; i++) {
    const p = await model.predict(files[i]!);
    out(`  ${basename(files[i]!).padEnd(w)}  predicted ${p.label.padEnd(9)} ${p.probs[p.index]!.toFixed(3)}   truth ${truth[i]!.padEnd(9)} ${p.label === truth[i] ? 'right' : 'WRONG'}`);
  }
  // All of them through the loaded learner's test loader (decoded in worker threads), as fastai's
  // `learn.get_preds(dl=learn.dls.test_dl(files))`; with --tta, fastai's `learn.tta` on it.
  const tp = performance.now();
  const dl = model.dls.testDl!(files, { bs: 250 });
  const accuracy = (probs: Tensor): number => {
    const idx = probs.argmax(-1).toArray() as number[];
    let right = 0;
    idx.forEach((k, i) => {
      if (model.dls.vocab[k] === truth[i]) right++;
    });
    return right / files.length;
  };
  let acc: number;
  let plain: number | null = null;
  if (tta > 0) {
    const r = await model.tta(dl, { n: tta, beta: null });
    plain = accuracy(r.preds);
    acc = accuracy(r.augmented!.lerp(r.preds, 0.25));
  } else {
    acc = accuracy((await model.getPreds(dl)).preds);
  }
  const seconds = (performance.now() - t0) / 1000;
  out(`\n${files.length.toLocaleString('en-US')} test images predicted in ${formatDuration((performance.now() - tp) / 1000)}` +
    `${tta > 0 ? ` (test-time augmentation: ${tta} augmented pass${tta > 1 ? 'es' : ''} blended with the plain one, fastai's tta; without it ${plain!.toFixed(4)})` : ''}; ` +
    `training ${formatDuration(res.seconds)}, the whole job ${formatDuration(seconds)}`);
  out(`test accuracy: ${acc.toFixed(4)}`);
  return { testAccuracy: acc, seconds, train: res };
}
