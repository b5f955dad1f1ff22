/** Converters for owlet's nn layers (PyTorch's torch.nn), in evaluation mode. */
import {
  AdaptiveAvgPool2d, AdaptiveConcatPool2d, AdaptiveMaxPool2d, AvgPool2d, BatchNormBase, Conv2d, Dropout, DropPath, Flatten, GELU,
  Hardsigmoid, Hardswish, Identity, LayerNorm, LayerNorm2d, LeakyReLU, Linear, LogSoftmax, MaxPool2d, ReLU, Sequential, SiLU, Sigmoid, Softmax, Tanh, pair,
} from '../../nn/index.js';
import { float, int, ints } from '../graph.js';
import { registerConverter, type ConvertContext } from '../registry.js';
import { gelu, globalPool, layerNorm, linear, toChannelsFirst, toChannelsLast } from './ops.js';

registerConverter(Sequential, (m, x, ctx) => {
  let y = x;
  for (const [, child] of m.namedChildren()) y = ctx.child(child, y);
  return y;
});

registerConverter(Identity, (_m, x) => x);
// Evaluation mode: dropout and stochastic depth pass their input on.
registerConverter(Dropout, (_m, x) => x);
registerConverter(DropPath, (_m, x) => x);

registerConverter(Conv2d, (m, x, ctx) => {
  const [kh, kw] = m.kernelSize;
  const [dh, dw] = m.dilation;
  let pads: number[];
  if (m.padding === 'valid') pads = [0, 0, 0, 0];
  else if (m.padding === 'same') {
    // PyTorch's 'same': the odd pixel goes at the end.
    const th = dh * (kh - 1);
    const tw = dw * (kw - 1);
    pads = [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
  } else pads = [m.padding[0], m.padding[1], m.padding[0], m.padding[1]];
  const inputs = [x, ctx.graph.weight(ctx.name('weight'), m.weight)];
  if (m.bias !== null) inputs.push(ctx.graph.weight(ctx.name('bias'), m.bias));
  return ctx.op('Conv', inputs, { kernel_shape: ints([kh, kw]), strides: ints(m.stride), pads: ints(pads), dilations: ints(m.dilation), group: int(m.groups) });
});

registerConverter(Linear, (m, x, ctx) => linear(ctx, x, m.weight, m.bias));

/** BatchNormalization with the running statistics (also timm's BatchNormAct2d, before its activation). */
export function batchNorm(m: BatchNormBase, x: string, ctx: ConvertContext): string {
  const runningMean = m.running_mean;
  const runningVar = m.running_var;
  if (runningMean === null || runningVar === null)
    return ctx.fail('it keeps no running statistics (trackRunningStats: false), so in evaluation it normalises with each batch\'s own: ONNX\'s BatchNormalization needs fixed ones');
  const n = m.numFeatures;
  const scale = m.weight !== null ? ctx.graph.weight(ctx.name('weight'), m.weight) : ctx.graph.constant(ctx.name('ones'), new Float32Array(n).fill(1), [n]);
  const bias = m.bias !== null ? ctx.graph.weight(ctx.name('bias'), m.bias) : ctx.graph.constant(ctx.name('zeros'), new Float32Array(n), [n]);
  const mean = ctx.graph.weight(ctx.name('running_mean'), runningMean);
  const variance = ctx.graph.weight(ctx.name('running_var'), runningVar);
  return ctx.op('BatchNormalization', [x, scale, bias, mean, variance], { epsilon: float(m.eps) });
}

registerConverter(BatchNormBase, batchNorm);

registerConverter(LayerNorm, (m, x, ctx) => layerNorm(ctx, x, m.normalizedShape, m.weight, m.bias, m.eps));
registerConverter(LayerNorm2d, (m, x, ctx) => toChannelsFirst(ctx, layerNorm(ctx, toChannelsLast(ctx, x), m.normalizedShape, m.weight, m.bias, m.eps)));

registerConverter(ReLU, (_m, x, ctx) => ctx.op('Relu', [x]));
registerConverter(GELU, (m, x, ctx) => gelu(ctx, x, m.approximate));
registerConverter(SiLU, (_m, x, ctx) => ctx.op('Mul', [x, ctx.op('Sigmoid', [x])]));
registerConverter(Sigmoid, (_m, x, ctx) => ctx.op('Sigmoid', [x]));
registerConverter(Tanh, (_m, x, ctx) => ctx.op('Tanh', [x]));
registerConverter(LeakyReLU, (m, x, ctx) => ctx.op('LeakyRelu', [x], { alpha: float(m.negativeSlope) }));
registerConverter(Hardswish, (_m, x, ctx) => ctx.op('HardSwish', [x]));
// PyTorch's relu6(x + 3) / 6
registerConverter(Hardsigmoid, (_m, x, ctx) => ctx.op('HardSigmoid', [x], { alpha: float(1 / 6), beta: float(0.5) }));
registerConverter(Softmax, (m, x, ctx) => ctx.op('Softmax', [x], { axis: int(m.dim) }));
registerConverter(LogSoftmax, (m, x, ctx) => ctx.op('LogSoftmax', [x], { axis: int(m.dim) }));

/** [top, left, bottom, right] of a symmetric padding. */
function poolPads(padding: readonly [number, number]): number[] {
  return [padding[0], padding[1], padding[0], padding[1]];
}

registerConverter(MaxPool2d, (m, x, ctx) => ctx.op('MaxPool', [x], {
  kernel_shape: ints(pair(m.kernelSize)), strides: ints(pair(m.stride)), pads: ints(poolPads(pair(m.padding))),
  dilations: ints(pair(m.dilation)), ceil_mode: int(m.ceilMode ? 1 : 0),
}));

registerConverter(AvgPool2d, (m, x, ctx) => {
  if (m.divisorOverride !== null) ctx.fail('divisorOverride has no ONNX AveragePool counterpart');
  return ctx.op('AveragePool', [x], {
    kernel_shape: ints(pair(m.kernelSize)), strides: ints(pair(m.stride)), pads: ints(poolPads(pair(m.padding))),
    ceil_mode: int(m.ceilMode ? 1 : 0), count_include_pad: int(m.countIncludePad ? 1 : 0),
  });
});

registerConverter(AdaptiveAvgPool2d, (m, x, ctx) => globalPool(ctx, x, 'avg', m.outputSize));
registerConverter(AdaptiveMaxPool2d, (m, x, ctx) => globalPool(ctx, x, 'max', m.outputSize));
// fastai's: max first, then average.
registerConverter(AdaptiveConcatPool2d, (m, x, ctx) => ctx.op('Concat', [ctx.child(m.mp, x), ctx.child(m.ap, x)], { axis: int(1) }));

registerConverter(Flatten, (m, x, ctx) => {
  const r = ctx.graph.rank(x);
  const end = m.endDim < 0 ? m.endDim + r : m.endDim;
  if (m.startDim !== 1 || end !== r - 1) ctx.fail(`Flatten(${m.startDim}, ${m.endDim}) is written only as Flatten(1, -1)`);
  return r === 2 ? x : ctx.op('Flatten', [x], { axis: int(1) }, 2);
});
