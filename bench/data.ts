/**
 * `npm run bench -- data`: images per second of decode + resize + augment + normalise, owlet's
 * training loader (worker threads: libjpeg-turbo, fastai's Resize(224), and its aug_transforms() and
 * Normalize done in the workers, fused.ts)
 * against torchvision's usual pipeline with PIL (bench/python/data.py: Resize + RandomCrop + flip +
 * RandomAffine + ColorJitter, DataLoader with worker processes) on the same JPEG files, in the same
 * run. The sides take turns for `--rounds` rounds (default 3); each round runs `--passes` passes
 * (default 3) and the first pass of each round (start-up) is left out; the figure is the median.
 *
 * Then, unless `--no-overlap`: does prefetching in worker threads keep the model from waiting?
 * A stand-in model step (matmuls, about as long as decoding a batch) runs on each batch, once with
 * decoding on the main thread and nothing prepared ahead, once with worker threads and 2 batches
 * ahead (`--only-overlap` runs only this part).
 *
 * Options: --n=512 images, --size=224, --bs=64, --torch-workers=<cores> (PyTorch's DataLoader
 * processes), --workers=<as many> (owlet's decoding threads; the loader's own default is cores - 1,
 * which leaves a core to the model), --threads=<libtorch's default> (libtorch threads for owlet's
 * batch transforms when they are not done in the workers), --dir=<folder for the generated JPEGs>.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { getNumThreads, libtorchVersion, randn, setNumThreads, tidy } from '../src/index.js';
import { augTransforms, ImageDataLoaders, Resize, type ImageDataLoader } from '../src/index.js';
import { numOpt, python, pythonScript } from './lib/common.js';

const n = numOpt('n', 512);
const size = numOpt('size', 224);
const bs = numOpt('bs', 64);
// The same number of workers on each side: PyTorch's DataLoader processes, owlet's decoding threads.
const torchWorkers = numOpt('torch-workers', availableParallelism());
const workers = numOpt('workers', torchWorkers);
// libtorch's threads for the batch transforms; by default libtorch's own choice. On 2 cores, 2
// threads make things worse: OpenMP's idle threads spin on the core the decoding worker needs.
const threads = numOpt('threads', 0);
if (threads > 0) setNumThreads(threads);
const rounds = numOpt('rounds', 3);
const passes = numOpt('passes', 3);
const dirArg = process.argv.find((x) => x.startsWith('--dir='));
const dir = dirArg ? dirArg.slice(6) : join(tmpdir(), 'owlet-bench-data-v1');

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Photo-like JPEGs of Pets' sizes (about 500×375, varied): smooth colour fields with texture. */
async function makeImages(): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const have = new Set(readdirSync(dir));
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `img_${String(i).padStart(5, '0')}.jpg`;
    const file = join(dir, name);
    files.push(file);
    if (have.has(name)) continue;
    const w = 400 + ((i * 37) % 200), h = 300 + ((i * 53) % 200);
    const noise = await sharp({ create: { width: w, height: h, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .blur(1.5).raw().toBuffer();
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      px[o] = Math.min(255, Math.max(0, (noise[o]! * 0.5) + 120 * Math.sin((x + i) / 40) + 60));
      px[o + 1] = Math.min(255, Math.max(0, (noise[o + 1]! * 0.5) + 100 * Math.cos((y - i) / 55) + 60));
      px[o + 2] = Math.min(255, Math.max(0, (noise[o + 2]! * 0.5) + 80 * Math.sin((x + y) / 70) + 50));
    }
    await sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toFile(file);
  }
  return files;
}

async function timePass(dl: ImageDataLoader): Promise<{ images: number; seconds: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let images = 0;
  for await (const b of dl) {
    images += b.x.shape[0]!;
    b.x.dispose();
    b.y.dispose();
  }
  const c = process.cpuUsage(c0);
  return { images, seconds: (performance.now() - t0) / 1000, cpuMs: (c.user + c.system) / 1000 / images };
}

const files = await makeImages();
const listFile = join(dir, 'files.txt');
writeFileSync(listFile, files.join('\n') + '\n');
const labels = files.map((_, i) => (i % 2 ? 'a' : 'b'));

const owletIps: number[] = [];
const torchIps: number[] = [];
const owletCpu: number[] = [];
const torchCpu: number[] = [];
let torchInfo: { version: string; torchvision: string; workers: number } | null = null;
let skipped: string | null = null;
const onlyOverlap = process.argv.includes('--only-overlap');
for (let round = 0; round < (onlyOverlap ? 0 : rounds); round++) {
  const dls = ImageDataLoaders.fromIndices('.', files, (f) => labels[files.indexOf(f)]!, [], {
    itemTfms: Resize(size), batchTfms: augTransforms(), bs, seed: round, numWorkers: workers,
  });
  for (let p = 0; p < passes; p++) {
    const r = await timePass(dls.train);
    if (p > 0) {
      owletIps.push(r.images / r.seconds);
      owletCpu.push(r.cpuMs);
    }
  }
  await dls.close();
  if (skipped) continue;
  const py = spawnSync(python, [pythonScript('data.py'), listFile, String(size), String(bs), String(torchWorkers), String(passes)], { encoding: 'utf8' });
  if (py.status !== 0) {
    skipped = py.error ? `${python}: ${py.error.message}` : py.stderr.trim().split('\n').pop() || `exit code ${py.status}`;
    console.log(`PyTorch side skipped: ${skipped}`);
    continue;
  }
  const t = JSON.parse(py.stdout.trim().split('\n').pop()!) as { version: string; torchvision: string; workers: number; ips: number[]; cpu_ms: number[] };
  torchInfo = t;
  torchIps.push(...t.ips.slice(1));
  torchCpu.push(...t.cpu_ms.slice(1));
}

