/**
 * `npm run bench -- onnx`: images per second of one model three ways, in the same run: owlet's
 * libtorch inference (eval mode, no gradients, fp32), onnxruntime-node on the model owlet exports
 * as ONNX, and onnxruntime-web (WebAssembly) in the page `owlet export-web` writes, in headless
 * Chromium — at batch 1 and batch 16, on random input of the model's size. Only the model is
 * timed (the inputs are made once). The three take turns, round after round, so that a change in
 * the machine's load falls on each; a figure is the median of `--rounds` rounds (default 5) of at
 * least `--min-ms` ms each (default 1500), after a warm-up.
 *
 * Options: --arch=resnet18 (a zoo name; fastai's head on top, random weights), --size=224,
 * --threads=<libtorch's, and onnxruntime-node's intra-op threads> (default: the cores),
 * --web-threads=<the page's wasm threads> (default 1; more need the cross-origin isolation the
 * bench's server gives), --no-web.
 * Last line: `RESULT onnx bs1_owlet_ips=… bs1_node_ips=… bs1_web_ips=… bs16_…`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { getNumThreads, inferenceDataLoaders, Learner, noGrad, randn, Resize, setNumThreads } from '../src/index.js';
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

/** Images per second of `run` (which does `bs` images) over one round of at least `minMs`. */
async function round(bs: number, run: () => Promise<void> | void): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    await run();
    n++;
  }
  return (n * bs * 1000) / (performance.now() - t0);
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

/** The page in Chromium, or null with --no-web: `infer(bs)` runs the page's model on a batch of bs. */
async function openPage(): Promise<{ infer(bs: number): Promise<void>; close(): Promise<void> } | null> {
  if (process.argv.includes('--no-web')) return null;
  const { chromium } = await import('playwright-core');
  const chromiumPath = process.env['OWLET_CHROMIUM'] ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: install it (apt-get install chromium) or pass --no-web`);
  const dir = mkdtempSync(join(tmpdir(), 'owlet-bench-web-'));
  exportWeb(learn, join(dir, 'site'));
  const { server, url } = await serveStatic(join(dir, 'site'), { isolate: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await browser.newPage();
  await page.goto(`${url}?threads=${webThreads}`);
  await page.evaluate(([s]) => {
    const g = globalThis as unknown as { owlet: { ready: Promise<unknown> }; benchData: Map<number, Float32Array> };
    g.benchData = new Map([1, 16].map((n) => [n, Float32Array.from({ length: n * 3 * s! * s! }, () => Math.random() * 2 - 1)]));
    return g.owlet.ready.then(() => undefined);
  }, [size]);
  return {
    infer: (bs: number) => page.evaluate(async (n) => {
      const g = globalThis as unknown as { owlet: { infer(d: Float32Array, n: number): Promise<unknown> }; benchData: Map<number, Float32Array> };
      await g.owlet.infer(g.benchData.get(n)!, n);
    }, bs),
    close: async () => {
      await browser.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The three take turns, round after round, so that a change in the machine's load falls on all.
const page = await openPage();
const table: string[] = [];
const result: string[] = [];
for (const bs of [1, 16]) {
  const x = randn([bs, 3, size, size]);
  const feed = { input: new ort.Tensor('float32', new Float32Array(x.contiguous().dataView() as Float32Array), x.shape) };
  const sides: [string, () => Promise<void> | void][] = [
    ['owlet', () => void noGrad(() => model.call(x).softmax(-1).dataView())],
    ['node', async () => void (await session.run(feed))],
  ];
  if (page !== null) sides.push(['web', () => page.infer(bs)]);
  for (const [, run] of sides) for (let w = 0; w < 2; w++) await run();
  const rates = sides.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (let i = 0; i < sides.length; i++) rates[i]!.push(await round(bs, sides[i]![1]));
  const med = rates.map(median);
  result.push(`bs${bs}_owlet_ips=${med[0]!.toFixed(2)} bs${bs}_node_ips=${med[1]!.toFixed(2)} bs${bs}_web_ips=${med[2] !== undefined ? med[2].toFixed(2) : 'skipped'}`);
  table.push(`| ${bs} | ${med[0]!.toFixed(1)} | ${med[1]!.toFixed(1)} (${(med[1]! / med[0]!).toFixed(2)}×) | ${med[2] !== undefined ? `${med[2].toFixed(1)} (${(med[2] / med[0]!).toFixed(2)}×)` : 'not run'} |`);
}
await page?.close();
await session.release();

console.log(`${arch} with fastai's head, ${size} px, fp32, images/s (median of ${rounds} rounds, taking turns; in brackets: against owlet); libtorch ${getNumThreads()} thread(s), onnxruntime-node ${threads} intra-op thread(s), onnxruntime-web ${webThreads} wasm thread(s)`);
console.log('| batch | owlet (libtorch) | onnxruntime-node | onnxruntime-web (Chromium) |');
console.log('| --- | --- | --- | --- |');
for (const row of table) console.log(row);
console.log(`RESULT onnx ${result.join(' ')}`);
