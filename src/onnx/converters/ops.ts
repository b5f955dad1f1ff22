/** ONNX node patterns several converters share: children in a row, GELU, global pooling, a Linear on any rank. */
import type { Tensor } from '../../engine/index.js';
import type { PooledClassifier } from '../../models/layers/index.js';
import type { AnyModule, OutputSize2 } from '../../nn/index.js';
import { float, int, ints } from '../graph.js';
import type { ConvertContext } from '../registry.js';

/** A scalar float32 constant. */
export function scalar(ctx: ConvertContext, name: string, v: number): string {
  return ctx.graph.constant(ctx.name(name), Float32Array.of(v), []);
}

/** GELU at opset 17 (which has no Gelu op): exact, x·½(1 + erf(x/√2)), or the tanh approximation. */
export function gelu(ctx: ConvertContext, x: string, approximate: 'none' | 'tanh' = 'none'): string {
  const half = ctx.op('Mul', [x, scalar(ctx, 'half', 0.5)]);
  const one = scalar(ctx, 'one', 1);
  let inner: string;
  if (approximate === 'tanh') {
    const cube = ctx.op('Mul', [ctx.op('Mul', [x, x]), x]);
    const sum = ctx.op('Add', [x, ctx.op('Mul', [cube, scalar(ctx, 'c0044715', 0.044715)])]);
    inner = ctx.op('Tanh', [ctx.op('Mul', [sum, scalar(ctx, 'sqrt_2_over_pi', Math.sqrt(2 / Math.PI))])]);
  } else {
    inner = ctx.op('Erf', [ctx.op('Div', [x, scalar(ctx, 'sqrt2', Math.SQRT2)])]);
  }
  return ctx.op('Mul', [half, ctx.op('Add', [inner, one])]);
}

/** Global pooling of NCHW input: adaptive pooling to 1×1 (the only adaptive size the exporter writes). */
export function globalPool(ctx: ConvertContext, x: string, kind: 'avg' | 'max', outputSize: OutputSize2): string {
  const one = typeof outputSize === 'number' ? outputSize === 1 : outputSize.every((s) => s === 1);
  if (!one) ctx.fail(`adaptive pooling to ${JSON.stringify(outputSize)} is not written yet (only to 1×1, global pooling)`);
  if (ctx.graph.rank(x) !== 4) ctx.fail(`global pooling of a rank-${ctx.graph.rank(x)} value (NCHW expected)`);
  return ctx.op(kind === 'avg' ? 'GlobalAveragePool' : 'GlobalMaxPool', [x]);
}

/** y = x Wᵀ + b on the last dimension: a Gemm for [N, C], else a MatMul with Wᵀ and an Add. */
export function linear(ctx: ConvertContext, x: string, weight: Tensor, bias: Tensor | null): string {
  if (ctx.graph.rank(x) === 2) {
    const inputs = [x, ctx.graph.weight(ctx.name('weight'), weight)];
    if (bias !== null) inputs.push(ctx.graph.weight(ctx.name('bias'), bias));
    return ctx.op('Gemm', inputs, { transB: int(1) });
  }
  const wt = ctx.graph.weight(ctx.name('weight_t'), weight, { transform: (w) => w.t() });
  const y = ctx.op('MatMul', [x, wt]);
  return bias === null ? y : ctx.op('Add', [y, ctx.graph.weight(ctx.name('bias'), bias)]);
}

/** LayerNormalization over the last `n` dimensions, with the module's scale and shift (ones and zeros without). */
export function layerNorm(ctx: ConvertContext, x: string, shape: readonly number[], weight: Tensor | null, bias: Tensor | null, eps: number): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const scale = weight !== null ? ctx.graph.weight(ctx.name('weight'), weight) : ctx.graph.constant(ctx.name('ones'), new Float32Array(size).fill(1), shape);
  const inputs = [x, scale];
  if (bias !== null) inputs.push(ctx.graph.weight(ctx.name('bias'), bias));
  return ctx.op('LayerNormalization', inputs, { axis: int(-shape.length), epsilon: float(eps) });
}

/** NCHW → NHWC and back. */
export const toChannelsLast = (ctx: ConvertContext, x: string): string => ctx.op('Transpose', [x], { perm: ints([0, 2, 3, 1]) });
export const toChannelsFirst = (ctx: ConvertContext, x: string): string => ctx.op('Transpose', [x], { perm: ints([0, 3, 1, 2]) });

/** The head of a zoo model with `global_pool` and `fc` (timm's ResNet `forward_head`; its dropout is off in evaluation). */
export function pooledHead(ctx: ConvertContext, m: PooledClassifier, x: string): string {
  return ctx.child(m.fc, ctx.child(m.global_pool, x));
}

/** Children applied in a row, as a forward that calls them one after another (a null child is skipped, as ctx.child does). */
export function chain(ctx: ConvertContext, modules: readonly (AnyModule | null)[], x: string): string {
  return modules.reduce((y, m) => ctx.child(m, y), x);
}
