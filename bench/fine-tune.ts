/**
 * `npm run bench -- fine-tune`: a whole `fineTune(1)` (fastai's `fine_tune(1)`: one frozen epoch,
 * one unfrozen, each validated) of resnet34 with fastai's head at 224 px, owlet against the same job
 * written in PyTorch with torchvision (bench/python/fine_tune.py: the head, fastai's Adam, the
 * freezing and both one-cycle schedules by hand), on the same images, split the same way, in the same
 * run. The images are Fashion-MNIST's first `--images` (default 240: 192 to train, 48 to validate),
 * PNGs of 28 px that both sides decode and resize to 224 px; no augmentation (the lesson's
 * `item_tfms=Resize(224)` alone); batch 32; both on `--threads` threads (default: all cores) with one
 * image-decoding worker each. The weights start random on both sides (this machine has no network
 * for the pretrained ones), which changes nothing in the work done. `--rounds` (default 1) repeats
 * both, alternating which goes first; the figure is each side's best time.
 * Options: --images=N --bs=N --size=N --threads=N --rounds=N --precision=fp32|bf16 --arch=resnet34.
 *
 * Last line: `RESULT fine-tune owlet_s=… torch_s=… ratio=…` (ratio = PyTorch's time / owlet's: >= 1
 * means owlet is as fast or faster).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getNumThreads, libtorchVersion, manualSeed, setNumThreads } from '../src/index.js';
import { errorRate } from '../src/learner/index.js';
import { ImageDataLoaders, Resize, writeFashionMnistFolder } from '../src/index.js';
import { visionLearner } from '../src/vision/learner.js';
import { owletCacheDir } from '../src/index.js';
import { opt, python, pythonScript } from './lib/common.js';

const images = Number(opt('images', '240'));
const bs = Number(opt('bs', '32'));
const size = Number(opt('size', '224'));
const threads = Number(opt('threads', String(cpus().length)));
const rounds = Number(opt('rounds', '1'));
const precision = opt('precision', 'fp32') as 'fp32' | 'bf16';
const arch = opt('arch', 'resnet34');
const workers = 1;
const seed = 42;

process.env['OWLET_PROGRESS'] ??= 'none';
const dir = join(owletCacheDir(), 'fashion-mnist', `train-${images}`);
const { files } = await writeFashionMnistFolder(dir, { split: 'train', limit: images });
const makeDls = () =>
  ImageDataLoaders.fromNameRe(dir, files, String.raw`^([^/]+)_\d+`, { validPct: 0.2, seed, bs, itemTfms: Resize(size), numWorkers: workers });

// The split, the labels and the vocabulary for the PyTorch side: exactly owlet's.
const probe = makeDls();
const index = new Map(probe.vocab.map((v, i) => [v, i]));
const items = (s: { files: readonly string[]; labels: readonly string[] }) => s.files.map((f, i) => [f, index.get(s.labels[i]!)!]);
const tmp = mkdtempSync(join(tmpdir(), 'owlet-bench-ft-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const cfgFile = join(tmp, 'config.json');
writeFileSync(cfgFile, JSON.stringify({ train: items(probe.trainItems), valid: items(probe.validItems), vocab: probe.vocab, arch, size, bs, threads, workers, precision, seed }));
const nTrain = probe.trainItems.files.length;
const nValid = probe.validItems.files.length;
await probe.close();

async function owletRun(): Promise<number> {
  setNumThreads(threads);
  manualSeed(seed);
  const dls = makeDls();
  const learn = await visionLearner(dls, arch, { pretrained: false, metrics: [errorRate], precision });
  const t0 = performance.now();
  await learn.fineTune(1);
  const s = (performance.now() - t0) / 1000;
  await dls.close();
  return s;
}

interface TorchOut { seconds: number; version: string; threads: number }
function torchRun(): TorchOut | { error: string } {
  const r = spawnSync(python, [pythonScript('fine_tune.py'), cfgFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop()! };
  process.stdout.write(r.stderr.split('\n').filter((l) => /^(epoch|\d)/.test(l)).map((l) => `${l}\n`).join(''));
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchOut;
}

console.log(`fineTune(1) of ${arch} (fastai's head) at ${size} px: ${nTrain} training and ${nValid} validation images (Fashion-MNIST, 28 px PNGs resized), ` +
  `batch ${bs}, ${precision}, ${threads} threads, ${workers} decoding worker; ${rounds} round${rounds > 1 ? 's' : ''}`);
const mine: number[] = [];
const theirs: number[] = [];
let torchInfo = '';
let torchError = '';
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? ['owlet', 'torch'] : ['torch', 'owlet'];
  for (const side of order) {
    if (side === 'owlet') {
      console.log(`-- owlet (libtorch ${libtorchVersion()}, ${threads} threads)`);
      const s = await owletRun();
      mine.push(s);
      console.log(`owlet fineTune(1): ${s.toFixed(1)} s (threads ${getNumThreads()})`);
    } else if (!torchError) {
      console.log(`-- PyTorch (${python})`);
      const t = torchRun();
      if ('error' in t) {
        torchError = t.error;
        console.log(`PyTorch side failed: ${t.error}`);
      } else {
        theirs.push(t.seconds);
        torchInfo = `PyTorch ${t.version}, ${t.threads} threads`;
        console.log(`PyTorch fine_tune(1): ${t.seconds.toFixed(1)} s`);
      }
    }
  }
}
const o = Math.min(...mine);
if (theirs.length === 0) {
  console.log(`RESULT fine-tune owlet_s=${o.toFixed(2)} torch=fails`);
} else {
  const t = Math.min(...theirs);
  console.log(`best of ${rounds}: owlet ${o.toFixed(1)} s, ${torchInfo} ${t.toFixed(1)} s`);
  console.log(`RESULT fine-tune owlet_s=${o.toFixed(2)} torch_s=${t.toFixed(2)} ratio=${(t / o).toFixed(3)}`);
}
