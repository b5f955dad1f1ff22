/**
 * MobileNetV3 (src/models/mobilenetv3.ts): stem and blocks; its "efficient head" pools first, then
 * a 1×1 conv_head (no norm), the activation, flatten and the classifier.
 */
import { MobileNetV3 } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';

function features(m: MobileNetV3, x: string, ctx: ConvertContext): string {
  return ctx.child(m.blocks, ctx.child(m.bn1, ctx.child(m.conv_stem, x)));
}

registerConverter(MobileNetV3, (m, input, ctx) => {
  let x = ctx.child(m.global_pool, features(m, input, ctx));
  x = ctx.child(m.norm_head, ctx.child(m.conv_head, x));
  x = ctx.child(m.flatten, ctx.child(m.act2, x));
  return ctx.child(m.classifier, x);
}, { features });
