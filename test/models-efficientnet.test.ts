// MobileNetV3 and EfficientNet as timm builds them (they share timm's EfficientNet builder): the
// registry (names, tags, configs), parameter counts against timm's, the printed tree, parameter
// names, forward/backward with stochastic depth, bf16 autocast, the fastai body and head, and
// torchvision's mobilenet_v3_small/large and efficientnet_b0 (weights mapped to timm's names by
// test/golden/tv_to_timm.py) matched output for output in eval mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autocast, createModel, decodeArchDef, EfficientNet, efficientnetArgs, getModelEntry, listModels, manualSeed, MobileNetV3,
  mobilenetv3Args, nn, noGrad, randn, type Tensor,
} from '../src/index.js';
import { createVisionModel } from '../src/vision/head.js';
import { assertTrainsEveryParameter, numParams, relError, testMatchesTorchvision } from './models-helpers.js';

// ---------------------------------------------------------------------------------------------
// Registry

test('listModels gives timm\'s names, with timm\'s tags and configs', () => {
  assert.deepEqual(listModels('mobilenetv3*'), ['mobilenetv3_large_100', 'mobilenetv3_small_100']);
  assert.deepEqual(listModels('efficientnet_b*'), ['efficientnet_b0', 'efficientnet_b1', 'efficientnet_b2', 'efficientnet_b3']);
  assert.deepEqual(listModels('mobilenetv3_large_100', { pretrained: true }), [
    'mobilenetv3_large_100.miil_in21k', 'mobilenetv3_large_100.miil_in21k_ft_in1k', 'mobilenetv3_large_100.ra4_e3600_r224_in1k',
    'mobilenetv3_large_100.ra_in1k',
  ]);
  assert.equal(getModelEntry('mobilenetv3_large_100').tag, 'ra_in1k');
  assert.equal(getModelEntry('mobilenetv3_small_100').tag, 'lamb_in1k');
  assert.equal(getModelEntry('efficientnet_b0').tag, 'ra_in1k');
  assert.equal(getModelEntry('efficientnet_b1').tag, 'ra4_e3600_r240_in1k');
  assert.equal(getModelEntry('efficientnet_b3').tag, 'ra2_in1k');

  const ra = getModelEntry('mobilenetv3_large_100.ra_in1k').cfg!;
  assert.equal(ra.hubId, 'timm/mobilenetv3_large_100.ra_in1k');
  assert.deepEqual([ra.numClasses, ra.inputSize, ra.cropPct, ra.interpolation], [1000, [3, 224, 224], 0.875, 'bicubic']);
  assert.deepEqual([ra.firstConv, ra.classifier], ['conv_stem', 'classifier']);
  const ra4 = getModelEntry('mobilenetv3_large_100.ra4_e3600_r224_in1k').cfg!;
  assert.deepEqual([ra4.mean, ra4.cropPct, ra4.testInputSize, ra4.testCropPct], [[0.5, 0.5, 0.5], 0.95, [3, 256, 256], 1.0]);
  const miil = getModelEntry('mobilenetv3_large_100.miil_in21k').cfg!;
  assert.deepEqual([miil.numClasses, miil.mean, miil.std, miil.interpolation], [11221, [0, 0, 0], [1, 1, 1], 'bilinear']);
  const b3 = getModelEntry('efficientnet_b3.ra2_in1k').cfg!;
  assert.deepEqual([b3.inputSize, b3.testInputSize, b3.cropPct, b3.testCropPct, b3.interpolation], [[3, 288, 288], [3, 320, 320], 0.875, 1.0, 'bicubic']);
  assert.deepEqual(getModelEntry('efficientnet_b2').cfg!.inputSize, [3, 256, 256]);
  assert.deepEqual(getModelEntry('efficientnet_b1.ft_in1k').cfg!.testInputSize, [3, 256, 256]);
});

