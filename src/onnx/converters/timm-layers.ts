/** Converters for the zoo's shared layers (src/models/layers: timm's pooling, heads, MLPs, GRN, ResNet blocks). */
import {
  AdaptiveAvgMaxPool2d, AdaptiveCatAvgMaxPool2d, BasicBlock, Bottleneck, ClassifierHead, GlobalResponseNorm, GlobalResponseNormMlp, Mlp,
  NormMlpClassifierHead, SelectAdaptivePool2d,
} from '../../models/index.js';
import { int, ints } from '../graph.js';
import { registerConverter } from '../registry.js';
import { chain, globalPool, scalar } from './ops.js';

registerConverter(SelectAdaptivePool2d, (m, x, ctx) => ctx.child(m.flatten, ctx.child(m.pool, x)));

registerConverter(AdaptiveAvgMaxPool2d, (m, x, ctx) => {
  const sum = ctx.op('Add', [globalPool(ctx, x, 'avg', m.outputSize), globalPool(ctx, x, 'max', m.outputSize)]);
  return ctx.op('Mul', [sum, scalar(ctx, 'half', 0.5)]);
});

// timm's: average first, then max.
registerConverter(AdaptiveCatAvgMaxPool2d, (m, x, ctx) =>
  ctx.op('Concat', [globalPool(ctx, x, 'avg', m.outputSize), globalPool(ctx, x, 'max', m.outputSize)], { axis: int(1) }));

registerConverter(ClassifierHead, (m, x, ctx) => chain(ctx, [m.global_pool, m.drop, m.fc, m.flatten], x));

registerConverter(NormMlpClassifierHead, (m, x, ctx) => chain(ctx, [m.global_pool, m.norm, m.flatten, m.pre_logits, m.drop, m.fc], x));

registerConverter(Mlp, (m, x, ctx) => chain(ctx, [m.fc1, m.act, m.drop1, m.norm, m.fc2, m.drop2], x));

registerConverter(GlobalResponseNormMlp, (m, x, ctx) => chain(ctx, [m.fc1, m.act, m.drop1, m.grn, m.fc2, m.drop2], x));

// x + bias + weight·(x·n), n = ‖x‖₂ over space / (its mean over channels + eps)
registerConverter(GlobalResponseNorm, (m, x, ctx) => {
  if (ctx.graph.rank(x) !== 4) ctx.fail(`GRN of a rank-${ctx.graph.rank(x)} value (4 expected)`);
  const c = m.weight.size(0);
  const dims = m.wbShape.map((d) => (d === -1 ? c : d));
  const xg = ctx.op('ReduceL2', [x], { axes: ints(m.spatialDim), keepdims: int(1) });
  const mean = ctx.op('ReduceMean', [xg], { axes: ints([m.channelDim]), keepdims: int(1) });
  const xn = ctx.op('Div', [xg, ctx.op('Add', [mean, scalar(ctx, 'eps', m.eps)])]);
  const w = ctx.graph.weight(ctx.name('weight'), m.weight, { dims });
  const b = ctx.graph.weight(ctx.name('bias'), m.bias, { dims });
  const scaled = ctx.op('Add', [b, ctx.op('Mul', [w, ctx.op('Mul', [x, xn])])]);
  return ctx.op('Add', [x, scaled]);
});

registerConverter(BasicBlock, (m, input, ctx) => {
  const x = chain(ctx, [m.conv1, m.bn1, m.drop_block, m.act1, m.aa, m.conv2, m.bn2, m.drop_path], input);
  return ctx.child(m.act2, ctx.op('Add', [x, ctx.child(m.downsample, input)]));
});

registerConverter(Bottleneck, (m, input, ctx) => {
  const x = chain(ctx, [m.conv1, m.bn1, m.act1, m.conv2, m.bn2, m.drop_block, m.act2, m.aa, m.conv3, m.bn3, m.drop_path], input);
  return ctx.child(m.act3, ctx.op('Add', [x, ctx.child(m.downsample, input)]));
});
