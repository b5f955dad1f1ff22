/** EfficientNet (src/models/efficientnet.ts): stem, blocks, conv_head and bn2; the pooled classifier. */
import { EfficientNet } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';

function features(m: EfficientNet, input: string, ctx: ConvertContext): string {
  const x = ctx.child(m.blocks, ctx.child(m.bn1, ctx.child(m.conv_stem, input)));
  return ctx.child(m.bn2, ctx.child(m.conv_head, x));
}

registerConverter(EfficientNet, (m, x, ctx) => ctx.child(m.classifier, ctx.child(m.global_pool, features(m, x, ctx))), { features });
