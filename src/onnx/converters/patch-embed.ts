/**
 * timm's PatchEmbed (src/models/layers/patch-embed.ts): the patch conv, then flatten(2) and
 * transpose(1, 2) — (B, C, H, W) to (B, H·W, C) tokens. Its input size is fixed (the position
 * embedding's): a graph input of another size is refused, as the model refuses it.
 */
import { PatchEmbed } from '../../models/index.js';
import { ints } from '../graph.js';
import { registerConverter } from '../registry.js';

registerConverter(PatchEmbed, (m, x, ctx) => {
  const dims = ctx.graph.inputs[0]?.type.tensor_type.shape.dim ?? [];
  const hw = dims.slice(2).map((d) => ('dim_value' in d ? d.dim_value : null));
  if (hw.length === 2 && hw.some((d, i) => d !== null && d !== m.imgSize[i]))
    ctx.fail(`the input is ${hw.join('×')} pixels: this model takes ${m.imgSize[0]}×${m.imgSize[1]} (its position embedding is fixed to that size); export with that input size`);
  const y = ctx.child(m.proj, x);
  const flat = ctx.op('Reshape', [y, ctx.graph.int64s(ctx.name('flatten_shape'), [0, 0, -1])], {}, 3);
  return ctx.child(m.norm, ctx.op('Transpose', [flat], { perm: ints([0, 2, 1]) }));
});
