/** fastai's vision model pieces (src/vision/head.ts): TimmBody (a zoo model's features) and fastai's Flatten. */
import { FastaiFlatten, TimmBody } from '../../vision/head.js';
import { int } from '../graph.js';
import { registerConverter } from '../registry.js';

// The zoo model's features; for one whose features are tokens (ViT: needsPool false) the whole model (its classifier removed).
registerConverter(TimmBody, (m, x, ctx) => (m.needsPool ? ctx.features(m.model, x) : ctx.child(m.model, x)));

// reshape(bs, -1), or reshape(-1) with `full`
registerConverter(FastaiFlatten, (m, x, ctx) => {
  if (m.full) return ctx.op('Reshape', [x, ctx.graph.int64s(ctx.name('shape'), [-1])], {}, 1);
  return ctx.graph.rank(x) === 2 ? x : ctx.op('Flatten', [x], { axis: int(1) }, 2);
});
