/** RegNet-X and RegNet-Y (src/models/regnet.ts): the bottleneck (with SE in Y), the stages, the model and its ClassifierHead. */
import { RegNet, RegNetBottleneck, RegStage } from '../../models/index.js';
import { registerConverter, type ConvertContext } from '../registry.js';

registerConverter(RegNetBottleneck, (m, input, ctx) => {
  let x = ctx.child(m.conv2, ctx.child(m.conv1, input));
  x = ctx.child(m.conv3, ctx.child(m.se, x));
  x = ctx.op('Add', [ctx.child(m.drop_path, x), ctx.child(m.downsample, input)]);
  return ctx.child(m.act3, x);
});

registerConverter(RegStage, (m, input, ctx) => {
  let x = input;
  for (const block of m.children()) x = ctx.child(block, x);
  return x;
});

function features(m: RegNet, input: string, ctx: ConvertContext): string {
  let x = ctx.child(m.stem, input);
  for (const stage of [m.s1, m.s2, m.s3, m.s4]) x = ctx.child(stage, x);
  return ctx.child(m.final_conv, x);
}

registerConverter(RegNet, (m, x, ctx) => ctx.child(m.head, features(m, x, ctx)), { features });
