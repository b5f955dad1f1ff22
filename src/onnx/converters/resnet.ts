/** timm's ResNet (src/models/resnet.ts): stem, max-pool, four stages; the pooled classifier. */
import { ResNet } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { pooledHead } from './ops.js';

function features(m: ResNet, input: string, ctx: ConvertContext): string {
  let x = ctx.child(m.conv1, input);
  x = ctx.child(m.bn1, x);
  x = ctx.child(m.act1, x);
  x = ctx.child(m.maxpool, x);
  for (const stage of [m.layer1, m.layer2, m.layer3, m.layer4]) x = ctx.child(stage, x);
  return x;
}

registerConverter(ResNet, (m, x, ctx) => pooledHead(ctx, m, features(m, x, ctx)), { features });
