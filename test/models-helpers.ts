/**
 * Shared by the model-zoo tests (ConvNeXt, ResNet, …): parameter counts, error measures, and the
 * torchvision goldens that test/golden/make_models_golden.py writes on demand into
 * `<repo>/.owlet-cache/golden-models/` (they are too large for git: resnet50's weights are 100 MB).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
