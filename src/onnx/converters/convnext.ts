/**
 * ConvNeXt and ConvNeXt-V2 (src/models/convnext.ts): the blocks (depthwise conv, LayerNorm, MLP —
 * with GRN in V2 — layer scale, residual), stages, the model and its head. Without `convMlp` a
 * block's norm and MLP run channels-last, between two transposes, as the model does.
 */
import { ConvNeXt, ConvNeXtBlock, ConvNeXtStage } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { toChannelsFirst, toChannelsLast } from './ops.js';

registerConverter(ConvNeXtBlock, (m, input, ctx) => {
  let x = ctx.child(m.conv_dw, input);
  if (m.useConvMlp) {
    x = ctx.child(m.mlp, ctx.child(m.norm, x));
  } else {
    x = toChannelsLast(ctx, x);
    x = ctx.child(m.mlp, ctx.child(m.norm, x));
    x = toChannelsFirst(ctx, x);
  }
  if (m.gamma !== null) {
    const c = m.gamma.numel();
    x = ctx.op('Mul', [x, ctx.graph.weight(ctx.name('gamma'), m.gamma, { dims: [1, c, 1, 1] })]);
  }
  return ctx.op('Add', [ctx.child(m.drop_path, x), ctx.child(m.shortcut, input)]);
});

registerConverter(ConvNeXtStage, (m, x, ctx) => ctx.child(m.blocks, ctx.child(m.downsample, x)));

function features(m: ConvNeXt, x: string, ctx: ConvertContext): string {
  return ctx.child(m.norm_pre, ctx.child(m.stages, ctx.child(m.stem, x)));
}

registerConverter(ConvNeXt, (m, x, ctx) => ctx.child(m.head, features(m, x, ctx)), { features });
