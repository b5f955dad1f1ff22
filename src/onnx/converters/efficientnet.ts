/** EfficientNet (src/models/efficientnet.ts): stem, blocks, conv_head and bn2; the pooled classifier. */
import { EfficientNet } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { chain } from './ops.js';

function features(m: EfficientNet, input: string, ctx: ConvertContext): string {
  return chain(ctx, [m.conv_stem, m.bn1, m.blocks, m.conv_head, m.bn2], input);
}

registerConverter(EfficientNet, (m, x, ctx) => chain(ctx, [m.global_pool, m.classifier], features(m, x, ctx)), { features });
