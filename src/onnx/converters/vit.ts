/**
 * The class-token Vision Transformer (src/models/vit.ts): the blocks (pre-norm attention and MLP,
 * each a residual branch), the patch tokens with the class token in front and the position
 * embedding added, the final norm; the head takes the class token's features.
 */
import { VisionTransformer, VitBlock } from '../../models/index.js';
import { int } from '../graph.js';
import { registerConverter, type ConvertContext } from '../registry.js';

registerConverter(VitBlock, (m, input, ctx) => {
  const a = ctx.child(m.drop_path1, ctx.child(m.ls1, ctx.child(m.attn, ctx.child(m.norm1, input))));
  const x = ctx.op('Add', [input, a]);
  const b = ctx.child(m.drop_path2, ctx.child(m.ls2, ctx.child(m.mlp, ctx.child(m.norm2, x))));
  return ctx.op('Add', [x, b]);
});

function features(m: VisionTransformer, input: string, ctx: ConvertContext): string {
  const g = ctx.graph;
  const tokens = ctx.child(m.patch_embed, input);
  // cls_token.expand(batch, -1, -1): the batch size read from the tokens' shape
  const batch = ctx.op('Shape', [tokens], { start: int(0), end: int(1) }, 1);
  const shape = ctx.op('Concat', [batch, g.int64s(ctx.name('cls_rest'), [1, m.embedDim])], { axis: int(0) }, 1);
  const cls = ctx.op('Expand', [g.weight(ctx.name('cls_token'), m.cls_token), shape], {}, 3);
  let x = ctx.op('Concat', [cls, tokens], { axis: int(1) }, 3);
  x = ctx.op('Add', [x, g.weight(ctx.name('pos_embed'), m.pos_embed)]);
  x = ctx.child(m.norm_pre, ctx.child(m.patch_drop, ctx.child(m.pos_drop, x)));
  return ctx.child(m.norm, ctx.child(m.blocks, x));
}

registerConverter(VisionTransformer, (m, input, ctx) => {
  const tokens = features(m, input, ctx);
  // x.select(1, 0): the class token
  let x = ctx.op('Gather', [tokens, ctx.graph.int64s(ctx.name('cls_index'), [0], [])], { axis: int(1) }, 2);
  x = ctx.child(m.head_drop, ctx.child(m.fc_norm, x));
  return ctx.child(m.head, x);
}, { features });
