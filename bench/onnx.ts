/**
 * `npm run bench -- onnx`: images per second of one model three ways, in the same run: owlet's
 * libtorch inference (eval mode, no gradients, fp32), onnxruntime-node on the model owlet exports
 * as ONNX, and onnxruntime-web (WebAssembly) in the page `owlet export-web` writes, in headless
 * Chromium — at batch 1 and batch 16, on the same random input. Only the model is timed (the
 * images are prepared once); each figure is the median of `--rounds` timed rounds (default 5) of
 * at least `--min-ms` ms each (default 1500) after a warm-up.
 *
 * Options: --arch=resnet18 (a zoo name; fastai's head on top, random weights), --size=224,
 * --threads=<libtorch's, and onnxruntime-node's intra-op threads> (default: the cores),
 * --web-threads=<the page's wasm threads> (default 1; more need the cross-origin isolation the
 * bench's server gives), --no-web.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { getNumThreads, inferenceDataLoaders, Learner, noGrad, randn, Resize, setNumThreads, type Tensor } from '../src/index.js';
import { exportWeb, learnerToOnnx } from '../src/onnx/index.js';
import { createVisionModel } from '../src/vision/head.js';
import { numOpt, opt } from './lib/common.js';
import { serveStatic } from './lib/static-server.js';

const arch = opt('arch', 'resnet18');
const size = numOpt('size', 224);
const threads = numOpt('threads', availableParallelism());
const webThreads = numOpt('web-threads', 1);
const rounds = numOpt('rounds', 5);
const minMs = numOpt('min-ms', 1500);
setNumThreads(threads);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Images per second of `run` (which does `bs` images), the median of the rounds. */
async function rate(bs: number, run: () => Promise<void> | void): Promise<number> {
  await run();
  await run();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < minMs) {
      await run();
      n++;
    }
    rates.push((n * bs * 1000) / (performance.now() - t0));
  }
  return median(rates);
}

const { model, spec, cfg } = await createVisionModel(arch, 10, { pretrained: false });
model.eval();
const vocab = Array.from({ length: 10 }, (_, i) => `class${i}`);
const mean = (cfg?.mean ?? [0.485, 0.456, 0.406]) as [number, number, number];
const std = (cfg?.std ?? [0.229, 0.224, 0.225]) as [number, number, number];
const item = Resize(size);
const learn = new Learner(inferenceDataLoaders(vocab, { kind: 'image', size: [size, size], resizeMethod: 'crop', itemTfm: item, mean, std }), model);
learn.modelSpec = spec;
const onnx = learnerToOnnx(learn);

type Ort = typeof import('onnxruntime-node');
const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;
const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });

const rows: [string, number, number][] = [];
const inputs = new Map<number, Tensor>([[1, randn([1, 3, size, size])], [16, randn([16, 3, size, size])]]);
for (const bs of [1, 16]) {
  const x = inputs.get(bs)!;
  const owlet = await rate(bs, () => void noGrad(() => model.call(x).softmax(-1).dataView()));
  const feed = { input: new ort.Tensor('float32', new Float32Array(x.contiguous().dataView() as Float32Array), x.shape) };
  const node = await rate(bs, async () => void (await session.run(feed)));
  rows.push([`bs ${bs}`, owlet, node]);
}

const web: number[] = [];
if (!process.argv.includes('--no-web')) {
  const { chromium } = await import('playwright-core');
  const chromiumPath = process.env['OWLET_CHROMIUM'] ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: install it (apt-get install chromium) or pass --no-web`);
  const dir = mkdtempSync(join(tmpdir(), 'owlet-bench-web-'));
  exportWeb(learn, join(dir, 'site'));
  const { server, url } = await serveStatic(join(dir, 'site'), { isolate: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}?threads=${webThreads}`);
    await page.evaluate(() => (globalThis as unknown as { owlet: { ready: Promise<unknown> } }).owlet.ready.then(() => undefined));
    for (const bs of [1, 16]) {
      const r = await page.evaluate(async ([n, s, rs, ms]) => {
        const api = (globalThis as unknown as { owlet: { infer(d: Float32Array, n: number): Promise<unknown> } }).owlet;
        const data = Float32Array.from({ length: n! * 3 * s! * s! }, () => Math.random() * 2 - 1);
        await api.infer(data, n!);
        await api.infer(data, n!);
        const rates: number[] = [];
        for (let r = 0; r < rs!; r++) {
          let k = 0;
          const t0 = performance.now();
          while (performance.now() - t0 < ms!) {
            await api.infer(data, n!);
            k++;
          }
          rates.push((k * n! * 1000) / (performance.now() - t0));
        }
        rates.sort((a, b) => a - b);
        return rates[rates.length >> 1]!;
      }, [bs, size, rounds, minMs]);
      web.push(r);
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
await session.release();

console.log(`${arch} with fastai's head, ${size} px, fp32, images/s (median of ${rounds} rounds); libtorch ${getNumThreads()} threads, onnxruntime-node ${threads} intra-op threads, onnxruntime-web ${webThreads} wasm thread(s)`);
console.log('| batch | owlet (libtorch) | onnxruntime-node | onnxruntime-web (Chromium) |');
console.log('| --- | --- | --- | --- |');
rows.forEach(([b, o, n], i) => console.log(`| ${b.slice(3)} | ${o.toFixed(1)} | ${n.toFixed(1)} | ${web[i] !== undefined ? web[i]!.toFixed(1) : 'not run'} |`));
