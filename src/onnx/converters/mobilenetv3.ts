/**
 * MobileNetV3 (src/models/mobilenetv3.ts): stem and blocks; its "efficient head" pools first, then
 * a 1×1 conv_head (no norm), the activation, flatten and the classifier.
 */
import { MobileNetV3 } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { chain } from './ops.js';

function features(m: MobileNetV3, x: string, ctx: ConvertContext): string {
  return chain(ctx, [m.conv_stem, m.bn1, m.blocks], x);
}

registerConverter(MobileNetV3, (m, x, ctx) => chain(ctx, [m.global_pool, m.conv_head, m.norm_head, m.act2, m.flatten, m.classifier], features(m, x, ctx)), { features });
