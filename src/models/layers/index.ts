/**
 * The pieces the model families share, in timm's manner (timm/layers): activations, norms, MLPs,
 * GRN, global pooling, classifiers, and ResNet's blocks. A family file imports from here and from
 * the registry, never from another family.
 */
export type { Placement } from './placement.js';
export { GELU } from './activations.js';
export { LayerNorm, LayerNorm2d } from './norm.js';
export { GlobalResponseNorm } from './grn.js';
export { Mlp, GlobalResponseNormMlp, linearLayer, type MlpOptions } from './mlp.js';
export { AdaptiveAvgMaxPool2d, AdaptiveCatAvgMaxPool2d, SelectAdaptivePool2d, type PoolType } from './adaptive-avgmax-pool.js';
export {
  createClassifier, pooledHead, resetPooledClassifier, ClassifierHead, NormMlpClassifierHead,
  type ForwardHeadOptions, type PooledClassifier,
} from './classifier.js';
export { BasicBlock, Bottleneck, type BlockOptions, type ResNetBlockClass } from './resnet-blocks.js';
export { getActLayer, type ActName, type ActLayer } from './create-act.js';
export { BatchNormAct2d, ConvNormAct, getPadding, type BatchNormActOptions, type ConvNormActOptions } from './norm-act.js';
export { SqueezeExcite, SEModule, pyRound, type SqueezeExciteOptions } from './squeeze-excite.js';
export {
  DepthwiseSeparableConv, InvertedResidual, ConvBnAct, makeDivisible, type BlockCommon, type SeLayer,
} from './efficientnet-blocks.js';
export {
  decodeBlockStr, decodeArchDef, roundChannels, buildEfficientNetStages, efficientnetInitWeights,
  type BlockArgs, type BuilderOptions,
} from './efficientnet-builder.js';
export { Attention, type AttentionOptions } from './attention.js';
export { PatchEmbed } from './patch-embed.js';
