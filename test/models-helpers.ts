/**
 * Shared by the model-zoo tests (ConvNeXt, ResNet, …): parameter counts, error measures, and the
 * torchvision goldens that test/golden/make_models_golden.py writes on demand into
 * `<repo>/.owlet-cache/golden-models/` (they are too large for git: resnet50's weights are 100 MB).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnyModule } from '../src/nn/index.js';
import { repoRoot } from './helpers.js';

/** What make_models_golden.py writes next to `<arch>.safetensors`, as `<arch>.json`. */
export interface ModelsGolden {
  arch: string;
  params: number;
  input: number[];
  input_shape: number[];
  eval_output: number[];
  output_shape: number[];
  /** null for the families checked in eval only (tv_to_timm.py). */
  train_loss: number;
  target: number[];
  /** The first 64 values of each listed parameter's gradient, under timm's names. */
  grads: Record<string, number[]>;
}

export const modelsGoldenDir = join(repoRoot, '.owlet-cache', 'golden-models');

/** The number of trainable values (timm's and PyTorch's `sum(p.numel() for p in m.parameters())`). */
export function numParams(model: AnyModule): number {
  return model.parameters().reduce((n, p) => n + p.numel(), 0);
}

/** Largest |a - b| / max(|b|) over the arrays: the error relative to the reference's scale. */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Largest |a - b|. */
export function maxAbsDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
  return diff;
}

/**
 * The golden files of a torchvision architecture (`resnet18`, `convnext_tiny`, …), made with
 * `/usr/bin/python3 test/golden/make_models_golden.py` when they are not in the cache yet. Returns
 * the paths, or the reason they could not be had (no Python with torchvision: tests then skip).
 */
export function ensureModelsGolden(arch: string): { weights: string; golden: ModelsGolden } | { skip: string } {
  const weights = join(modelsGoldenDir, `${arch}.safetensors`);
  const json = join(modelsGoldenDir, `${arch}.json`);
  if (!existsSync(weights) || !existsSync(json)) {
    const py = '/usr/bin/python3';
    if (!existsSync(py)) return { skip: `no ${py}: the torchvision goldens cannot be made` };
    const probe = spawnSync(py, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
    if (probe.status !== 0) return { skip: `${py} has no torch/torchvision: the goldens cannot be made` };
    mkdirSync(modelsGoldenDir, { recursive: true });
    const script = join(repoRoot, 'test', 'golden', 'make_models_golden.py');
    const r = spawnSync(py, [script, modelsGoldenDir, arch], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`make_models_golden.py ${arch} failed:\n${r.stdout}\n${r.stderr}`);
  }
  return { weights, golden: JSON.parse(readFileSync(json, 'utf8')) as ModelsGolden };
}

/**
 * A zoo model against torchvision's same architecture with the same weights (mapped to timm's
 * names by test/golden/tv_to_timm.py): the eval outputs on the golden input. Returns the largest
 * absolute and relative differences, or the reason the golden could not be had.
 */
export async function evalAgainstTorchvision(
  tvArch: string,
  build: () => Promise<AnyModule & { eval(): unknown }>,
): Promise<{ maxAbs: number; rel: number; params: number; goldenParams: number } | { skip: string }> {
  const g = ensureModelsGolden(tvArch);
  if ('skip' in g) return g;
  const { loadSafetensorsFile, noGrad, tensor } = await import('../src/index.js');
  const model = await build();
  model.loadStateDict(loadSafetensorsFile(g.weights));
  model.eval();
  const x = tensor(g.golden.input, { shape: g.golden.input_shape });
  const y = noGrad(() => model.call(x) as import('../src/index.js').Tensor);
  if (JSON.stringify(y.shape) !== JSON.stringify(g.golden.output_shape)) throw new Error(`output shape ${JSON.stringify(y.shape)}, torchvision's ${JSON.stringify(g.golden.output_shape)}`);
  const out = y.toFlatArray() as number[];
  return { maxAbs: maxAbsDiff(out, g.golden.eval_output), rel: relError(out, g.golden.eval_output), params: numParams(model), goldenParams: g.golden.params };
}

/** What the training-piece checks need of a zoo model. */
interface Headed extends AnyModule {
  call(x: import('../src/index.js').Tensor): import('../src/index.js').Tensor;
  forwardFeatures(x: import('../src/index.js').Tensor): import('../src/index.js').Tensor;
  forwardHead(x: import('../src/index.js').Tensor, options?: { preLogits?: boolean }): import('../src/index.js').Tensor;
  resetClassifier(numClasses: number): void;
}

/** A training forward gives `outShape`, and backward reaches every parameter. */
export function assertTrainsEveryParameter(model: Headed, x: import('../src/index.js').Tensor, outShape: number[], label = ''): void {
  const y = model.call(x);
  assert.deepEqual(y.shape, outShape, label);
  y.square().sum().backward();
  assert.deepEqual(model.namedParameters().filter(([, p]) => p.grad === null).map(([n]) => n), [], label);
}

/**
 * In eval mode: the features' and the pre-logits' shapes; bf16 CPU autocast gives bfloat16 within
 * 10 % (relative) of float32; after resetClassifier(0) the model gives the pre-logits.
 */
export async function assertHeadsAndBf16(model: Headed, x: import('../src/index.js').Tensor, shapes: { features: number[]; preLogits: number[] }): Promise<void> {
  const { autocast, noGrad } = await import('../src/index.js');
  model.eval();
  noGrad(() => {
    assert.deepEqual(model.forwardFeatures(x).shape, shapes.features);
    assert.deepEqual(model.forwardHead(model.forwardFeatures(x), { preLogits: true }).shape, shapes.preLogits);
  });
  const ref = noGrad(() => model.call(x));
  const half = autocast('cpu', () => model.call(x));
  assert.equal(half.dtype, 'bfloat16');
  const err = relError(half.float().toFlatArray() as number[], ref.toFlatArray() as number[]);
  assert.ok(err < 0.1, `bf16 vs fp32 relative error ${err}`);
  model.resetClassifier(0);
  noGrad(() => assert.deepEqual(model.call(x).shape, shapes.preLogits));
}

/**
 * The test that a zoo model matches torchvision's `tvArch` with the same weights (mapped to timm's
 * names): the same parameter count (and timm's, when given), eval outputs within 1e-4 relative.
 */
export function testMatchesTorchvision(title: string, tvArch: string, name: string, timmParams?: number): void {
  test(title, async (t) => {
    const { createModel } = await import('../src/index.js');
    const r = await evalAgainstTorchvision(tvArch, () => createModel(name));
    if ('skip' in r) {
      t.skip(r.skip);
      return;
    }
    assert.equal(r.params, r.goldenParams);
    if (timmParams !== undefined) assert.equal(r.params, timmParams);
    t.diagnostic(`${name}: max abs diff ${r.maxAbs.toExponential(2)}, relative ${r.rel.toExponential(2)}`);
    assert.ok(r.rel <= 1e-4, `relative error ${r.rel}`);
  });
}
