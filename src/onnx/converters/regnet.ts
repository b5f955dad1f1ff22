/** RegNet-X and RegNet-Y (src/models/regnet.ts): the bottleneck (with SE in Y), the stages, the model and its ClassifierHead. */
import { RegNet, RegNetBottleneck, RegStage } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { chain } from './ops.js';

registerConverter(RegNetBottleneck, (m, input, ctx) => {
  const x = chain(ctx, [m.conv1, m.conv2, m.se, m.conv3, m.drop_path], input);
  return ctx.child(m.act3, ctx.op('Add', [x, ctx.child(m.downsample, input)]));
});

registerConverter(RegStage, (m, input, ctx) => chain(ctx, m.children(), input));

function features(m: RegNet, input: string, ctx: ConvertContext): string {
  return chain(ctx, [m.stem, m.s1, m.s2, m.s3, m.s4, m.final_conv], input);
}

registerConverter(RegNet, (m, x, ctx) => ctx.child(m.head, features(m, x, ctx)), { features });
