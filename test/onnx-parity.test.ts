// ONNX export against owlet's own output, family by family, through onnxruntime-node: random
// weights (fixed seeds, every norm and layer scale randomised), the largest absolute difference of
// the logits at most 1e-4 in fp32, and the same top-1. Also: a module without a converter fails
// naming its path and class; the written file is opset 17 / IR 8 with its metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BasicBlock, Bottleneck, ConvNeXt, createModel, manualSeed, modelToOnnx, nn, ResNet, type Tensor } from '../src/index.js';
import { createVisionModel } from '../src/vision/head.js';
import { checkParity as check } from './onnx-helpers.js';

test('ResNet (timm resnet18, a Bottleneck ResNet as resnet50 is built, ResNet-D) matches', async () => {
  manualSeed(1);
  await check('resnet18', await createModel('resnet18', { numClasses: 10 }), 64);
  manualSeed(2);
  await check('bottleneck resnet', new ResNet({ block: Bottleneck, layers: [1, 1, 1, 1], numClasses: 7 }), 64);
  manualSeed(14);
  // ResNet-D: a deep stem, and average-pool shortcuts with ceil_mode at an odd size
  await check('resnet-d', new ResNet({ block: BasicBlock, layers: [1, 1, 1, 1], stemType: 'deep', avgDown: true, numClasses: 4 }), 70);
});

test('CIFAR ResNet (resnet20) and small_cnn match', async () => {
  manualSeed(3);
  await check('resnet20', await createModel('resnet20', { numClasses: 10 }), 32);
  manualSeed(4);
  await check('small_cnn', await createModel('small_cnn', { numClasses: 10 }), 28);
});

test('ConvNeXt and ConvNeXt-V2 match: conv MLP (LayerNorm2d) and channels-last (LayerNorm, Linear) blocks, layer scale, GRN', async () => {
  manualSeed(5);
  await check('convnext_atto', await createModel('convnext_atto', { numClasses: 10 }), 64);
  manualSeed(6);
  await check('convnextv2_atto', await createModel('convnextv2_atto', { numClasses: 10 }), 64);
  const small = { depths: [1, 1, 2, 1], dims: [16, 32, 48, 64], numClasses: 5 } as const;
  manualSeed(7);
  await check('convnext (channels-last)', new ConvNeXt(small), 64);
  manualSeed(8);
  await check('convnext v2 (channels-last)', new ConvNeXt({ ...small, useGrn: true, lsInitValue: null }), 64);
  manualSeed(9);
  await check('convnext (overlap stem with GELU)', new ConvNeXt({ ...small, stemType: 'overlap_act', convMlp: true }), 64);
  manualSeed(12);
  await check('convnext (norm first, ClassifierHead)', new ConvNeXt({ ...small, headNormFirst: true, convMlp: true }), 64);
  manualSeed(13);
  await check('convnext (hidden head layer)', new ConvNeXt({ ...small, headHiddenSize: 24 }), 64);
});

test("fastai's head on a zoo body (TimmBody, AdaptiveConcatPool2d, Flatten, BatchNorm1d, Dropout, Linear, ReLU) matches", async () => {
  manualSeed(10);
  const { model } = await createVisionModel('resnet18', 3, { pretrained: false });
  await check('vision resnet18', model, 64, { bs: 3 });
  manualSeed(11);
  const v2 = await createVisionModel('convnextv2_atto', 4, { pretrained: false, linFtrs: [32], bnFinal: true });
  await check('vision convnextv2_atto', v2.model, 64);
});

test('a module with no converter fails naming its path and class; configurations the exporter cannot write fail by name', () => {
  class Squeeze extends nn.Module {
    override forward(x: Tensor): Tensor {
      return x.mul(2);
    }
  }
  const model = new nn.Sequential(new nn.Conv2d(3, 4, 3), new nn.Sequential(new nn.ReLU(), new Squeeze()), new nn.Flatten());
  assert.throws(() => modelToOnnx(model, { inputShape: [3, 8, 8] }), /cannot export '1\.1' \(Squeeze\) to ONNX: owlet has no ONNX converter for Squeeze/);
  // a subclass that computes differently does not borrow its parent's converter
  class Doubled extends nn.ReLU {
    override forward(x: Tensor): Tensor {
      return super.forward(x).mul(2);
    }
  }
  assert.throws(() => modelToOnnx(new nn.Sequential(new Doubled()), { inputShape: [3, 8, 8] }), /'0' \(Doubled\).*no ONNX converter for Doubled/);
  const pool = new nn.Sequential(new nn.AdaptiveAvgPool2d(2), new nn.Flatten());
  assert.throws(() => modelToOnnx(pool, { inputShape: [3, 8, 8] }), /'0' \(AdaptiveAvgPool2d\).*adaptive pooling to 2/);
  const bn = new nn.Sequential(new nn.BatchNorm2d(3, { trackRunningStats: false }), new nn.AdaptiveAvgPool2d(1), new nn.Flatten());
  assert.throws(() => modelToOnnx(bn, { inputShape: [3, 8, 8] }), /'0' \(BatchNorm2d\).*no running statistics/);
});
