/**
 * The blocks of EfficientNet and MobileNetV3 (src/models/layers/efficientnet-blocks.ts):
 * DepthwiseSeparableConv, InvertedResidual (MBConv) and ConvBnAct, with the input added when the
 * block keeps its shape (`hasSkip`; stochastic depth is off in evaluation).
 */
import { ConvBnAct, DepthwiseSeparableConv, InvertedResidual } from '../../models/index.js';
import type { AnyModule } from '../../nn/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';

function residual(ctx: ConvertContext, out: string, shortcut: string, hasSkip: boolean, dropPath: AnyModule): string {
  return hasSkip ? ctx.op('Add', [ctx.child(dropPath, out), shortcut]) : out;
}

registerConverter(DepthwiseSeparableConv, (m, input, ctx) => {
  let x = ctx.child(m.bn1, ctx.child(m.conv_dw, input));
  x = ctx.child(m.se, ctx.child(m.aa, x));
  x = ctx.child(m.bn2, ctx.child(m.conv_pw, x));
  return residual(ctx, x, input, m.hasSkip, m.drop_path);
});

registerConverter(InvertedResidual, (m, input, ctx) => {
  let x = ctx.child(m.bn1, ctx.child(m.conv_pw, input));
  x = ctx.child(m.bn2, ctx.child(m.conv_dw, x));
  x = ctx.child(m.se, ctx.child(m.aa, x));
  x = ctx.child(m.bn3, ctx.child(m.conv_pwl, x));
  return residual(ctx, x, input, m.hasSkip, m.drop_path);
});

registerConverter(ConvBnAct, (m, input, ctx) => {
  const x = ctx.child(m.aa, ctx.child(m.bn1, ctx.child(m.conv, input)));
  return residual(ctx, x, input, m.hasSkip, m.drop_path);
});
