// The image loaders: batch shapes and dtypes, validation order, seeded shuffling, drop-last, worker
// threads against the main thread, corrupt images, the factory methods, showBatch.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { RandomState } from '../src/index.js';
import {
  ImageDataLoaders, DataBlock, getImageFiles, RegexLabeller, usingName, RandomSplitter, Resize, augTransforms,
  ImageDecodeError, parentLabel, type ImageDataLoader, type ImageBatch,
} from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-data-loader-'));
const open: ImageDataLoaders[] = [];
after(async () => {
  await Promise.all(open.map((d) => d.close()));
  rmSync(tmp, { recursive: true, force: true });
});
const track = (d: ImageDataLoaders) => (open.push(d), d);

const CLASSES = ['cat', 'dog', 'emu'];
/** 53 solid images: R = the image's number, G = its class, B = 7; sizes vary (Resize brings them to one). */
const folder = join(tmp, 'imgs');
mkdirSync(folder);
const N = 53;
for (let i = 0; i < N; i++) {
  const w = 12 + (i % 5), h = 10 + (i % 3);
  const buf = Buffer.alloc(w * h * 3);
  for (let p = 0; p < w * h; p++) buf.set([i, i % 3, 7], p * 3);
  await sharp(buf, { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(folder, `${CLASSES[i % 3]}_${i}.png`));
}
const files = getImageFiles(folder);
/** 40 patterned images (augmentations show on them), two classes. */
const patterns = join(tmp, 'patterns');
mkdirSync(patterns);
for (let i = 0; i < 40; i++) {
  const w = 20 + (i % 4), h = 16;
  const buf = Buffer.alloc(w * h * 3);
  for (let p = 0; p < w * h; p++) buf.set([(p * 7 + i) & 255, (p % w) * 12, Math.floor(p / w) * 15], p * 3);
  await sharp(buf, { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(patterns, `${i % 2 ? 'x' : 'y'}_${i}.png`));
}
const pfiles = getImageFiles(patterns);
const pat = String.raw`^([^/]+)_\d+`;

/** The image numbers (R) of a batch made with normalize: false. */
function ids(b: ImageBatch): number[] {
  const x = b.x.mul(255).round();
  return Array.from({ length: b.x.shape[0]! }, (_, i) => x.select(0, i).select(0, 0).select(0, 0).select(0, 0).item());
}

async function pass(dl: ImageDataLoader): Promise<{ ids: number[]; sizes: number[]; ys: number[] }> {
  const out = { ids: [] as number[], sizes: [] as number[], ys: [] as number[] };
  for await (const b of dl) {
    out.ids.push(...ids(b));
    out.sizes.push(b.x.shape[0]!);
    out.ys.push(...(b.y.toFlatArray() as number[]));
  }
  return out;
}

test('fromNameRe: batch shapes and dtypes, lengths, sorted vocabulary, the seed\'s split', async () => {
  const dls = track(ImageDataLoaders.fromNameRe(folder, files, pat, { validPct: 0.2, seed: 42, itemTfms: Resize(8), bs: 8 }));
  assert.deepEqual(dls.vocab, ['cat', 'dog', 'emu']);
  assert.equal(dls.c, 3);
  const [t, v] = RandomSplitter({ validPct: 0.2, seed: 42 })(files);
  assert.deepEqual(dls.validItems.files, v.map((i) => files[i]));
  assert.deepEqual(dls.trainItems.files, t.map((i) => files[i]));
  assert.equal(dls.train.n, 43);
  assert.equal(dls.valid.n, 10);
  assert.equal(dls.train.length, 5); // 43 / 8, last partial batch dropped
  assert.equal(dls.valid.length, 2); // 10 / 8, last kept
  assert.ok(dls.train.shuffle && dls.train.dropLast && !dls.valid.shuffle && !dls.valid.dropLast);
  const b = await dls.train.oneBatch();
  assert.deepEqual(b.x.shape, [8, 3, 8, 8]);
  assert.equal(b.x.dtype, 'float32');
  assert.deepEqual(b.y.shape, [8]);
  assert.equal(b.y.dtype, 'int64');
  assert.equal(b.files.length, 8);
  assert.deepEqual(dls.pipeline, {
    kind: 'image', size: [8, 8], resizeMethod: 'crop', itemTfm: { kind: 'resize', size: [8, 8], method: 'crop', padMode: 'reflection' },
    mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
  });
  // normalised with ImageNet's statistics by default: the B channel (7/255) maps to (7/255 - 0.406) / 0.225
  assert.ok(Math.abs(b.x.select(1, 2).mean().item() - (7 / 255 - 0.406) / 0.225) < 1e-4);
});

test('validation: in order, last partial batch kept; labels match the names', async () => {
  const dls = track(ImageDataLoaders.fromNameRe(folder, files, pat, { validPct: 0.2, seed: 42, itemTfms: Resize(8), bs: 8, normalize: false }));
  const v = await pass(dls.valid);
  assert.deepEqual(v.sizes, [8, 2]);
  const expected = dls.validItems.files.map((f) => Number(/_(\d+)\.png$/.exec(f)![1]));
  assert.deepEqual(v.ids, expected);
  assert.deepEqual(v.ys, expected.map((i) => i % 3));
  assert.deepEqual(await pass(dls.valid), v, 'a second pass is the same');
});

test('training: shuffled with the seed, every pass a new order, the last partial batch dropped; same seed same batches', async () => {
  const mk = (seed: number) => track(ImageDataLoaders.fromNameRe(folder, files, pat, { validPct: 0.2, seed, itemTfms: Resize(8), bs: 8, normalize: false }));
  const a = mk(42);
  const p1 = await pass(a.train);
  const p2 = await pass(a.train);
  assert.deepEqual(p1.sizes, [8, 8, 8, 8, 8]);
  const trainIds = a.trainItems.files.map((f) => Number(/_(\d+)\.png$/.exec(f)![1])).sort((x, y) => x - y);
  for (const p of [p1, p2]) {
    assert.equal(new Set(p.ids).size, 40);
    assert.ok(p.ids.every((i) => trainIds.includes(i)));
    assert.deepEqual(p.ys, p.ids.map((i) => i % 3));
  }
  assert.notDeepEqual(p1.ids, p2.ids, 'each pass reshuffles');
  assert.notDeepEqual(p1.ids, [...p1.ids].sort((x, y) => x - y), 'shuffled');
  const b = mk(42);
  assert.deepEqual((await pass(b.train)).ids, p1.ids, 'the same seed gives the same first pass');
  assert.deepEqual((await pass(b.train)).ids, p2.ids, 'and the same second pass');
  const c = mk(43);
  assert.notDeepEqual((await pass(c.train)).ids, p1.ids);
});

test('worker threads, the main thread and any prefetch give identical batches, augmentations included', async () => {
  const opts = { validPct: 0.2, seed: 5, itemTfms: Resize(16, { method: 'pad' as const }), batchTfms: augTransforms(), bs: 8 };
  const w = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, { ...opts, numWorkers: 2, prefetch: 3 }));
  const m = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, { ...opts, numWorkers: 0, prefetch: 0 }));
  assert.equal(w.pool.numWorkers, 2);
  for (let epoch = 0; epoch < 2; epoch++) {
    const xs: ImageBatch[] = [];
    for await (const b of w.train) xs.push(b);
    assert.equal(xs.length, 4);
    let k = 0;
    for await (const b of m.train) {
      assert.ok(b.x.equal(xs[k]!.x), `epoch ${epoch} batch ${k}`);
      assert.ok(b.y.equal(xs[k]!.y));
      k++;
    }
    assert.equal(k, xs.length);
  }
});

