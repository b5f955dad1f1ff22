// Fashion-MNIST from Debian's dataset-fashion-mnist: IDX files straight into tensors, and a folder of
// PNGs named <Label>_<n>.png that the seed's regex pipeline reads.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  loadFashionMnist, writeFashionMnistFolder, fashionMnistClasses, fashionMnistDir, readIdx, decodeImage,
  ImageDataLoaders, getImageFiles, RegexLabeller,
} from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'owlet-fashion-'));
const have = existsSync(join(fashionMnistDir(), 'train-images-idx3-ubyte.gz'));
const skip = have ? false : 'Debian\'s dataset-fashion-mnist is not installed';
const toClose: ImageDataLoaders[] = [];
after(async () => {
  await Promise.all(toClose.map((d) => d.close()));
  rmSync(tmp, { recursive: true, force: true });
});

function counts(labels: BigInt64Array): number[] {
  const c = new Array(10).fill(0);
  for (const l of labels) c[Number(l)]++;
  return c;
}

test('class names: one word each, no "_" or "/", so the seed\'s regex gives them back', () => {
  assert.deepEqual([...fashionMnistClasses], ['Tshirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankleboot']);
  const re = RegexLabeller(String.raw`^([^/]+)_\d+`);
  for (const c of fashionMnistClasses) assert.equal(re(`${c}_123.png`), c);
});

test('loadFashionMnist: shapes, dtypes and 6,000 / 1,000 images of each class', { skip }, () => {
  const train = loadFashionMnist();
  assert.deepEqual(train.images.shape, [60000, 28, 28]);
  assert.equal(train.images.dtype, 'uint8');
  assert.deepEqual(train.labels.shape, [60000]);
  assert.equal(train.labels.dtype, 'int64');
  assert.deepEqual(counts(train.labels.toTypedArray() as BigInt64Array), new Array(10).fill(6000));
  assert.equal(Number((train.labels.toTypedArray() as BigInt64Array)[0]), 9, 'the first training image is an ankle boot');
  const test_ = loadFashionMnist({ split: 'test' });
  assert.deepEqual(test_.images.shape, [10000, 28, 28]);
  assert.deepEqual(counts(test_.labels.toTypedArray() as BigInt64Array), new Array(10).fill(1000));
  const px = test_.images.float();
  assert.ok(px.max().item() === 255 && px.min().item() === 0);
  const mean = px.mean().item() / 255;
  assert.ok(Math.abs(mean - 0.286) < 0.01, `mean pixel ${mean}`); // Fashion-MNIST's published mean, 0.2860
  assert.deepEqual(loadFashionMnist({ split: 'test', limit: 10 }).images.shape, [10, 28, 28]);
  assert.throws(() => readIdx(join(tmp, 'nope-idx3-ubyte')), /dataset-fashion-mnist/);
});

test('writeFashionMnistFolder: <Label>_<n>.png, once; the PNGs hold the IDX pixels; the regex pipeline reads them', { skip }, async () => {
  const dir = join(tmp, 'fm');
  const r = await writeFashionMnistFolder(dir, { split: 'test', limit: 300 });
  assert.equal(r.written, 300);
  assert.equal(r.skipped, 0);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.png')).length, 300);
  const { images, labels } = loadFashionMnist({ split: 'test', limit: 300 });
  const ls = labels.toTypedArray() as BigInt64Array;
  r.files.forEach((f, i) => assert.equal(basename(f), `${fashionMnistClasses[Number(ls[i])]}_${i}.png`));
  const again = await writeFashionMnistFolder(dir, { split: 'test', limit: 300 });
  assert.equal(again.written, 0);
  assert.equal(again.skipped, 300);
  const im = await decodeImage(r.files[7]!);
  assert.deepEqual([im.width, im.height], [28, 28]);
  const src = images.select(0, 7).toTypedArray() as Uint8Array;
  for (let p = 0; p < 784; p++) assert.deepEqual(Array.from(im.data.subarray(p * 3, p * 3 + 3)), [src[p], src[p], src[p]]);
  // the seed's pipeline
  const files = getImageFiles(dir);
  const dls = ImageDataLoaders.fromNameRe(dir, files, String.raw`^([^/]+)_\d+`, { validPct: 0.2, seed: 42, bs: 64 });
  toClose.push(dls);
  assert.deepEqual(dls.vocab, [...fashionMnistClasses].sort());
  assert.equal(dls.valid.n, 60);
  let n = 0;
  for await (const b of dls.train) {
    assert.deepEqual(b.x.shape.slice(1), [3, 28, 28]);
    const ys = b.y.toFlatArray() as number[];
    b.files.forEach((f, i) => assert.equal(dls.vocab[ys[i]!], /^([^_]+)_/.exec(basename(f))![1]));
    n += ys.length;
  }
  assert.equal(n, 192); // 240 training images, batches of 64, the last partial one dropped
});
