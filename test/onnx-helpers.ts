/** Shared by the ONNX tests: random weights that exercise every layer, and running a model with onnxruntime-node. */
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { modelToOnnx, nn, noGrad, randn, type Tensor } from '../src/index.js';

/** onnxruntime-node (a devDependency), loaded the CommonJS way it is published. */
export type Ort = typeof import('onnxruntime-node');
export const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

/**
 * Other onnxruntime-node installs to check as well (`OWLET_ONNXRUNTIME_EXTRA`, folders separated by
 * ':'), e.g. the oldest the export promises: `npm install --prefix /tmp/ort114 onnxruntime-node@1.14.0`
 * and OWLET_ONNXRUNTIME_EXTRA=/tmp/ort114/node_modules/onnxruntime-node.
 */
export const extraRuntimes: { path: string; ort: Ort }[] = (process.env['OWLET_ONNXRUNTIME_EXTRA'] ?? '')
  .split(':')
  .filter((p) => p !== '')
  .map((path) => ({ path, ort: createRequire(import.meta.url)(path) as Ort }));

/**
 * Gives the layers that start as constants random values, so that parity tests see them: batch
 * norm's scale, shift and running statistics, layer norm's scale and shift, GRN's weight and bias
 * (zeros at init) and ConvNeXt's layer scale `gamma` (1e-6 at init).
 */
export function randomizeNorms(model: nn.Module): void {
  noGrad(() => {
    for (const [name, t] of [...model.namedParameters(), ...model.namedBuffers()]) {
      if (!t.isFloatingPoint()) continue;
      const leaf = name.split('.').pop()!;
      const owner = model.getSubmodule(name.split('.').slice(0, -1).join('.'));
      const isNorm = owner instanceof nn.BatchNormBase || owner instanceof nn.LayerNorm || owner.getName() === 'GlobalResponseNorm';
      if (leaf === 'gamma' || leaf === 'running_var' || (isNorm && leaf === 'weight')) nn.init.uniform_(t, 0.5, 1.5);
      else if (leaf === 'running_mean' || (isNorm && leaf === 'bias')) nn.init.uniform_(t, -0.3, 0.3);
    }
  });
}

/** Runs an ONNX model (bytes) on `x` with onnxruntime-node; returns its outputs as float arrays and the session's metadata. */
export async function runOnnx(bytes: Uint8Array, x: Tensor, runtime: Ort = ort): Promise<{ logits: Float32Array; probs?: Float32Array }> {
  const session = await runtime.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const input = new runtime.Tensor('float32', Float32Array.from(x.contiguous().toFlatArray() as number[]), x.shape);
  const out = await session.run({ input });
  const result: { logits: Float32Array; probs?: Float32Array } = { logits: out['logits']!.data as Float32Array };
  if (out['probs']) result.probs = out['probs'].data as Float32Array;
  // release() came in onnxruntime 1.15; older ones free the session with the garbage collector
  await (session as { release?: () => Promise<void> }).release?.();
  return result;
}

/** The largest absolute difference of two float arrays of one length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** owlet's logits of `model` on `x` in float64 (the model is converted there and back). */
function exactLogits(model: nn.Module, x: Tensor): number[] {
  model.to({ dtype: 'float64' });
  try {
    return noGrad(() => (model.call(x.to({ dtype: 'float64' })) as Tensor).toFlatArray() as number[]);
  } finally {
    model.to({ dtype: 'float32' });
  }
}

/**
 * A model's ONNX export against owlet's own output on random input of `size` px (after randomising
 * its norms): the logits within `tol` (1e-4), the softmax within 1e-5, the same top-1 for each item.
 * Deep random networks can grow logits in the hundreds, where float32's own rounding passes 1e-4:
 * with `fp64` such a model passes when the ONNX logits are within 3× owlet float32's own distance
 * from owlet's float64 logits (a wrong graph is orders of magnitude further).
 */
export async function checkParity(name: string, model: nn.Module, size: number, options: { bs?: number; tol?: number; fp64?: boolean } = {}): Promise<void> {
  randomizeNorms(model);
  model.eval();
  const x = randn([options.bs ?? 2, 3, size, size]);
  const expected = noGrad(() => model.call(x) as Tensor);
  const bytes = modelToOnnx(model, { inputShape: [3, size, size], activation: 'softmax' });
  const ref = expected.toFlatArray() as number[];
  const tol = options.tol ?? 1e-4;
  const scale = `logits up to ${Math.max(...ref.map(Math.abs)).toFixed(2)}`;
  let exact: number[] | null = null;
  /** The logits' check; returns their largest difference from owlet's. */
  const checkLogits = (logits: Float32Array, runtime: string): number => {
    const diff = maxAbsDiff(logits, ref);
    if (!options.fp64 || diff <= tol) {
      assert.ok(diff <= tol, `${name}${runtime}: max |onnx - owlet| = ${diff.toExponential(2)} (${scale})`);
      return diff;
    }
    // Past 1e-4 only as far as owlet's own float32 is from the exact (float64) answer.
    exact ??= exactLogits(model, x);
    const own = maxAbsDiff(ref, exact);
    const onnx = maxAbsDiff(logits, exact);
    assert.ok(onnx <= 3 * own, `${name}${runtime}: max |onnx - owlet float64| = ${onnx.toExponential(2)}, owlet float32's own ${own.toExponential(2)} (${scale})`);
    return diff;
  };
  for (const extra of extraRuntimes) checkLogits((await runOnnx(bytes, x, extra.ort)).logits, ` (onnxruntime-node at ${extra.path})`);
  const { logits, probs } = await runOnnx(bytes, x);
  const diff = checkLogits(logits, '');
  // softmax moves no probability by more than the logits moved
  const probTol = Math.max(1e-5, diff > tol ? diff : 0);
  const refProbs = noGrad(() => expected.softmax(-1)).toFlatArray() as number[];
  assert.ok(maxAbsDiff(probs!, refProbs) <= probTol, `${name}: probabilities differ by ${maxAbsDiff(probs!, refProbs).toExponential(2)}`);
  const n = expected.size(1);
  for (let i = 0; i < expected.size(0); i++) {
    const row = (a: ArrayLike<number>) => Array.from({ length: n }, (_, j) => a[i * n + j]!);
    const argmax = (r: number[]) => r.indexOf(Math.max(...r));
    assert.equal(argmax(row(logits)), argmax(row(ref)), `${name}: top-1 of item ${i}`);
  }
}
