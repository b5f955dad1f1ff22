/**
 * Squeeze-and-excitation (src/models/layers/squeeze-excite.ts): EfficientNet/MobileNetV3's
 * SqueezeExcite and RegNet's SEModule — the mean over space, two 1×1 convs, the gate, times the input.
 */
import { SEModule, SqueezeExcite } from '../../models/index.js';
import { int, ints } from '../graph.js';
import { registerConverter, type ConvertContext } from '../registry.js';

/** x.mean([2, 3], keepdim=true) */
const spatialMean = (ctx: ConvertContext, x: string): string => ctx.op('ReduceMean', [x], { axes: ints([2, 3]), keepdims: int(1) });

registerConverter(SqueezeExcite, (m, x, ctx) => {
  let s = ctx.child(m.conv_reduce, spatialMean(ctx, x));
  s = ctx.child(m.conv_expand, ctx.child(m.act1, s));
  return ctx.op('Mul', [x, ctx.child(m.gate, s)]);
});

registerConverter(SEModule, (m, x, ctx) => {
  let s = ctx.child(m.fc1, spatialMean(ctx, x));
  s = ctx.child(m.fc2, ctx.child(m.act, ctx.child(m.bn, s)));
  return ctx.op('Mul', [x, ctx.child(m.gate, s)]);
});
