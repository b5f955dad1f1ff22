/**
 * owlet's neural-network layer (PyTorch's `torch.nn`): `Module`, layers, initialisers, functional
 * forms and losses. (src/index.ts does not re-export it yet: `export * as nn from './nn/index.js'`.)
 */
export {
  Module, type AnyModule, type StateDict, type LoadStateDictResult, type ModuleTarget, type RemovableHandle,
  type ForwardHook, type ForwardPreHook,
} from './module.js';
export * as init from './init.js';
export * as functional from './functional.js';
export type { Reduction } from './functional.js';
export { pyFloat, pyBool, pyStr, pyTuple, pyIntOrTuple } from './pyrepr.js';
export { Linear, Identity, Flatten, type LinearOptions } from './layers/linear.js';
export { Conv2d, pair, type Conv2dOptions, type Size2 } from './layers/conv.js';
export {
  BatchNormBase, BatchNorm1d, BatchNorm2d, LayerNorm, LayerNorm2d, GroupNorm,
  type BatchNormOptions, type LayerNormOptions, type GroupNormOptions,
} from './layers/norm.js';
export { Dropout, DropPath } from './layers/dropout.js';
export { ReLU, GELU, SiLU, Sigmoid, Tanh, LeakyReLU, Hardswish, Hardsigmoid, Softmax, LogSoftmax } from './layers/activation.js';
export {
  MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, AdaptiveConcatPool2d,
  type OutputSize2, type MaxPool2dOptions, type AvgPool2dOptions,
} from './layers/pooling.js';
export { Embedding, type EmbeddingOptions } from './layers/embedding.js';
export { Sequential, ModuleList, ModuleDict, chain } from './layers/container.js';
export {
  Loss, WeightedLoss, CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss,
  type CrossEntropyLossOptions,
} from './layers/loss.js';
export { countMacs, moduleMacs, type MacCount } from './flops.js';