test('leaving a pass early: no hang, and the next pass starts cleanly', async () => {
  const dls = track(ImageDataLoaders.fromNameRe(folder, files, pat, { seed: 1, itemTfms: Resize(8), bs: 4, prefetch: 4 }));
  for await (const b of dls.train) {
    assert.equal(b.x.shape[0], 4);
    break;
  }
  const p = await pass(dls.train);
  assert.equal(p.sizes.length, dls.train.length);
});

test('a corrupt image is reported once by name and skipped; onBadImage "error" stops with its name', async () => {
  const dir = join(tmp, 'corrupt');
  mkdirSync(dir);
  const good = readFileSync(join(folder, 'cat_0.png'));
  for (let i = 0; i < 10; i++) writeFileSync(join(dir, `cat_${i}.png`), good);
  writeFileSync(join(dir, 'dog_3.png'), Buffer.from('not a png'));
  writeFileSync(join(dir, 'dog_4.png'), good);
  const fs = getImageFiles(dir);
  const logs: string[] = [];
  const dls = track(ImageDataLoaders.fromNameRe(dir, fs, pat, { validPct: 0, seed: 0, itemTfms: Resize(8), bs: 4, log: (m) => logs.push(m) }));
  assert.equal(dls.train.length, 3);
  let n = 0;
  for await (const b of dls.train) n += b.x.shape[0]!;
  assert.equal(n, 11, '12 images less the bad one');
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /dog_3\.png/);
  assert.ok(dls.train.badFiles.has(join(dir, 'dog_3.png')));
  assert.equal(dls.train.n, 11);
  n = 0;
  for await (const b of dls.train) n += b.x.shape[0]!;
  assert.equal(n, 8, 'later passes leave it out: 11 images, 2 full batches');
  assert.equal(logs.length, 1, 'reported once');

  const strict = track(ImageDataLoaders.fromNameRe(dir, fs, pat, { validPct: 0, seed: 0, itemTfms: Resize(8), bs: 4, onBadImage: 'error' }));
  await assert.rejects(async () => { for await (const _ of strict.train) { /* consume */ } }, (e: unknown) => {
    assert.ok(e instanceof ImageDecodeError);
    assert.match(e.message, /dog_3\.png/);
    return true;
  });
});

