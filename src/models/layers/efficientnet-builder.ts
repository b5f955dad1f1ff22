/**
 * timm's EfficientNet/MobileNetV3 builder (timm/models/_efficientnet_builder.py): block strings
 * (`ir_r2_k3_s2_e6_c24_se0.25`) decoded into block arguments, stages scaled in depth and width,
 * the blocks made with stochastic depth rising over the network, and timm's `_init_weight_goog`.
 */
import { noGrad } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { ActLayer, ActName } from './create-act.js';
import { ConvBnAct, DepthwiseSeparableConv, InvertedResidual, makeDivisible, type BlockCommon, type SeLayer } from './efficientnet-blocks.js';
import type { Placement } from './placement.js';

/** One block's arguments, decoded from its string. */
export interface BlockArgs {
  blockType: 'ir' | 'ds' | 'dsa' | 'cn';
  outChs: number;
  stride: number;
  /** The block's own activation (`_nre`: ReLU, `_nhs`: hard swish, `_nsw`: swish), else the model's. */
  actLayer: ActName | null;
  kernelSize: number;
  expRatio: number;
  seRatio: number;
  noskip: boolean;
  skip: boolean;
}

const ACTS: Record<string, ActName> = { re: 'relu', hs: 'hard_swish', sw: 'swish' };

/** timm's `_decode_block_str` (the block types owlet's families use: ir, ds, dsa, cn). */
export function decodeBlockStr(s: string): { args: BlockArgs; repeat: number } {
  const [type, ...ops] = s.split('_');
  if (type !== 'ir' && type !== 'ds' && type !== 'dsa' && type !== 'cn') throw new Error(`block type '${String(type)}' of '${s}' is not in owlet's builder`);
  const o: Record<string, string> = {};
  let skip: boolean | null = null;
  let act: ActName | null = null;
  for (const op of ops) {
    if (op === 'noskip') skip = false;
    else if (op === 'skip') skip = true;
    else if (op.startsWith('n')) {
      const a = ACTS[op.slice(1)];
      if (a === undefined) throw new Error(`activation '${op.slice(1)}' of '${s}' is not in owlet's builder: one of ${Object.keys(ACTS).join(', ')}`);
      act = a;
    }
    else {
      const m = /^(\D+)(\d.*)$/.exec(op);
      if (m) o[m[1]!] = m[2]!;
    }
  }
  const need = (k: string): number => {
    if (o[k] === undefined) throw new Error(`block string '${s}' has no '${k}'`);
    return Number(o[k]);
  };
  const args: BlockArgs = {
    blockType: type, outChs: need('c'), stride: need('s'), actLayer: act, kernelSize: need('k'),
    expRatio: type === 'ir' ? need('e') : 1, seRatio: Number(o.se ?? 0),
    noskip: type === 'dsa' || skip === false, skip: skip === true,
  };
  return { args, repeat: need('r') };
}

/** timm's `_scale_stage_depth` ('ceil'): a stage's repeats scaled, spread over its block strings from the last. */
function scaleStageDepth(stack: BlockArgs[], repeats: number[], depthMultiplier: number): BlockArgs[] {
  let numRepeat = repeats.reduce((a, b) => a + b, 0);
  let scaled = Math.ceil(numRepeat * depthMultiplier);
  const out: number[] = [];
  for (const r of [...repeats].reverse()) {
    const rs = Math.max(1, Math.round((r / numRepeat) * scaled));
    out.push(rs);
    numRepeat -= r;
    scaled -= rs;
  }
  out.reverse();
  return stack.flatMap((ba, i) => Array.from({ length: out[i]! }, () => ({ ...ba })));
}

/** timm's `decode_arch_def`: stages of block strings → stages of block arguments, depth-scaled. */
export function decodeArchDef(archDef: readonly (readonly string[])[], depthMultiplier = 1.0): BlockArgs[][] {
  return archDef.map((strings) => {
    const decoded = strings.map(decodeBlockStr);
    return scaleStageDepth(decoded.map((d) => d.args), decoded.map((d) => d.repeat), depthMultiplier);
  });
}

/** timm's `round_channels`: channels times the width multiplier, made divisible by `divisor`. */
export function roundChannels(channels: number, multiplier = 1.0, divisor = 8, roundLimit = 0.9): number {
  return multiplier ? makeDivisible(channels * multiplier, divisor, undefined, roundLimit) : channels;
}

