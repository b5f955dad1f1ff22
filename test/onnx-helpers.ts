/** Shared by the ONNX tests: random weights that exercise every layer, and running a model with onnxruntime-node. */
import { createRequire } from 'node:module';
import { nn, noGrad, type Tensor } from '../src/index.js';

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