test('images of different sizes without a Resize: a clear error', async () => {
  const dls = track(ImageDataLoaders.fromNameRe(folder, files, pat, { seed: 0, bs: 8 }));
  await assert.rejects(dls.train.oneBatch(), /different sizes.*Resize/);
});

test('fromFolder (train/valid folders, or validPct), fromPathFunc, fromLists, DataBlock', async () => {
  const root = join(tmp, 'folders');
  const src = readFileSync(join(folder, 'cat_0.png'));
  for (const [set, cls, n] of [['train', 'cat', 5], ['train', 'dog', 4], ['valid', 'cat', 2], ['valid', 'dog', 3], ['test', 'dog', 2]] as const) {
    mkdirSync(join(root, set, cls), { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(root, set, cls, `${i}.png`), src);
  }
  const f = track(ImageDataLoaders.fromFolder(root, { itemTfms: Resize(8), bs: 4 }));
  assert.deepEqual(f.vocab, ['cat', 'dog']);
  assert.equal(f.train.n, 9);
  assert.equal(f.valid.n, 5);
  assert.equal(f.path, root);
  const r = track(ImageDataLoaders.fromFolder(root, { validPct: 0.25, seed: 3, itemTfms: Resize(8), bs: 4 }));
  assert.equal(r.train.n + r.valid.n, 16);
  assert.equal(r.valid.n, 4);
  const p = track(ImageDataLoaders.fromPathFunc(root, getImageFiles(join(root, 'train')), parentLabel, { seed: 2, itemTfms: Resize(8) }));
  assert.deepEqual(p.vocab, ['cat', 'dog']);
  const l = track(ImageDataLoaders.fromLists('.', files.slice(0, 10), files.slice(0, 10).map((_, i) => (i < 5 ? 'b' : 'a')), { validPct: 0.2, seed: 1, itemTfms: Resize(8) }));
  assert.deepEqual(l.vocab, ['a', 'b']);
  const block = new DataBlock({ getY: usingName(RegexLabeller(pat)), splitter: RandomSplitter({ seed: 42 }), itemTfms: Resize(8) });
  const d = track(block.dataloaders(folder, { bs: 8 }));
  assert.deepEqual(d.validItems.files, track(ImageDataLoaders.fromNameRe(folder, files, pat, { seed: 42 })).validItems.files);
});

test('normalize(mean, std) changes the batches and the pipeline; testDl uses the validation pipeline', async () => {
  const dls = track(ImageDataLoaders.fromNameRe(folder, files, pat, { seed: 42, itemTfms: Resize(8), bs: 8 }));
  dls.normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);
  assert.deepEqual(dls.pipeline.mean, [0.5, 0.5, 0.5]);
  const b = await dls.valid.oneBatch();
  assert.ok(Math.abs(b.x.select(1, 2).mean().item() - (7 / 255 - 0.5) / 0.25) < 1e-4);
  const t = dls.testDl(files.slice(0, 5), { labels: ['cat', 'dog', 'emu', 'cat', 'dog'] });
  const tb = await t.oneBatch();
  assert.deepEqual(tb.x.shape, [5, 3, 8, 8]);
  assert.deepEqual(tb.y.toFlatArray(), [0, 1, 2, 0, 1]);
  assert.deepEqual(tb.files, files.slice(0, 5));
  assert.equal(t.shuffle, false);
  assert.throws(() => dls.testDl(files.slice(0, 1), { labels: ['yak'] }), /yak.*not in the vocabulary/);
  const unl = await dls.testDl(files.slice(0, 3)).oneBatch();
  assert.deepEqual(unl.y.toFlatArray(), [-1, -1, -1]);
});