export interface BuilderOptions extends Placement {
  roundChsFn: (chs: number) => number;
  /** SE channels from the expanded width (MobileNetV3) or from the block input (EfficientNet: ratio / expansion). */
  seFromExp: boolean;
  actLayer: ActName | ActLayer;
  /** Makes an SE layer for `channels` with the block's activation and a reduction ratio. */
  seLayer: (channels: number, actLayer: ActName | ActLayer, rdRatio: number) => nn.AnyModule;
  bnEps?: number;
  bnMomentum?: number;
  dropPathRate?: number;
}

/** timm's `EfficientNetBuilder`: the stages (each an nn.Sequential of blocks), the last block's channels and `feature_info`. */
export function buildEfficientNetStages(
  inChs: number,
  stages: BlockArgs[][],
  o: BuilderOptions,
): { stages: nn.Sequential[]; outChs: number; featureInfo: { numChs: number; reduction: number; module: string }[] } {
  const total = stages.reduce((n, s) => n + s.length, 0);
  let idx = 0;
  let currentStride = 2;
  let chs = inChs;
  const featureInfo: { numChs: number; reduction: number; module: string }[] = [];
  if (stages[0]![0]!.stride > 1) featureInfo.push({ numChs: inChs, reduction: currentStride, module: 'bn1' });
  const built = stages.map((stack, stackIdx) => {
    const blocks = stack.map((ba, blockIdx) => {
      const stride = blockIdx >= 1 ? 1 : ba.stride;
      currentStride *= stride;
      const outChs = o.roundChsFn(ba.outChs);
      const actLayer = ba.actLayer ?? o.actLayer;
      let seLayer: SeLayer | null = null;
      if (ba.seRatio) {
        const ratio = o.seFromExp ? ba.seRatio : ba.seRatio / ba.expRatio;
        seLayer = (c, act) => o.seLayer(c, act, ratio);
      }
      const common: BlockCommon = {
        stride, dilation: 1, actLayer, bnEps: o.bnEps, bnMomentum: o.bnMomentum, seLayer, noskip: ba.noskip,
        dropPathRate: ((o.dropPathRate ?? 0) * idx) / total, device: o.device, dtype: o.dtype,
      };
      const block =
        ba.blockType === 'ir' ? new InvertedResidual(chs, outChs, { ...common, dwKernelSize: ba.kernelSize, expRatio: ba.expRatio })
        : ba.blockType === 'cn' ? new ConvBnAct(chs, outChs, { ...common, kernelSize: ba.kernelSize, skip: ba.skip })
        : new DepthwiseSeparableConv(chs, outChs, { ...common, dwKernelSize: ba.kernelSize, pwAct: ba.blockType === 'dsa' });
      chs = outChs;
      idx++;
      return block;
    });
    const next = stages[stackIdx + 1];
    if (next === undefined || next[0]!.stride > 1) featureInfo.push({ numChs: chs, reduction: currentStride, module: `blocks.${stackIdx}` });
    return new nn.Sequential(...blocks);
  });
  return { stages: built, outChs: chs, featureInfo };
}

/**
 * timm's `_init_weight_goog` (TensorFlow's init): conv weights ~ N(0, √(2 / fan_out)) with fan_out =
 * k·k·out / groups, biases 0; BatchNorm 1 and 0; Linear ~ U(±1/√out), bias 0.
 */
export function efficientnetInitWeights(model: nn.AnyModule): void {
  noGrad(() => {
    for (const m of model.modules()) {
      if (m instanceof nn.Conv2d) {
        const fanOut = (m.kernelSize[0] * m.kernelSize[1] * m.outChannels) / m.groups;
        nn.init.normal_(m.weight, 0, Math.sqrt(2.0 / fanOut));
        if (m.bias !== null) nn.init.zeros_(m.bias);
      } else if (m instanceof nn.BatchNorm2d) {
        if (m.weight !== null) nn.init.ones_(m.weight);
        if (m.bias !== null) nn.init.zeros_(m.bias);
      } else if (m instanceof nn.Linear) {
        const r = 1.0 / Math.sqrt(m.weight.size(0));
        nn.init.uniform_(m.weight, -r, r);
        if (m.bias !== null) nn.init.zeros_(m.bias);
      }
    }
  });
}
