// visionLearner, fastai's head, export / loadLearner / predict, and ClassificationInterpretation,
// with a tiny zoo model registered here (and resnet18 at 32 px when the zoo has it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, noGrad, randn, saveSafetensors, tensor, zeros, type Tensor } from '../src/index.js';
import { isModel, registerModel, type ZooModel } from '../src/models/index.js';
import * as nn from '../src/nn/index.js';
import { ClassificationInterpretation, errorRate, Learner, loadLearner, registerModelKind, tensorDataLoaders, type ModelSpec } from '../src/learner/index.js';
import { createHead, FastaiFlatten, TimmBody } from '../src/vision/head.js';
import { visionLearner } from '../src/vision/learner.js';
import { imageTensorToPng } from '../src/learner/plots.js';
import { imageToTensor } from '../src/data/prepare.js';

process.env['OWLET_PROGRESS'] = 'none';
process.env['HF_HUB_OFFLINE'] = '1';
const tmp = mkdtempSync(join(tmpdir(), 'owlet-vision-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** A timm-like zoo model: stem, stages, pooled linear classifier. */
class TinyNet extends nn.Module implements ZooModel {
  readonly stem: nn.Sequential;
  readonly stages: nn.Sequential;
  fc: nn.Module;
  numClasses: number;
  readonly numFeatures = 16;

  constructor(numClasses: number) {
    super();
    this.stem = new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU());
    this.stages = new nn.Sequential(new nn.Conv2d(8, 16, 3, { stride: 2, padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU());
    this.numClasses = numClasses;
    this.fc = numClasses > 0 ? new nn.Linear(16, numClasses) : new nn.Identity();
  }

  forwardFeatures(x: Tensor): Tensor {
    return this.stages.call(this.stem.call(x));
  }

  forwardHead(x: Tensor, options: { preLogits?: boolean } = {}): Tensor {
    const pooled = x.mean([2, 3]);
    return options.preLogits ? pooled : this.fc.call(pooled);
  }

  resetClassifier(numClasses: number): void {
    this.numClasses = numClasses;
    this.fc = numClasses > 0 ? new nn.Linear(16, numClasses) : new nn.Identity();
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const TINY = 'owlet_test_tinynet';
registerModel(TINY, (o) => new TinyNet(o.numClasses ?? 10), {
  test: {
    hubId: 'owlet-test/tinynet', numClasses: 10, inputSize: [3, 16, 16], mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3],
    cropPct: 1, interpolation: 'bilinear', firstConv: 'stem.0', classifier: 'fc',
  },
});

/** Images of 3 classes: class k has a bright square in a corner of its own. */
function imageData(n = 96, nValid = 48, size = 16, bs = 16, seed = 0) {
  manualSeed(seed);
  const mk = (m: number): [Tensor, Tensor] => {
    const y = tensor(Array.from({ length: m }, (_, i) => i % 3));
    const x = randn([m, 3, size, size]).mul(0.3);
    noGrad(() => {
      const half = size / 2;
      for (let i = 0; i < m; i++) {
        const k = i % 3;
        const [r, c] = [[0, 0], [0, half], [half, 0]][k]!;
        x.narrow(0, i, 1).narrow(2, r!, half).narrow(3, c!, half).add_(1.5);
      }
    });
    return [x, y];
  };
  return tensorDataLoaders(mk(n), mk(nValid), { bs, vocab: ['bird', 'cat', 'dog'] });
}

const FASTAI_HEAD = `Sequential(
  (0): AdaptiveConcatPool2d(
    (ap): AdaptiveAvgPool2d(output_size=1)
    (mp): AdaptiveMaxPool2d(output_size=1)
  )
  (1): fastai.layers.Flatten(full=False)
  (2): BatchNorm1d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (3): Dropout(p=0.25, inplace=False)
  (4): Linear(in_features=32, out_features=512, bias=False)
  (5): ReLU(inplace=True)
  (6): BatchNorm1d(512, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
  (7): Dropout(p=0.5, inplace=False)
  (8): Linear(in_features=512, out_features=3, bias=False)
)`;

test('createHead is fastai\'s create_head: layers, print, BatchNorm init 1 and 1e-3', () => {
  const head = createHead(16, 3);
  assert.equal(head.toString(), FASTAI_HEAD);
  const bn = head.at(2) as nn.BatchNorm1d;
  assert.ok(bn.weight!.eq(1).all().item() && bn.bias!.sub(1e-3).abs().max().item() < 1e-9);
  assert.equal(new FastaiFlatten().toString(), 'fastai.layers.Flatten(full=False)');
  assert.deepEqual(new FastaiFlatten().call(zeros([2, 4, 1, 1])).shape, [2, 4]);
  const h2 = createHead(8, 5, { linFtrs: [64, 32], ps: 0.4, concatPool: false, bnFinal: true });
  assert.deepEqual(h2.children().map((m) => m.getName()), [
    'AdaptiveAvgPool2d', 'fastai.layers.Flatten', 'BatchNorm1d', 'Dropout', 'Linear', 'ReLU', 'BatchNorm1d', 'Dropout', 'Linear', 'ReLU', 'BatchNorm1d', 'Dropout', 'Linear', 'BatchNorm1d',
  ]);
  assert.deepEqual([(h2.at(3) as nn.Dropout).p, (h2.at(7) as nn.Dropout).p, (h2.at(11) as nn.Dropout).p], [0.2, 0.2, 0.4]);
});

test('visionLearner: Sequential(TimmBody, head) printed as fastai, [body, head] groups, kaiming head, from scratch unfrozen', async () => {
  manualSeed(0);
  const dls = imageData();
  const learn = await visionLearner(dls, TINY, { pretrained: false, metrics: [errorRate], logger: null });
  const text = learn.model.toString();
  assert.ok(text.startsWith('Sequential(\n  (0): TimmBody(\n    (model): TinyNet(\n      (stem): Sequential(\n'), text.slice(0, 200));
  assert.ok(text.endsWith(`  (1): ${FASTAI_HEAD.replace(/\n/g, '\n  ')}\n)`), text.slice(-900));
  assert.equal(learn.model.getSubmodule('0.model.stem.1').getName(), 'BatchNorm2d');
  assert.ok(learn.model.getSubmodule('0') instanceof TimmBody);
  learn.createOpt();
  assert.equal(learn.opt!.paramLists.length, 2);
  assert.equal(learn.opt!.paramLists[1]!.length, 6); // 2 BatchNorm1d × 2 + 2 Linear weights
  assert.ok(learn.model.parameters().every((p) => p.requiresGrad), 'not pretrained: not frozen');
  // head linear weights ~ kaiming normal: std ≈ sqrt(2 / fanIn)
  const lin = learn.model.getSubmodule('1.4') as nn.Linear;
  const std = lin.weight.std().item();
  assert.ok(Math.abs(std - Math.sqrt(2 / 32)) < 0.02, `std ${std}`);
  assert.equal(dls.pipeline.mean, undefined, 'not pretrained: no normalisation (fastai)');
  assert.deepEqual(learn.modelSpec, { kind: 'vision', arch: TINY, nOut: 3, head: { linFtrs: [512], ps: 0.5, pool: true, concatPool: true, firstBn: true, bnFinal: false } });
});

test('visionLearner pretrained: weights loaded, normalised with the model\'s stats, frozen but for BatchNorm; fineTune lowers the error', async () => {
  manualSeed(1);
  const src = new TinyNet(10);
  const ckpt = join(tmp, 'tiny.safetensors');
  saveSafetensors(ckpt, src.stateDict());
  const dls = imageData(150, 60);
  const lines: string[] = [];
  const learn = await visionLearner(dls, `${TINY}.test`, { checkpointPath: ckpt, metrics: [errorRate], logger: (l) => lines.push(l) });
  assert.ok((learn.model.getSubmodule('0.model.stem.0') as nn.Conv2d).weight.equal(src.stem.at(0).parameters()[0]!));
  assert.deepEqual(dls.pipeline.mean, [0.4, 0.5, 0.6]);
  assert.deepEqual(dls.pipeline.std, [0.2, 0.25, 0.3]);
  const conv = learn.model.getSubmodule('0.model.stem.0') as nn.Conv2d;
  const bn = learn.model.getSubmodule('0.model.stem.1') as nn.BatchNorm2d;
  assert.equal(conv.weight.requiresGrad, false);
  assert.equal(bn.weight!.requiresGrad, true);
  await learn.fineTune(3, { baseLr: 1e-2 });
  assert.equal(lines.filter((l) => l.startsWith('epoch')).length, 2);
  const errs = learn.recorder!.values.map((v) => v[2]!);
  // chance is 2/3: the phase-2 error must fall well below it
  assert.ok(errs[errs.length - 1]! < 0.35 && errs[errs.length - 1]! <= errs[0]!, `phase-2 errors ${errs}`);
  assert.ok(conv.weight.requiresGrad, 'unfrozen after fineTune');
});

test('pretrained weights that cannot be had: the error says to pass pretrained: false', async () => {
  await assert.rejects(visionLearner(imageData(), `${TINY}.test`, { logger: null }), /pretrained: false/);
  await assert.rejects(visionLearner(imageData(), 'no_such_model_xyz', { logger: null }), /unknown model 'no_such_model_xyz'/);
});

test('export → loadLearner gives identical predictions; predict and predictBatch', async () => {
  manualSeed(2);
  const dls = imageData();
  const learn = await visionLearner(dls, TINY, { pretrained: false, logger: null });
  await learn.fit(1, { lr: 1e-2 });
  const file = join(tmp, 'model.safetensors');
  learn.export(file);
  const loaded = await loadLearner(file);
  assert.deepEqual([...loaded.dls.vocab], ['bird', 'cat', 'dog']);
  assert.deepEqual(loaded.modelSpec, learn.modelSpec);
  const x = (dls.valid as unknown as { x: Tensor }).x;
  // the same batches give bit-identical probabilities (other batch sizes differ in the last bits)
  const a = await learn.predictBatch(x, { bs: 16 });
  const b = await loaded.predictBatch(x, { bs: 16 });
  assert.deepEqual(b.map((p) => p.probs), a.map((p) => p.probs));
  const { preds } = await learn.getPreds();
  assert.ok(preds.equal(tensor(a.map((p) => p.probs), { dtype: 'float32' })));
  const odd = await loaded.predictBatch(x, { bs: 7 });
  assert.ok(tensor(odd.map((p) => p.probs), { dtype: 'float32' }).allclose(preds, 1e-5, 1e-6));
  const one = await loaded.predict(x.select(0, 0));
  assert.deepEqual(one.label, a[0]!.label);
  assert.ok(tensor(one.probs, { dtype: 'float32' }).allclose(tensor(a[0]!.probs, { dtype: 'float32' }), 1e-5, 1e-6));
  assert.equal(one.label, ['bird', 'cat', 'dog'][one.index]);
  // raw images go through the data module's preparation (decode, validation resize, normalise)
  const png = join(tmp, 'item.png');
  writeFileSync(png, await imageTensorToPng(x.select(0, 2).sigmoid(), { size: 16 }));
  const fromFile = await loaded.predict(png);
  const fromBytes = await loaded.predict(readFileSync(png));
  const prepared = await imageToTensor(png, loaded.dls.pipeline);
  assert.deepEqual(prepared.shape, [1, 3, 16, 16]);
  assert.deepEqual(fromFile, await loaded.predict(prepared));
  assert.deepEqual(fromBytes, fromFile);
  await assert.rejects(loaded.predict(join(tmp, 'missing.png')), /missing\.png/);
  await assert.rejects(loaded.predict(42), /an image is a file path or its bytes/);
  const withHook = await loadLearner(file, { prepare: () => x.select(0, 1) });
  assert.equal((await withHook.predict('anything')).index, (await loaded.predict(x.select(0, 1))).index);
  await assert.rejects(loaded.predict(x.narrow(0, 0, 2)), /predict takes one item, but got a batch of 2/);
  // a loaded learner can keep training elsewhere: its model is a plain module
  assert.equal(loaded.model.getSubmodule('0.model.stem.1').getName(), 'BatchNorm2d');
});

test('loadLearner refuses truncated, altered and foreign files, and says which', async () => {
  const dls = imageData(48, 24);
  const learn = await visionLearner(dls, TINY, { pretrained: false, logger: null });
  const good = join(tmp, 'good.safetensors');
  learn.export(good);
  const bytes = readFileSync(good);
  const put = (name: string, data: Uint8Array | string) => {
    const f = join(tmp, name);
    writeFileSync(f, data);
    return f;
  };
  const headerLen = Number(bytes.readBigUInt64LE(0));
  await assert.rejects(loadLearner(put('trunc.safetensors', bytes.subarray(0, Math.floor(bytes.length * 0.7)))), /cannot load this model: .*(truncat|size|bytes)/i);
  await assert.rejects(loadLearner(put('trunc-header.safetensors', bytes.subarray(0, 20))), /cannot load this model/);
  const flipped = Buffer.from(bytes);
  flipped[bytes.length - 3] ^= 0x40;
  await assert.rejects(loadLearner(put('flip.safetensors', flipped)), /checksum does not match .*altered or damaged after export/);
  const relabel = Buffer.from(bytes.toString('latin1').replace('\\"bird\\"', '\\"bxrd\\"'), 'latin1');
  assert.notDeepEqual(relabel, bytes);
  await assert.rejects(loadLearner(put('relabel.safetensors', relabel)), /checksum does not match/);
  const future = Buffer.from(bytes.toString('latin1').replace('"format_version":"1"', '"format_version":"9"'), 'latin1');
  await assert.rejects(loadLearner(put('future.safetensors', future)), /format version 9; this owlet .* reads up to version 1: update owlet/);
  await assert.rejects(loadLearner(put('zip.pt', Buffer.from('PK\x03\x04rest-of-a-torch-save', 'latin1'))), /zip archive, most likely a PyTorch checkpoint/);
  await assert.rejects(loadLearner(put('page.safetensors', '<html><body>Not found</body></html>')), /HTML/);
  const plain = join(tmp, 'plain.safetensors');
  saveSafetensors(plain, learn.model.stateDict());
  await assert.rejects(loadLearner(plain), /not an owlet export/);
  await assert.rejects(loadLearner(learn.save(join(tmp, 'ck.safetensors'))), /training checkpoint \(learn\.save\), not an export/);
  await assert.rejects(loadLearner(join(tmp, 'missing.safetensors')), /no such file/);
  assert.ok(headerLen > 0);
  // the good file still loads
  await loadLearner(good);
});

test('a custom model exports; loading it needs the module', async () => {
  manualSeed(3);
  const dls = tensorDataLoaders([randn([32, 4]), tensor(Array.from({ length: 32 }, (_, i) => i % 2))], [randn([16, 4]), tensor(Array.from({ length: 16 }, (_, i) => i % 2))], { bs: 8 });
  const mk = () => new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
  const learn = new Learner(dls, mk(), { logger: null });
  const file = join(tmp, 'custom.safetensors');
  learn.export(file);
  await assert.rejects(loadLearner(file), /custom model \(Sequential\) .*loadLearner\(file, \{model: new Sequential/);
  const back = await loadLearner(file, { model: mk() });
  const x = randn([3, 4]);
  assert.deepEqual((await back.predictBatch(x)).map((p) => p.probs), (await learn.predictBatch(x)).map((p) => p.probs));
  await assert.rejects(loadLearner(file, { model: new nn.Sequential(new nn.Linear(4, 3)) }), /weights do not fit the model/);
});

test('the export format is domain-free: model kinds are registered, and a file of an unregistered kind is refused by name', async () => {
  manualSeed(3);
  const dls = tensorDataLoaders([randn([16, 4]), tensor(Array.from({ length: 16 }, (_, i) => i % 2))], [randn([8, 4]), tensor(Array.from({ length: 8 }, (_, i) => i % 2))], { bs: 8 });
  const mk = () => new nn.Sequential(new nn.Linear(4, 2));
  const learn = new Learner(dls, mk(), { logger: null });
  learn.modelSpec = { kind: 'test-linear', nIn: 4 } as ModelSpec;
  const file = join(tmp, 'kind.safetensors');
  learn.export(file);
  await assert.rejects(loadLearner(file), /its model is of kind 'test-linear', which no loaded module registers \(registered: custom, tabular, vision, zoo\)/);
  registerModelKind<{ kind: 'test-linear'; nIn: number }>('test-linear', (spec) => new nn.Sequential(new nn.Linear(spec.nIn, 2)));
  const back = await loadLearner(file);
  assert.deepEqual(back.modelSpec, { kind: 'test-linear', nIn: 4 });
  const x = randn([3, 4]);
  assert.deepEqual((await back.predictBatch(x)).map((p) => p.probs), (await learn.predictBatch(x)).map((p) => p.probs));
  // nothing in learner/ imports a domain (vision, the model zoo, tables) or data's image modules: only
  // data's generic types and its DistributedSampler
  const { readdirSync } = await import('node:fs');
  for (const f of readdirSync(join(process.cwd(), 'src', 'learner'))) {
    const text = readFileSync(join(process.cwd(), 'src', 'learner', f), 'utf8');
    assert.doesNotMatch(text, /from '\.\.\/(vision|models|tabular)\/|import\('\.\.\/(vision|models|tabular)\/|from '\.\.\/data\/(?!(types|sampler)\.js)/, `src/learner/${f}`);
  }
});

test('ClassificationInterpretation: confusion matrix (text, PNG), top losses (PNG), most confused', async () => {
  manualSeed(4);
  const dls = imageData(96, 48);
  dls.normalize?.([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
  const learn = await visionLearner(dls, TINY, { pretrained: false, logger: null });
  await learn.fit(1, { lr: 3e-3 });
  const interp = await ClassificationInterpretation.fromLearner(learn);
  const cm = interp.confusionMatrix();
  assert.equal(cm.length, 3);
  assert.equal(cm.flat().reduce((a, b) => a + b, 0), 48);
  assert.deepEqual(cm.map((r) => r.reduce((a, b) => a + b, 0)), [16, 16, 16]);
  const text = interp.confusionMatrixText();
  assert.match(text, /^actual \\ predicted  +bird +cat +dog\nbird /);
  const mc = interp.mostConfused();
  for (let i = 1; i < mc.length; i++) assert.ok(mc[i - 1]![2] >= mc[i]![2]);
  for (const [a, p, n] of mc) assert.equal(cm[['bird', 'cat', 'dog'].indexOf(a)]![['bird', 'cat', 'dog'].indexOf(p)], n);
  const top = interp.topLosses(5);
  assert.equal(top.indices.length, 5);
  for (let i = 1; i < 5; i++) assert.ok(top.losses[i - 1]! >= top.losses[i]!);
  const cmPng = await interp.plotConfusionMatrix(join(tmp, 'cm.png'));
  const tlPng = await interp.plotTopLosses(6, join(tmp, 'top.png'));
  for (const f of [cmPng, tlPng]) assert.ok(existsSync(f) && readFileSync(f).subarray(1, 4).toString() === 'PNG', f);
});

test('resnet18 at 32 px: visionLearner trains, exports and reloads', { skip: !isModel('resnet18') && 'resnet18 is not in the zoo yet' }, async () => {
  manualSeed(5);
  const dls = imageData(64, 32, 32, 16);
  const learn = await visionLearner(dls, 'resnet18', { pretrained: false, metrics: [errorRate], logger: null });
  assert.match(learn.model.toString(), /^Sequential\(\n {2}\(0\): TimmBody\(\n {4}\(model\): ResNet\(/);
  await learn.fit(1, { lr: 1e-3 });
  assert.ok(Number.isFinite(learn.finalRecord[1]!));
  const file = join(tmp, 'r18.safetensors');
  learn.export(file);
  const back = await loadLearner(file);
  const x = (dls.valid as unknown as { x: Tensor }).x.narrow(0, 0, 4);
  assert.deepEqual((await back.predictBatch(x)).map((p) => p.probs), (await learn.predictBatch(x)).map((p) => p.probs));
});

test('tta: seeded augmented passes blended with the plain predictions (fastai\'s lerp, beta 0.25), or their maximum', async () => {
  const { mkdirSync } = await import('node:fs');
  const sharp = (await import('sharp')).default;
  const { ImageDataLoaders, augTransforms, Resize, getImageFiles } = await import('../src/index.js');
  const dir = join(tmp, 'tta');
  mkdirSync(dir);
  for (let i = 0; i < 24; i++) {
    const buf = Buffer.alloc(20 * 18 * 3);
    for (let p = 0; p < 20 * 18; p++) buf.set([(p * 7 + i * 11) & 255, (p % 20) * 12, Math.floor(p / 20) * 14], p * 3);
    await sharp(buf, { raw: { width: 20, height: 18, channels: 3 } }).png().toFile(join(dir, `${['a', 'b', 'c'][i % 3]}_${i}.png`));
  }
  const dls = ImageDataLoaders.fromNameRe(dir, getImageFiles(dir), String.raw`^([^/]+)_\d+`, { validPct: 0.5, seed: 3, itemTfms: Resize(16), batchTfms: augTransforms(), bs: 4 });
  try {
    manualSeed(2);
    const learn = await visionLearner(dls, TINY, { pretrained: false, logger: null });
    const plain = await learn.getPreds();
    const a0 = (await learn.getPreds(dls.valid.withAugmentation(0))).preds;
    const a1 = (await learn.getPreds(dls.valid.withAugmentation(1))).preds;
    assert.ok(!a0.allclose(plain.preds, 1e-4, 1e-4), 'the augmented pass differs from the plain one');
    const t = await learn.tta(undefined, { n: 2 });
    assert.ok(t.preds.allclose(a0.add(a1).div(2).lerp(plain.preds, 0.25), 1e-5, 1e-6));
    assert.ok(t.targs.equal(plain.targs));
    assert.ok((await learn.tta(undefined, { n: 2 })).preds.equal(t.preds), 'seeded: the same figure each time');
    const apart = await learn.tta(undefined, { n: 2, beta: null });
    assert.ok(apart.preds.allclose(plain.preds) && apart.augmented!.allclose(a0.add(a1).div(2), 1e-5, 1e-6));
    const mx = await learn.tta(undefined, { n: 2, useMax: true });
    assert.ok(mx.preds.allclose(a0.maximum(a1).maximum(plain.preds), 1e-5, 1e-6));
    await assert.rejects(learn.tta(undefined, { n: 0 }), /n must be a whole number/);
    // after export and loadLearner, the test loader still knows the augmentations (fastai's load_learner keeps them)
    const file = join(tmp, 'tta.safetensors');
    await learn.export(file);
    const loaded = await loadLearner(file);
    const files = dls.validItems.files;
    const here = await learn.tta(dls.testDl(files, { bs: 8 }), { n: 2 });
    const there = await loaded.tta(loaded.dls.testDl!(files, { bs: 8 }), { n: 2 });
    assert.ok(there.preds.allclose(here.preds, 1e-5, 1e-6), 'the loaded learner\'s TTA equals the trained one\'s');
  } finally {
    await dls.close();
  }
  const tl = await visionLearner(imageData(), TINY, { pretrained: false, logger: null });
  await assert.rejects(tl.tta(), /cannot apply the training augmentations/);
});
