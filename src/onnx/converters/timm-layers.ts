/** Converters for the zoo's shared layers (src/models/layers: timm's pooling, heads, MLPs, GRN, ResNet blocks). */
import {
  AdaptiveAvgMaxPool2d, AdaptiveCatAvgMaxPool2d, BasicBlock, Bottleneck, ClassifierHead, GlobalResponseNorm, GlobalResponseNormMlp, Mlp,
  NormMlpClassifierHead, SelectAdaptivePool2d,
} from '../../models/index.js';
import { int, ints } from '../graph.js';
import { registerConverter } from '../registry.js';
import { globalPool, scalar } from './ops.js';

registerConverter(SelectAdaptivePool2d, (m, x, ctx) => ctx.child(m.flatten, ctx.child(m.pool, x)));

registerConverter(AdaptiveAvgMaxPool2d, (m, x, ctx) => {
  const sum = ctx.op('Add', [globalPool(ctx, x, 'avg', m.outputSize), globalPool(ctx, x, 'max', m.outputSize)]);
  return ctx.op('Mul', [sum, scalar(ctx, 'half', 0.5)]);
});

// timm's: average first, then max.
registerConverter(AdaptiveCatAvgMaxPool2d, (m, x, ctx) =>
  ctx.op('Concat', [globalPool(ctx, x, 'avg', m.outputSize), globalPool(ctx, x, 'max', m.outputSize)], { axis: int(1) }));

registerConverter(ClassifierHead, (m, x, ctx) => {
  let y = ctx.child(m.global_pool, x);
  y = ctx.child(m.drop, y);
  y = ctx.child(m.fc, y);
  return ctx.child(m.flatten, y);
});

registerConverter(NormMlpClassifierHead, (m, x, ctx) => {
  let y = ctx.child(m.global_pool, x);
  y = ctx.child(m.norm, y);
  y = ctx.child(m.flatten, y);
  y = ctx.child(m.pre_logits, y);
  y = ctx.child(m.drop, y);
  return ctx.child(m.fc, y);
});

registerConverter(Mlp, (m, x, ctx) => {
  let y = ctx.child(m.fc1, x);
  y = ctx.child(m.act, y);
  y = ctx.child(m.drop1, y);
  y = ctx.child(m.norm, y);
  y = ctx.child(m.fc2, y);
  return ctx.child(m.drop2, y);
});

registerConverter(GlobalResponseNormMlp, (m, x, ctx) => {
  let y = ctx.child(m.fc1, x);
  y = ctx.child(m.act, y);
  y = ctx.child(m.drop1, y);
  y = ctx.child(m.grn, y);
  y = ctx.child(m.fc2, y);
  return ctx.child(m.drop2, y);
});

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
  let x = ctx.child(m.conv1, input);
  x = ctx.child(m.bn1, x);
  x = ctx.child(m.drop_block, x);
  x = ctx.child(m.act1, x);
  x = ctx.child(m.aa, x);
  x = ctx.child(m.conv2, x);
  x = ctx.child(m.bn2, x);
  x = ctx.child(m.drop_path, x);
  x = ctx.op('Add', [x, ctx.child(m.downsample, input)]);
  return ctx.child(m.act2, x);
});

registerConverter(Bottleneck, (m, input, ctx) => {
  let x = ctx.child(m.conv1, input);
  x = ctx.child(m.bn1, x);
  x = ctx.child(m.act1, x);
  x = ctx.child(m.conv2, x);
  x = ctx.child(m.bn2, x);
  x = ctx.child(m.drop_block, x);
  x = ctx.child(m.act2, x);
  x = ctx.child(m.aa, x);
  x = ctx.child(m.conv3, x);
  x = ctx.child(m.bn3, x);
  x = ctx.child(m.drop_path, x);
  x = ctx.op('Add', [x, ctx.child(m.downsample, input)]);
  return ctx.child(m.act3, x);
});
