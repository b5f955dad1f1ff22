/** timm's norm + activation layers (src/models/layers/norm-act.ts): BatchNormAct2d and ConvNormAct. */
import { BatchNormAct2d, ConvNormAct } from '../../models/index.js';
import { registerConverter } from '../registry.js';
import { batchNorm } from './nn.js';

// BatchNorm2d → drop (Identity) → act
registerConverter(BatchNormAct2d, (m, x, ctx) => ctx.child(m.act, ctx.child(m.drop, batchNorm(m, x, ctx))));

registerConverter(ConvNormAct, (m, x, ctx) => ctx.child(m.bn, ctx.child(m.conv, x)));
