// RegNet-X and RegNet-Y as timm builds them: the registry (names, tags, configs), per-stage widths,
// parameter counts against timm's and torchvision's, the printed tree, parameter names, training
// pieces, bf16 autocast, the fastai body and head, and torchvision's regnet_x_400mf, regnet_y_400mf
// and regnet_y_800mf (weights mapped to timm's names by test/golden/tv_to_timm.py), output for output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getModelEntry, listModels, manualSeed, noGrad, randn, RegNet, regnetCfg, regnetStages, type Tensor } from '../src/index.js';
import { createVisionModel } from '../src/vision/head.js';
import { assertHeadsAndBf16, assertTrainsEveryParameter, numParams, testMatchesTorchvision } from './models-helpers.js';

const NAMES = [
  'regnetx_004', 'regnetx_004_tv', 'regnetx_008', 'regnetx_016', 'regnetx_032', 'regnetx_080', 'regnetx_160', 'regnetx_320',
  'regnety_004', 'regnety_008', 'regnety_008_tv', 'regnety_016', 'regnety_032', 'regnety_080', 'regnety_080_tv', 'regnety_1280',
  'regnety_160', 'regnety_320',
];

test('listModels gives timm\'s names for the sizes torchvision has, with timm\'s tags', () => {
  assert.deepEqual(listModels('regnet*'), NAMES);
  assert.equal(getModelEntry('regnetx_004').tag, 'pycls_in1k');
  assert.equal(getModelEntry('regnetx_004_tv').tag, 'tv2_in1k');
  assert.equal(getModelEntry('regnety_032').tag, 'ra_in1k');
  assert.equal(getModelEntry('regnety_160').tag, 'sw_in12k_ft_in1k');
  assert.equal(getModelEntry('regnety_1280').tag, 'swag_ft_in1k');
  assert.deepEqual(listModels('regnety_320', { pretrained: true }), [
    'regnety_320.pycls_in1k', 'regnety_320.seer', 'regnety_320.seer_ft_in1k', 'regnety_320.swag_ft_in1k', 'regnety_320.swag_lc_in1k',
    'regnety_320.tv2_in1k',
  ]);
  const tv2 = getModelEntry('regnety_016.tv2_in1k').cfg!;
  assert.deepEqual([tv2.hubId, tv2.cropPct, tv2.interpolation, tv2.license, tv2.firstConv, tv2.classifier],
    ['timm/regnety_016.tv2_in1k', 0.965, 'bicubic', 'bsd-3-clause', 'stem.conv', 'head.fc']);
  const ra = getModelEntry('regnety_032.ra_in1k').cfg!;
  assert.deepEqual([ra.cropPct, ra.testInputSize, ra.testCropPct], [0.95, [3, 288, 288], 1.0]);
  assert.deepEqual([getModelEntry('regnetx_008.pycls_in1k').cfg!.cropPct, getModelEntry('regnetx_008.pycls_in1k').cfg!.license], [0.875, 'mit']);
  const swag = getModelEntry('regnety_1280.swag_ft_in1k').cfg!;
  assert.deepEqual([swag.inputSize, swag.cropPct, swag.license], [[3, 384, 384], 1.0, 'cc-by-nc-4.0']);
  assert.equal(getModelEntry('regnety_320.seer').cfg!.numClasses, 0);
  assert.equal(getModelEntry('regnety_160.sw_in12k').cfg!.numClasses, 11821);
});

test('stage widths, depths and groups follow timm\'s generate_regnet and its two roundings', () => {
  assert.deepEqual(regnetStages(regnetCfg('regnetx_004')), { widths: [32, 64, 160, 384], depths: [1, 2, 7, 12], groupSizes: [16, 16, 16, 16] });
  // torchvision's rounding (the _tv models): 400 instead of 384 in the last stage.
  assert.deepEqual(regnetStages(regnetCfg('regnetx_004_tv')).widths, [32, 64, 160, 400]);
  assert.deepEqual(regnetStages(regnetCfg('regnety_004')), { widths: [48, 104, 208, 440], depths: [1, 3, 6, 6], groupSizes: [8, 8, 8, 8] });
  assert.throws(() => new RegNet({ cfg: { ...regnetCfg('regnetx_004'), w0: 25 }, device: 'meta' }), /invalid width parameters/);
});

/**
 * Parameter counts at 1000 classes. Where timm's architecture is torchvision's (the same widths),
 * the exact count of torchvision 0.14's model (`sum(p.numel() for p in m.parameters())`); for the
 * three pycls-rounded sizes, timm's own (its results tables: regnetx_004 5.16 M, regnety_008 6.26 M,
 * regnety_080 39.18 M), whose torchvision twins are the `_tv` models.
 */
const COUNTS: Record<string, number> = {
  regnetx_004_tv: 5_495_976, regnetx_008: 7_259_656, regnetx_016: 9_190_136, regnetx_032: 15_296_552, regnetx_080: 39_572_648,
  regnetx_160: 54_278_536, regnetx_320: 107_811_560, regnety_004: 4_344_144, regnety_008_tv: 6_432_512, regnety_016: 11_202_430,
  regnety_032: 19_436_338, regnety_080_tv: 39_381_472, regnety_160: 83_590_140, regnety_320: 145_046_770, regnety_1280: 644_812_894,
};
const TIMM_ROUNDED: Record<string, number> = { regnetx_004: 5.16e6, regnety_008: 6.26e6, regnety_080: 39.18e6 };

