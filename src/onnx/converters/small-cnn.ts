/** The small CNNs (src/models/small-cnn.ts): a 3×3 stem, three stages; the pooled classifier. */
import { SmallCnn } from '../../models/small-cnn.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { pooledHead } from './ops.js';

function features(m: SmallCnn, input: string, ctx: ConvertContext): string {
  let x = ctx.child(m.relu, ctx.child(m.bn1, ctx.child(m.conv1, input)));
  for (const stage of [m.layer1, m.layer2, m.layer3]) x = ctx.child(stage, x);
  return x;
}

registerConverter(SmallCnn, (m, x, ctx) => pooledHead(ctx, m, features(m, x, ctx)), { features });
