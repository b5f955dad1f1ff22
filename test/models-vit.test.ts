// The Vision Transformer as timm builds it: the registry (names, tags, configs), parameter counts
// against timm's and torchvision's, the printed tree, parameter names and layout (class token first,
// position embedding with an entry for it), the fixed input size, training pieces, bf16 autocast,
// fastai's body and head for a model whose features are tokens, and torchvision's VisionTransformer
// at ViT-Ti's size (weights mapped to timm's names by test/golden/tv_to_timm.py), output for output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getModelEntry, listModels, manualSeed, noGrad, randn, VisionTransformer, vitArgs, type Tensor } from '../src/index.js';
import { createVisionModel, TimmBody } from '../src/vision/head.js';
import { assertHeadsAndBf16, assertTrainsEveryParameter, numParams, testMatchesTorchvision } from './models-helpers.js';

test('listModels gives timm\'s names, with timm\'s tags and configs', () => {
  assert.deepEqual(listModels('vit_*'), ['vit_base_patch16_224', 'vit_small_patch16_224', 'vit_tiny_patch16_224']);
  assert.equal(getModelEntry('vit_tiny_patch16_224').tag, 'augreg_in21k_ft_in1k');
  assert.equal(getModelEntry('vit_small_patch16_224').tag, 'augreg_in21k_ft_in1k');
  assert.equal(getModelEntry('vit_base_patch16_224').tag, 'augreg2_in21k_ft_in1k');
  const c = getModelEntry('vit_small_patch16_224.augreg_in21k_ft_in1k').cfg!;
  assert.deepEqual(
    [c.hubId, c.inputSize, c.cropPct, c.interpolation, c.mean, c.std, c.fixedInputSize, c.firstConv, c.classifier, c.license],
    ['timm/vit_small_patch16_224.augreg_in21k_ft_in1k', [3, 224, 224], 0.9, 'bicubic', [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], true, 'patch_embed.proj', 'head', 'apache-2.0'],
  );
  assert.equal(getModelEntry('vit_tiny_patch16_224.augreg_in21k').cfg!.numClasses, 21843);
  const mae = getModelEntry('vit_base_patch16_224.mae').cfg!;
  assert.deepEqual([mae.numClasses, mae.mean, mae.license], [0, [0.485, 0.456, 0.406], 'cc-by-nc-4.0']);
  assert.equal(getModelEntry('vit_small_patch16_224.dino').cfg!.numClasses, 0);
});

/**
 * Counts at 1000 classes: timm's (5.72 M, 22.05 M, 86.57 M in its results tables), equal to
 * torchvision 0.14's vit_b_16 (86,567,656) and to its VisionTransformer class at ViT-Ti's and ViT-S's
 * widths (`sum(p.numel() for p in VisionTransformer(224, 16, 12, heads, dim, 4 * dim).parameters())`).
 */
const COUNTS: Record<string, number> = { vit_tiny_patch16_224: 5_717_416, vit_small_patch16_224: 22_050_664, vit_base_patch16_224: 86_567_656 };

test('parameter counts equal timm\'s and torchvision\'s (built on the meta device)', () => {
  for (const [name, n] of Object.entries(COUNTS)) assert.equal(numParams(new VisionTransformer({ ...vitArgs(name), device: 'meta' })), n, name);
});

const TINY_END = `  (norm): LayerNorm((192,), eps=1e-06, elementwise_affine=True)
  (fc_norm): Identity()
  (head_drop): Dropout(p=0.0, inplace=False)
  (head): Linear(in_features=192, out_features=1000, bias=True)
)`;