test('parameter counts equal timm\'s and torchvision\'s (built on the meta device)', () => {
  for (const name of NAMES) {
    const n = numParams(new RegNet({ cfg: regnetCfg(name), device: 'meta' }));
    if (COUNTS[name] !== undefined) assert.equal(n, COUNTS[name], name);
    else assert.ok(Math.abs(n - TIMM_ROUNDED[name]!) <= 5e3, `${name}: ${n}`);
  }
});

const Y004_BLOCK = `    (b1): Bottleneck(
      (conv1): ConvNormAct(
        (conv): Conv2d(32, 48, kernel_size=(1, 1), stride=(1, 1), bias=False)
        (bn): BatchNormAct2d(
          48, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True
          (drop): Identity()
          (act): ReLU(inplace=True)
        )
      )`;
const Y004_SE = `      (se): SEModule(
        (fc1): Conv2d(48, 8, kernel_size=(1, 1), stride=(1, 1))
        (bn): Identity()
        (act): ReLU(inplace=True)
        (fc2): Conv2d(8, 48, kernel_size=(1, 1), stride=(1, 1))
        (gate): Sigmoid()
      )`;
const Y004_END = `  (final_conv): Identity()
  (head): ClassifierHead(
    (global_pool): SelectAdaptivePool2d(pool_type=avg, flatten=Flatten(start_dim=1, end_dim=-1))
    (drop): Dropout(p=0.0, inplace=False)
    (fc): Linear(in_features=440, out_features=1000, bias=True)
    (flatten): Identity()
  )
)`;

test('regnety_004 prints as timm\'s does, with timm\'s parameter names', () => {
  const model = new RegNet({ cfg: regnetCfg('regnety_004'), device: 'meta' });
  const s = model.toString();
  assert.ok(s.startsWith('RegNet(\n  (stem): ConvNormAct(\n    (conv): Conv2d(3, 32, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)\n'));
  assert.ok(s.includes(`\n  (s1): RegStage(\n${Y004_BLOCK}\n`));
  assert.ok(s.includes(`\n${Y004_SE}\n`));
  assert.ok(s.includes('(conv): Conv2d(48, 48, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), groups=6, bias=False)'));
  assert.ok(s.includes('      (act3): ReLU()\n      (downsample): ConvNormAct('));
  assert.ok(s.endsWith(`\n${Y004_END}`), s.slice(-500));
  const keys = [...model.stateDict().keys()];
  for (const k of ['stem.conv.weight', 'stem.bn.running_var', 's1.b1.conv2.conv.weight', 's1.b1.se.fc1.bias', 's1.b1.downsample.bn.weight', 's4.b6.conv3.bn.bias'])
    assert.ok(keys.includes(k), k);
  assert.deepEqual(keys.slice(-2), ['head.fc.weight', 'head.fc.bias']);
  assert.ok(!keys.some((k) => k.startsWith('s2.b2.downsample')), 'an identity shortcut has no weights');
});

test('init (last BN zero), stochastic depth, heads, forward and backward, bf16 autocast', async () => {
  manualSeed(0);
  const model = new RegNet({ cfg: regnetCfg('regnetx_004'), numClasses: 10, dropPathRate: 0.2, dropRate: 0.1 });
  assert.equal(model.getParameter('s2.b1.conv3.bn.weight').abs().max().item(), 0);
  assert.ok(Math.abs(model.getParameter('head.fc.weight').std().item() - 0.01) < 0.001);
  // 22 blocks: NumPy's linspace(0, 0.2, 22); the last block gets 0.2.
  assert.equal(model.getSubmodule('s1.b1.drop_path').toString(), 'Identity()');
  assert.equal(model.getSubmodule('s4.b12.drop_path').toString(), 'DropPath(drop_prob=0.200)');
  assert.equal(model.getSubmodule('s2.b1.drop_path').toString(), `DropPath(drop_prob=${(0.2 / 21).toFixed(3)})`);
  assertTrainsEveryParameter(model, randn([2, 3, 64, 64]), [2, 10]);
  await assertHeadsAndBf16(model, randn([2, 3, 64, 64]), { features: [2, 384, 2, 2], preLogits: [2, 384] });
});

test('visionLearner\'s model on a RegNet body', async () => {
  const { model } = await createVisionModel('regnety_004', 3, { pretrained: false });
  assert.equal(model.getSubmodule('1.2').toString(), 'BatchNorm1d(880, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
  model.eval();
  assert.deepEqual(noGrad(() => model.call(randn([2, 3, 64, 64])) as Tensor).shape, [2, 3]);
});

for (const [tv, name] of [['regnet_x_400mf', 'regnetx_004_tv'], ['regnet_y_400mf', 'regnety_004'], ['regnet_y_800mf', 'regnety_008_tv']] as const) {
  testMatchesTorchvision(`${name} matches torchvision's ${tv} (same weights, timm's names): eval outputs`, tv, name);
}