console.log(`decode + Resize(${size}) + augment + normalise, ${files.length} JPEGs of about 500x375 (${dir}), batches of ${bs}; ` +
  `${rounds} rounds x ${passes - 1} timed passes, median`);
console.log(`owlet on libtorch ${libtorchVersion()}: sharp ${sharp.versions.vips ? `(libvips ${sharp.versions.vips})` : ''}, ` +
  `${workers} decoding worker thread(s), ${getNumThreads()} libtorch threads`);
if (torchInfo) console.log(`PyTorch ${torchInfo.version}, torchvision ${torchInfo.torchvision}, PIL, ${torchInfo.workers} DataLoader worker processes (${python})`);
const o = onlyOverlap ? 200 : median(owletIps);
const t = torchIps.length ? median(torchIps) : NaN;
console.log('');
console.log(`${''.padEnd(9)}${'images/s'.padStart(10)}${'CPU ms/image'.padStart(14)}   passes (images/s)`);
console.log(`owlet    ${o.toFixed(1).padStart(10)}${median(owletCpu).toFixed(2).padStart(14)}   ${owletIps.map((x) => x.toFixed(0)).join(', ')}`);
if (torchInfo) console.log(`PyTorch  ${t.toFixed(1).padStart(10)}${median(torchCpu).toFixed(2).padStart(14)}   ${torchIps.map((x) => x.toFixed(0)).join(', ')}`);
console.log('(CPU time counts every thread and worker process of each side; the machine\'s other load shows in images/s, less in CPU ms/image)');

if (!process.argv.includes('--no-overlap')) {
  // A stand-in model step on the main thread: a few matmuls sized to take about as long as decoding a batch.
  const a = randn([512, 512]);
  const stepOnce = () => tidy(() => { let x = a; for (let k = 0; k < 4; k++) x = x.matmul(a).div(30); return x.sum().item(); });
  stepOnce();
  const perBatch = (bs / o) * 1000; // ms to decode a batch, from above
  const t0 = performance.now();
  stepOnce();
  const one = performance.now() - t0;
  const reps = Math.max(1, Math.round(perBatch / Math.max(one, 0.01)));
  const step = () => { for (let r = 0; r < reps; r++) stepOnce(); };
  const t1 = performance.now();
  step();
  const stepMs = performance.now() - t1;
  /** Total seconds, and seconds the loop spent waiting for the loader (not in the model step). */
  const run = async (numWorkers: number, prefetch: number): Promise<{ total: number; waiting: number; decodeWait: number; batchTfms: number }> => {
    const dls = ImageDataLoaders.fromIndices('.', files, (f) => labels[files.indexOf(f)]!, [], {
      itemTfms: Resize(size), batchTfms: augTransforms(), bs, seed: 0, numWorkers, prefetch,
    });
    for await (const b of dls.train) { void b; break; } // start-up
    const s = performance.now();
    let inStep = 0;
    for await (const b of dls.train) {
      const t = performance.now();
      step();
      inStep += performance.now() - t;
      b.x.dispose();
    }
    const { waitMs, collateMs } = dls.train.timings;
    await dls.close();
    const total = (performance.now() - s) / 1000;
    return { total, waiting: total - inStep / 1000, decodeWait: waitMs / 1000, batchTfms: collateMs / 1000 };
  };
  const serial = await run(0, 0);
  const ahead = await run(workers, 2);
  const batches = Math.floor(files.length / bs);
  console.log('');
  console.log(`model waiting on data: ${batches} batches, a stand-in model step of ${stepMs.toFixed(0)} ms per batch (${(batches * stepMs / 1000).toFixed(1)} s of model time)`);
  const line = (what: string, r: Awaited<ReturnType<typeof run>>) => console.log(`  ${what.padEnd(42)}${r.total.toFixed(1).padStart(6)} s` +
    `${r.decodeWait.toFixed(1).padStart(10)} s${r.batchTfms.toFixed(1).padStart(12)} s`);
  console.log(`  ${''.padEnd(42)}${'in all'.padStart(8)}${'waiting'.padStart(11)}${'tensors+aug'.padStart(13)}`);
  line('decoded on the main thread, nothing ahead', serial);
  line(`${workers} worker thread(s), 2 batches ahead`, ahead);
  console.log(`  (waiting: the loop waits for decoded images; tensors+aug: the batch transforms, on the main thread either way)`);
}

if (torchInfo) console.log(`RESULT data owlet_ips=${o.toFixed(1)} torch_ips=${t.toFixed(1)} ratio=${(o / t).toFixed(3)}`);
else console.log(`RESULT data owlet_ips=${o.toFixed(1)} torch=skipped`);
