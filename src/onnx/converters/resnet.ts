/** timm's ResNet (src/models/resnet.ts): stem, max-pool, four stages; the pooled classifier. */
import { ResNet } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { chain, pooledHead } from './ops.js';

function features(m: ResNet, input: string, ctx: ConvertContext): string {
  return chain(ctx, [m.conv1, m.bn1, m.act1, m.maxpool, m.layer1, m.layer2, m.layer3, m.layer4], input);
}

registerConverter(ResNet, (m, x, ctx) => pooledHead(ctx, m, features(m, x, ctx)), { features });
