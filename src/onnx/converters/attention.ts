/**
 * timm's multi-head self-attention (src/models/layers/attention.ts) on (B, N, C) tokens: the qkv
 * Linear, reshaped to (B, N, 3, heads, headDim) and permuted to (3, B, heads, N, headDim); q·scale
 * times kᵀ, softmax over the keys, times v; back to (B, N, C) and the proj Linear.
 */
import { Attention } from '../../models/index.js';
import { int, ints } from '../graph.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { scalar } from './ops.js';

/** qkv.unbind(0)[i]: a Gather with a scalar index, which drops the axis. */
function pick(ctx: ConvertContext, qkv: string, i: number, name: string): string {
  return ctx.op('Gather', [qkv, ctx.graph.int64s(ctx.name(name), [i], [])], { axis: int(0) }, 4);
}

registerConverter(Attention, (m, x, ctx) => {
  if (ctx.graph.rank(x) !== 3) ctx.fail(`attention on a rank-${ctx.graph.rank(x)} value ((batch, tokens, channels) expected)`);
  const c = m.numHeads * m.headDim;
  // Reshape's 0 keeps the input's dimension: the batch and the token count.
  let qkv = ctx.op('Reshape', [ctx.child(m.qkv, x), ctx.graph.int64s(ctx.name('qkv_shape'), [0, 0, 3, m.numHeads, m.headDim])], {}, 5);
  qkv = ctx.op('Transpose', [qkv], { perm: ints([2, 0, 3, 1, 4]) });
  const q = ctx.child(m.q_norm, pick(ctx, qkv, 0, 'q_index'));
  const k = ctx.child(m.k_norm, pick(ctx, qkv, 1, 'k_index'));
  const v = pick(ctx, qkv, 2, 'v_index');
  const kt = ctx.op('Transpose', [k], { perm: ints([0, 1, 3, 2]) });
  let attn = ctx.op('MatMul', [ctx.op('Mul', [q, scalar(ctx, 'scale', m.scale)]), kt]);
  attn = ctx.child(m.attn_drop, ctx.op('Softmax', [attn], { axis: int(-1) }));
  let y = ctx.op('Transpose', [ctx.op('MatMul', [attn, v])], { perm: ints([0, 2, 1, 3]) });
  y = ctx.op('Reshape', [y, ctx.graph.int64s(ctx.name('out_shape'), [0, 0, c])], {}, 3);
  y = ctx.child(m.proj, ctx.child(m.norm, y));
  return ctx.child(m.proj_drop, y);
});
