// ONNX export of the families added after the first exporter, against owlet's own output through
// onnxruntime-node (see onnx-helpers.ts's checkParity: random weights with every norm randomised,
// logits within 1e-4 in fp32, the same top-1; where random BatchNorm statistics grow the logits
// into the hundreds, within float32's own error of owlet's float64 logits): MobileNetV3 (hard swish, hard-sigmoid SE, the
// pooled conv head), EfficientNet (SiLU, sigmoid SE, MBConv), RegNet X and Y (grouped bottlenecks,
// SEModule), ViT (patch embedding, class token, position embedding, attention, GELU MLP, LayerNorm)
// and fastai's head on two of them (ViT's without pooling: its body gives the class token).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, manualSeed, modelToOnnx, nn, noGrad, VisionTransformer } from '../src/index.js';
import { createVisionModel } from '../src/vision/head.js';
import { checkParity } from './onnx-helpers.js';

/**
 * A ViT's random start is almost inert (class token ~1e-6, Linear weights with std 0.02: attention
 * nearly uniform): give the tokens and the Linear layers a trained model's scale, so that the graph
 * has to get the attention right to match.
 */
function randomizeVit(model: nn.Module): void {
  noGrad(() => {
    for (const m of model.modules()) {
      if (m instanceof VisionTransformer) {
        nn.init.uniform_(m.cls_token, -1, 1);
        nn.init.uniform_(m.pos_embed, -1, 1);
      } else if (m instanceof nn.Linear) {
        nn.init.normal_(m.weight, 0, 1 / Math.sqrt(m.inFeatures));
        if (m.bias !== null) nn.init.uniform_(m.bias, -0.1, 0.1);
      }
    }
  });
}

test('MobileNetV3 (large, small) matches', async () => {
  manualSeed(21);
  await checkParity('mobilenetv3_large_100', await createModel('mobilenetv3_large_100', { numClasses: 10 }), 64, { fp64: true });
  manualSeed(22);
  await checkParity('mobilenetv3_small_100', await createModel('mobilenetv3_small_100', { numClasses: 10 }), 64, { fp64: true });
});

test('EfficientNet (b0, b2) matches', async () => {
  manualSeed(23);
  await checkParity('efficientnet_b0', await createModel('efficientnet_b0', { numClasses: 10 }), 64, { fp64: true });
  manualSeed(24);
  await checkParity('efficientnet_b2', await createModel('efficientnet_b2', { numClasses: 10 }), 64, { fp64: true });
});

test('RegNet X and Y (with SE) match', async () => {
  manualSeed(25);
  await checkParity('regnetx_004', await createModel('regnetx_004', { numClasses: 10 }), 64, { fp64: true });
  manualSeed(26);
  await checkParity('regnety_004', await createModel('regnety_004', { numClasses: 10 }), 64, { fp64: true });
});

test('ViT (vit_tiny_patch16_224) matches; another input size is refused by name', async () => {
  manualSeed(27);
  const vit = await createModel('vit_tiny_patch16_224', { numClasses: 10 });
  randomizeVit(vit);
  await checkParity('vit_tiny_patch16_224', vit, 224);
  assert.throws(() => modelToOnnx(vit, { inputShape: [3, 64, 64] }), /'patch_embed' \(PatchEmbed\).*64×64 pixels: this model takes 224×224/);
});

test("fastai's head on MobileNetV3, EfficientNet, RegNet (pooled) and on ViT (no pooling: the class token) matches", async () => {
  manualSeed(28);
  const mnv3 = await createVisionModel('mobilenetv3_small_100', 3, { pretrained: false });
  await checkParity('vision mobilenetv3_small_100', mnv3.model, 64, { bs: 3, fp64: true });
  manualSeed(30);
  const effnet = await createVisionModel('efficientnet_b0', 3, { pretrained: false });
  await checkParity('vision efficientnet_b0', effnet.model, 64, { fp64: true });
  manualSeed(31);
  const regnet = await createVisionModel('regnety_004', 3, { pretrained: false });
  await checkParity('vision regnety_004', regnet.model, 64, { fp64: true });
  manualSeed(29);
  const vit = await createVisionModel('vit_tiny_patch16_224', 4, { pretrained: false });
  randomizeVit(vit.model);
  await checkParity('vision vit_tiny_patch16_224', vit.model, 224, { bs: 3 });
});