test('vit_tiny prints as timm\'s does, with timm\'s parameter names and shapes', () => {
  const model = new VisionTransformer({ ...vitArgs('vit_tiny_patch16_224'), device: 'meta' });
  const s = model.toString();
  assert.ok(s.startsWith(`VisionTransformer(
  (patch_embed): PatchEmbed(
    (proj): Conv2d(3, 192, kernel_size=(16, 16), stride=(16, 16))
    (norm): Identity()
  )
  (pos_drop): Dropout(p=0.0, inplace=False)
  (patch_drop): Identity()
  (norm_pre): Identity()
  (blocks): Sequential(
    (0): Block(
      (norm1): LayerNorm((192,), eps=1e-06, elementwise_affine=True)
      (attn): Attention(
        (qkv): Linear(in_features=192, out_features=576, bias=True)
        (q_norm): Identity()
        (k_norm): Identity()
        (attn_drop): Dropout(p=0.0, inplace=False)
        (norm): Identity()
        (proj): Linear(in_features=192, out_features=192, bias=True)
        (proj_drop): Dropout(p=0.0, inplace=False)
      )
      (ls1): Identity()
      (drop_path1): Identity()
      (norm2): LayerNorm((192,), eps=1e-06, elementwise_affine=True)
      (mlp): Mlp(
        (fc1): Linear(in_features=192, out_features=768, bias=True)
        (act): GELU(approximate='none')
`), s.slice(0, 1500));
  assert.ok(s.endsWith(`\n${TINY_END}`), s.slice(-400));
  const sd = model.stateDict();
  assert.deepEqual([...sd.keys()].slice(0, 4), ['cls_token', 'pos_embed', 'patch_embed.proj.weight', 'patch_embed.proj.bias']);
  assert.deepEqual(sd.get('cls_token')!.shape, [1, 1, 192]);
  assert.deepEqual(sd.get('pos_embed')!.shape, [1, 197, 192]);
  assert.deepEqual(sd.get('blocks.11.attn.qkv.weight')!.shape, [576, 192]);
  assert.deepEqual([...sd.keys()].slice(-4), ['norm.weight', 'norm.bias', 'head.weight', 'head.bias']);
});

test('the input size is fixed, with a message that says what to do', () => {
  const model = new VisionTransformer({ ...vitArgs('vit_tiny_patch16_224'), depth: 1 });
  assert.throws(() => noGrad(() => model.call(randn([1, 3, 64, 64]))), /input of 64×64 pixels: this model takes 224×224.*resize the images to 224 px/);
});

test('init, stochastic depth, heads, forward and backward, bf16 autocast', async () => {
  manualSeed(0);
  const model = new VisionTransformer({ ...vitArgs('vit_tiny_patch16_224'), numClasses: 5, dropPathRate: 0.1, dropRate: 0.1 });
  assert.ok(Math.abs(model.getParameter('blocks.0.mlp.fc1.weight').std().item() - 0.02) < 0.002);
  assert.equal(model.getParameter('blocks.0.attn.qkv.bias').abs().max().item(), 0);
  assert.ok(model.getParameter('cls_token').abs().max().item() < 1e-5);
  assert.equal(model.getSubmodule('blocks.0.drop_path1').toString(), 'Identity()');
  assert.equal(model.getSubmodule('blocks.11.drop_path2').toString(), 'DropPath(drop_prob=0.100)');
  const x = randn([2, 3, 224, 224]);
  assertTrainsEveryParameter(model, x, [2, 5]);
  await assertHeadsAndBf16(model, x, { features: [2, 197, 192], preLogits: [2, 192] });
});

test('visionLearner\'s model: the whole ViT without classifier as the body, a head that does not pool', async () => {
  const { model, spec } = await createVisionModel('vit_tiny_patch16_224', 3, { pretrained: false });
  const body = model.at(0) as TimmBody;
  assert.equal(body.needsPool, false);
  assert.equal(spec.head.pool, false);
  // fastai's create_head(192, 3, pool=False): BatchNorm1d(192) first, no pooling or flatten.
  assert.equal(model.getSubmodule('1.0').toString(), 'BatchNorm1d(192, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
  model.eval();
  const x = randn([2, 3, 224, 224]);
  noGrad(() => {
    assert.deepEqual((body.call(x) as Tensor).shape, [2, 192]);
    assert.deepEqual((model.call(x) as Tensor).shape, [2, 3]);
  });
});

testMatchesTorchvision('vit_tiny_patch16_224 matches torchvision\'s VisionTransformer at ViT-Ti\'s size (same weights, timm\'s names): eval outputs', 'vit_ti_16', 'vit_tiny_patch16_224', COUNTS.vit_tiny_patch16_224);