test('showBatch writes a PNG grid with labels and opens nothing', async () => {
  const dls = track(ImageDataLoaders.fromNameRe(folder, files, pat, { seed: 42, itemTfms: Resize(16), batchTfms: augTransforms(), bs: 8 }));
  const file = join(tmp, 'out', 'batch.png');
  const written = await dls.showBatch({ maxN: 4, file });
  assert.equal(written, file);
  const buf = readFileSync(file);
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const meta = await sharp(file).metadata();
  assert.equal(meta.format, 'png');
  assert.ok(meta.width! >= 2 * 128 && meta.height! >= 2 * 128, `${meta.width}x${meta.height}`);
  // the label strips hold dark text pixels on white
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  for (let y = 0; y < 20; y++) for (let x = 0; x < info.width; x++) if (data[(y * info.width + x) * 3]! < 100) dark++;
  assert.ok(dark > 20, `${dark} dark pixels in the label strip`);
});

test('the fused executor carries out the plan the batch reports, as the libtorch executor does', async () => {
  const { AffineTransform, runOps } = await import('../src/data/index.js');
  const affine = new AffineTransform();
  const opts = { validPct: 0, seed: 8, itemTfms: Resize(12), bs: 16, normalize: false as const };
  const aug = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, { ...opts, batchTfms: [affine] }));
  const plain = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, opts));
  assert.equal(aug.train.executor, 'fused');
  const a = await aug.train.oneBatch();
  const p = await plain.train.oneBatch();
  assert.deepEqual(a.files, p.files, 'same items, same crops');
  assert.deepEqual(a.plan.steps.map((s) => s.kind), ['affine']);
  const expected = runOps(p.x, a.plan, [affine], { train: true, rng: new RandomState(0) });
  assert.ok(a.x.allclose(expected, 1e-5, 1e-6));
  assert.ok(!a.x.allclose(p.x, 1e-3, 1e-3), 'augmented');
});

test('the two executors, chosen explicitly, give the same batches for a seed: affine, warp, lighting, normalisation', async () => {
  const { AffineTransform, LightingTransform } = await import('../src/data/index.js');
  const tfms = () => [new AffineTransform({ size: [10, 14] }), new LightingTransform()];
  const opts = { validPct: 0.25, seed: 9, itemTfms: Resize(12), bs: 16 };
  const fused = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, { ...opts, batchTfms: tfms(), executor: 'fused' }));
  const ops_ = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, { ...opts, batchTfms: tfms(), executor: 'ops' }));
  assert.equal(fused.train.executor, 'fused');
  assert.equal(ops_.train.executor, 'ops');
  for (let pass = 0; pass < 2; pass++) {
    const a = await fused.train.oneBatch();
    const b = await ops_.train.oneBatch();
    assert.deepEqual(a.files, b.files, 'same items, same crops');
    assert.deepEqual(a.plan, b.plan, 'the same draws');
    assert.deepEqual(a.x.shape, [16, 3, 10, 14]);
    assert.ok(a.x.allclose(b.x, 1e-5, 1e-5), `pass ${pass}`);
    const light = a.plan.steps[1]!;
    assert.ok(light.kind === 'lighting' && light.brightness.some((v) => v !== 0.5) && light.contrast.some((v) => v !== 1), 'lighting drawn');
  }
  // validation: only the resize (identity map, new size) and the normalisation
  const v1 = await fused.valid.oneBatch();
  const v2 = await ops_.valid.oneBatch();
  assert.deepEqual(v1.x.shape, [10, 3, 10, 14]);
  assert.ok(v1.x.allclose(v2.x, 1e-5, 1e-5));
  // a transform of the user's own: only the libtorch executor runs it, and asking for the fused one says why
  const own = { name: 'Invert', order: 50, apply: (x: import('../src/index.js').Tensor) => x.neg().add(1) };
  const mixed = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, { ...opts, batchTfms: [...tfms(), own] }));
  assert.equal(mixed.train.executor, 'ops');
  mixed.train.executor = 'fused';
  assert.throws(() => mixed.train.executor, /fused executor cannot run.*Invert/);
});

test('testDl and imagesToTensor (predict) go through one pipeline: the same tensor', async () => {
  const { imagesToTensor } = await import('../src/index.js');
  const dls = track(ImageDataLoaders.fromNameRe(patterns, pfiles, pat, { validPct: 0.25, seed: 9, itemTfms: Resize(12), batchTfms: augTransforms({ size: [10, 14] }), bs: 8 }));
  const items = pfiles.slice(0, 8);
  const t = await dls.testDl(items).oneBatch();
  const fromLoaded = await imagesToTensor(items, JSON.parse(JSON.stringify(dls.pipeline)));
  assert.ok(t.x.equal(fromLoaded));
  const bytes = await imagesToTensor(items.map((f) => readFileSync(f)), dls.pipeline);
  assert.ok(bytes.equal(fromLoaded));
});
