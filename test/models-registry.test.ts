// The registry-driven model test, in the manner of timm's tests/test_models.py: every name
// `listModels()` gives builds, prints, runs forward and backward on a small input, and round-trips
// its state dict. A new family is covered by registering it: nothing here names a model.
//
// Time, on two CPU cores, is what shapes the tiers (timm's own CI leaves its largest models out
// of some tests in the same way, with EXCLUDE_FILTERS and MAX_*_SIZE):
// - Forward and backward (2×3×32×32, the smallest input every family takes: ConvNeXt and ResNet
//   divide by 32) run for the models up to FWD_MAX_PARAMS; above that the pass costs seconds each
//   and tests nothing a smaller model of the same class does not.
// - The largest names (HEAVY_FILTERS: 200–850 M parameters; regnety_1280: 645 M) take 15–80 s each just to initialise
//   (truncated-normal init of that many values), over three minutes together, so they are built only
//   with OWLET_TEST_LARGE_MODELS=1; without it they are reported as skipped, not silently dropped.
//   Their parameter counts are checked without memory on the meta device in models-convnext.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, listModels, manualSeed, noGrad, randn, readSafetensors, serializeSafetensors, type ZooModel } from '../src/index.js';
import { numParams } from './models-helpers.js';

/** Names built only with OWLET_TEST_LARGE_MODELS=1 (see the top of the file). */
const HEAVY_FILTERS = ['*large*', '*huge*', 'regnety_1280'];
/** Names the filters catch that are small (mobilenetv3_large_100: 5.5 M parameters). */
const NOT_HEAVY = ['mobilenetv3_*'];
/** Forward and backward for models up to this many parameters (covers convnext_tiny, resnet50 and every smaller one). */
const FWD_MAX_PARAMS = 30e6;
const INPUT_SHAPE = [2, 3, 32, 32];

const all = listModels();
const heavy = new Set(process.env.OWLET_TEST_LARGE_MODELS === '1' ? [] : listModels(HEAVY_FILTERS, { exclude: NOT_HEAVY }));

test('the registry lists every family', () => {
  for (const family of ['resnet*', 'resnet20', 'convnext_*', 'convnextv2_*'])
    assert.ok(listModels(family).length > 0, `no model matches ${family}`);
  assert.deepEqual(all, [...new Set(all)].sort(), 'listModels() is sorted, each name once');
});

/** The printed tree: PyTorch's repr, one `(name): Class(` line for each child. */
function checkPrint(name: string, model: ZooModel): void {
  const text = model.toString();
  assert.ok(text.startsWith(`${model.getName()}(\n`) && text.endsWith(')'), `${name}: ${text.slice(0, 80)}`);
  for (const [child] of model.namedChildren()) assert.ok(text.includes(`\n  (${child}): `), `${name}: no (${child}) in its print`);
  assert.ok(!/undefined|\[object /.test(text), `${name} prints a value that is not a repr`);
}

/** timm's test_model_backward: a forward in training mode, and a gradient for every parameter. */
function checkForwardBackward(name: string, model: ZooModel): void {
  model.train();
  // A model of fixed input size (timm's fixed_input_size: ViT) takes its own size, as in timm's tests.
  const cfg = model.pretrainedCfg;
  const shape = cfg?.fixedInputSize ? [INPUT_SHAPE[0]!, ...cfg.inputSize] : INPUT_SHAPE;
  const y = model.call(randn(shape));
  assert.deepEqual(y.shape, [INPUT_SHAPE[0], model.numClasses], name);
  assert.ok(y.isfinite().all().item(), `${name}: non-finite output`);
  y.mean().backward();
  const missing = model.namedParameters().filter(([, p]) => p.grad === null).map(([n]) => n);
  assert.deepEqual(missing, [], `${name}: parameters without a gradient`);
  const features = model.forwardFeatures(randn(shape));
  // Channels of a map (N, C, H, W), or the width of tokens (N, L, C).
  assert.equal(features.shape[model.needsPool === false ? 2 : 1], model.numFeatures, `${name}: forwardFeatures' channels`);
}

/**
 * The state dict through safetensors bytes and back: every value zeroed in between, then loaded
 * strictly (no missing or unexpected key), must give the same bytes.
 */
function checkStateDictRoundTrip(name: string, model: ZooModel): void {
  const before = serializeSafetensors(model.stateDict());
  const sd = model.stateDict();
  noGrad(() => {
    for (const t of sd.values()) t.zero_();
  });
  model.loadStateDict(readSafetensors(before).tensors);
  assert.ok(serializeSafetensors(model.stateDict()).equals(before), `${name}: the state dict did not round-trip`);
}

for (const name of all) {
  test(`${name}: builds, prints, forward and backward, state dict round trip`, { skip: heavy.has(name) && 'a large model: OWLET_TEST_LARGE_MODELS=1 builds it' }, async (t) => {
    manualSeed(0);
    const model = await createModel(name);
    assert.ok(numParams(model) > 0, name);
    checkPrint(name, model);
    if (numParams(model) <= FWD_MAX_PARAMS) checkForwardBackward(name, model);
    else t.diagnostic(`${name}: ${(numParams(model) / 1e6).toFixed(0)} M parameters, over FWD_MAX_PARAMS: no forward and backward`);
    checkStateDictRoundTrip(name, model);
  });
}