test('block strings decode and scale in depth as timm\'s decode_arch_def', () => {
  assert.equal(decodeArchDef([['ir_r3_k5_s2_e6_c40_se0.25']], 1.4)[0]!.length, 5); // ceil(3 · 1.4)
  const [ir] = decodeArchDef([['ir_r1_k3_s1_e2.5_c80_nre_noskip']])[0]!;
  assert.deepEqual(ir, { blockType: 'ir', outChs: 80, stride: 1, actLayer: 'relu', kernelSize: 3, expRatio: 2.5, seRatio: 0, noskip: true, skip: false });
  assert.deepEqual(efficientnetArgs('efficientnet_b3').blockArgs.map((s) => s.length), [2, 3, 3, 5, 5, 6, 2]);
  assert.throws(() => decodeArchDef([['er_r1_k3_s1_e4_c24']]), /block type 'er'.*not in owlet/);
  assert.throws(() => decodeArchDef([['ir_r1_k3_s1_e4_c24_nr6']]), /activation 'r6'.*not in owlet's builder/);
});

// ---------------------------------------------------------------------------------------------
// Parameter counts

/**
 * timm's counts at 1000 classes (`sum(p.numel() for p in timm.create_model(name).parameters())`,
 * as timm's results tables list them: 5.48 M, 2.54 M, 5.29 M, 7.79 M, 9.11 M, 12.23 M); each equals
 * torchvision 0.14's same architecture (mobilenet_v3_large/small, efficientnet_b0–b3), which
 * make_models_golden.py and the torchvision test below count again.
 */
const TIMM_COUNTS: Record<string, number> = {
  mobilenetv3_large_100: 5_483_032,
  mobilenetv3_small_100: 2_542_856,
  efficientnet_b0: 5_288_548,
  efficientnet_b1: 7_794_184,
  efficientnet_b2: 9_109_994,
  efficientnet_b3: 12_233_232,
};

test('parameter counts equal timm\'s (built on the meta device)', () => {
  for (const [name, n] of Object.entries(TIMM_COUNTS)) {
    const model = name.startsWith('mobilenet')
      ? new MobileNetV3({ ...mobilenetv3Args(name), device: 'meta' })
      : new EfficientNet({ ...efficientnetArgs(name), device: 'meta' });
    assert.equal(numParams(model), n, name);
  }
  // Features the head sees: timm's num_features (MobileNetV3: the last block's, before conv_head).
  const widths = Object.keys(TIMM_COUNTS).map((name) => (name.startsWith('mobilenet')
    ? new MobileNetV3({ ...mobilenetv3Args(name), device: 'meta' }) : new EfficientNet({ ...efficientnetArgs(name), device: 'meta' })).numFeatures);
  assert.deepEqual(widths, [960, 576, 1280, 1280, 1408, 1536]);
});

// ---------------------------------------------------------------------------------------------
// Printing and names

const MNV3_LARGE_BLOCK = `      (1): InvertedResidual(
        (conv_pw): Conv2d(40, 120, kernel_size=(1, 1), stride=(1, 1), bias=False)
        (bn1): BatchNormAct2d(
          120, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True
          (drop): Identity()
          (act): ReLU(inplace=True)
        )
        (conv_dw): Conv2d(120, 120, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), groups=120, bias=False)`;
const MNV3_LARGE_SE = `        (se): SqueezeExcite(
          (conv_reduce): Conv2d(480, 120, kernel_size=(1, 1), stride=(1, 1))
          (act1): ReLU(inplace=True)
          (conv_expand): Conv2d(120, 480, kernel_size=(1, 1), stride=(1, 1))
          (gate): Hardsigmoid()
        )`;
const MNV3_LARGE_END = `  (global_pool): SelectAdaptivePool2d(pool_type=avg, flatten=Identity())
  (conv_head): Conv2d(960, 1280, kernel_size=(1, 1), stride=(1, 1))
  (norm_head): Identity()
  (act2): Hardswish()
  (flatten): Flatten(start_dim=1, end_dim=-1)
  (classifier): Linear(in_features=1280, out_features=1000, bias=True)
)`;
const B0_START = `EfficientNet(
  (conv_stem): Conv2d(3, 32, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
  (bn1): BatchNormAct2d(
    32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True
    (drop): Identity()
    (act): SiLU(inplace=True)
  )
  (blocks): Sequential(
    (0): Sequential(
      (0): DepthwiseSeparableConv(
        (conv_dw): Conv2d(32, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=32, bias=False)`;
const B0_END = `  (conv_head): Conv2d(320, 1280, kernel_size=(1, 1), stride=(1, 1), bias=False)
  (bn2): BatchNormAct2d(
    1280, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True
    (drop): Identity()
    (act): SiLU(inplace=True)
  )
  (global_pool): SelectAdaptivePool2d(pool_type=avg, flatten=Flatten(start_dim=1, end_dim=-1))
  (classifier): Linear(in_features=1280, out_features=1000, bias=True)
)`;

test('models print as timm\'s do', () => {
  const large = new MobileNetV3({ ...mobilenetv3Args('mobilenetv3_large_100'), device: 'meta' }).toString();
  assert.ok(large.startsWith('MobileNetV3(\n  (conv_stem): Conv2d(3, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)\n'));
  assert.ok(large.includes(`\n${MNV3_LARGE_BLOCK}\n`), 'stage 2, block 1 (ReLU, 5×5)');
  assert.ok(large.includes(`\n${MNV3_LARGE_SE}\n`), 'a hard-sigmoid SE of stage 4');
  assert.ok(large.includes('(act): Hardswish()'));
  assert.ok(large.endsWith(`\n${MNV3_LARGE_END}`), large.slice(-600));
  const b0 = new EfficientNet({ ...efficientnetArgs('efficientnet_b0'), device: 'meta' }).toString();
  assert.ok(b0.startsWith(`${B0_START}\n`), b0.slice(0, 900));
  assert.ok(b0.includes('(se): SqueezeExcite(\n          (conv_reduce): Conv2d(96, 4, kernel_size=(1, 1), stride=(1, 1))\n          (act1): SiLU(inplace=True)'));
  assert.ok(b0.endsWith(`\n${B0_END}`), b0.slice(-700));
});

test('state dict keys are timm\'s', () => {
  const keys = (m: nn.Module) => [...m.stateDict().keys()];
  const small = keys(new MobileNetV3({ ...mobilenetv3Args('mobilenetv3_small_100'), device: 'meta' }));
  assert.deepEqual(small.slice(0, 8), [
    'conv_stem.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'bn1.num_batches_tracked',
    'blocks.0.0.conv_dw.weight', 'blocks.0.0.bn1.weight',
  ]);
  for (const k of ['blocks.0.0.se.conv_reduce.bias', 'blocks.1.1.conv_pwl.weight', 'blocks.4.2.se.conv_expand.weight', 'blocks.5.0.conv.weight', 'blocks.5.0.bn1.running_var'])
    assert.ok(small.includes(k), k);
  assert.deepEqual(small.slice(-4), ['conv_head.weight', 'conv_head.bias', 'classifier.weight', 'classifier.bias']);
  const b2 = keys(new EfficientNet({ ...efficientnetArgs('efficientnet_b2'), device: 'meta' }));
  for (const k of ['blocks.0.1.conv_dw.weight', 'blocks.3.3.se.conv_reduce.weight', 'blocks.6.1.bn3.bias', 'conv_head.weight', 'bn2.running_mean'])
    assert.ok(b2.includes(k), k);
  assert.deepEqual(b2.slice(-2), ['classifier.weight', 'classifier.bias']);
});

// ---------------------------------------------------------------------------------------------
// Training pieces

test('init, stochastic depth rising over the blocks, heads and resetClassifier', () => {
  manualSeed(0);
  const model = new MobileNetV3({ ...mobilenetv3Args('mobilenetv3_small_100'), dropPathRate: 0.2, dropRate: 0.1 });
  // timm's _init_weight_goog: N(0, √(2 / fan_out)), fan_out = k·k·out / groups.
  const w = model.getParameter('blocks.4.0.conv_pwl.weight');
  const want = Math.sqrt(2 / 96);
  assert.ok(Math.abs(w.std().item() - want) / want < 0.05, `std ${w.std().item()} vs ${want}`);
  assert.equal(model.getParameter('blocks.4.0.se.conv_reduce.bias').abs().max().item(), 0);
  const lw = model.getParameter('classifier.weight');
  assert.ok(lw.abs().max().item() <= 1 / Math.sqrt(1000) + 1e-7);
  // 12 blocks: block i gets 0.2 · i / 12 (timm's builder: drop_path_rate · block_idx / block_count).
  assert.equal(model.getSubmodule('blocks.0.0.drop_path').toString(), 'Identity()');
  assert.equal(model.getSubmodule('blocks.1.0.drop_path').toString(), 'DropPath(drop_prob=0.017)');
  assert.equal(model.getSubmodule('blocks.5.0.drop_path').toString(), 'DropPath(drop_prob=0.183)');
  const x = randn([2, 3, 64, 64]);
  model.eval();
  noGrad(() => {
    assert.deepEqual(model.forwardFeatures(x).shape, [2, 576, 2, 2]);
    assert.deepEqual(model.forwardHead(model.forwardFeatures(x), { preLogits: true }).shape, [2, 1024]);
    model.resetClassifier(0);
    assert.deepEqual(model.call(x).shape, [2, 1024]);
    model.resetClassifier(5);
    assert.deepEqual(model.call(x).shape, [2, 5]);
  });
  const b0 = new EfficientNet({ ...efficientnetArgs('efficientnet_b0'), numClasses: 3 });
  b0.eval();
  noGrad(() => {
    assert.deepEqual(b0.forwardFeatures(x).shape, [2, 1280, 2, 2]);
    b0.resetClassifier(0, 'catavgmax');
    assert.deepEqual(b0.call(x).shape, [2, 2560]);
  });
});

test('forward and backward for every model (2×3×64×64, drop path and dropout on)', async () => {
  for (const name of [...listModels('mobilenetv3*'), ...listModels('efficientnet_b*')]) {
    manualSeed(1);
    const model = await createModel(name, { numClasses: 10, dropPathRate: 0.1, dropRate: 0.1 });
    assertTrainsEveryParameter(model, randn([2, 3, 64, 64]), [2, 10], name);
  }
});

test('bf16 CPU autocast: forward and backward, close to float32', () => {
  for (const name of ['mobilenetv3_small_100', 'efficientnet_b0']) {
    manualSeed(2);
    const model = name.startsWith('mobilenet') ? new MobileNetV3({ ...mobilenetv3Args(name), numClasses: 10 }) : new EfficientNet({ ...efficientnetArgs(name), numClasses: 10 });
    model.eval();
    const x = randn([2, 3, 64, 64]);
    const ref = noGrad(() => model.call(x));
    const y = autocast('cpu', () => model.call(x));
    assert.equal(y.dtype, 'bfloat16', name);
    const err = relError(y.float().toFlatArray() as number[], ref.toFlatArray() as number[]);
    assert.ok(err < 0.1, `${name}: bf16 vs fp32 relative error ${err}`);
    y.float().sum().backward();
    assert.equal(model.getParameter('conv_stem.weight').grad!.dtype, 'float32');
  }
});

test('visionLearner\'s model: the body without classifier, a head on numFeatures channels', async () => {
  for (const [name, nf] of [['mobilenetv3_small_100', 576], ['efficientnet_b0', 1280]] as const) {
    const { model } = await createVisionModel(name, 4, { pretrained: false });
    assert.equal(model.getSubmodule('1.2').toString(), `BatchNorm1d(${2 * nf}, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)`);
    model.eval();
    const y = noGrad(() => model.call(randn([2, 3, 64, 64])) as Tensor);
    assert.deepEqual(y.shape, [2, 4], name);
  }
});

// ---------------------------------------------------------------------------------------------
// Against torchvision

for (const [tv, name] of [['mobilenet_v3_small', 'mobilenetv3_small_100'], ['mobilenet_v3_large', 'mobilenetv3_large_100'], ['efficientnet_b0', 'efficientnet_b0']] as const) {
  testMatchesTorchvision(`${name} matches torchvision's ${tv} (same weights, timm's names): eval outputs`, tv, name, TIMM_COUNTS[name]);
}
