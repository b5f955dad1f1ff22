/** The model zoo: timm's and torchvision's architectures by name. Each family registers itself on import (./families.ts). */
export {
  registerModel, registerDeprecated, listModels, parseModelName, isModel, getModelEntry,
  type PretrainedCfg, type ZooModel, type FeatureInfo, type CreateModelOptions, type ModelOptions, type ModelFactory,
} from './registry.js';
export { createModel, loadCheckpoint, PretrainedWeightsError } from './create.js';
export {
  BasicBlock, Bottleneck, createClassifier, Mlp, GlobalResponseNorm, GlobalResponseNormMlp, SelectAdaptivePool2d,
  AdaptiveAvgMaxPool2d, AdaptiveCatAvgMaxPool2d, ClassifierHead, NormMlpClassifierHead,
  type BlockOptions, type ResNetBlockClass, type MlpOptions, type PoolType, type ForwardHeadOptions,
} from './layers/index.js';
export { ResNet, resnet18, resnet34, resnet50, resnet101, resnet152, type ResNetOptions } from './resnet.js';
export { CifarResNet, type CifarResNetOptions } from './cifar-resnet.js';
export {
  ConvNeXt, ConvNeXtBlock, ConvNeXtStage, convnextArgs,
  type ConvNeXtArgs, type ConvNeXtBlockOptions, type ConvNeXtStageOptions, type ConvNeXtStemType,
} from './convnext.js';
export {
  MobileNetV3, mobilenetv3Args, MOBILENETV3_LARGE_ARCH, MOBILENETV3_SMALL_ARCH, type MobileNetV3Args,
} from './mobilenetv3.js';
export {
  BatchNormAct2d, ConvNormAct, SqueezeExcite, SEModule, DepthwiseSeparableConv, InvertedResidual, ConvBnAct,
  decodeArchDef, roundChannels, makeDivisible, type ActName, type BlockArgs,
} from './layers/index.js';
export { EfficientNet, efficientnetArgs, EFFICIENTNET_ARCH, type EfficientNetArgs } from './efficientnet.js';
export { RegNet, RegStage, RegNetBottleneck, regnetCfg, regnetStages, generateRegnet, type RegNetCfg, type RegNetArgs } from './regnet.js';
export { VisionTransformer, Block as VitBlock, vitArgs, type VisionTransformerArgs } from './vit.js';
export { Attention, PatchEmbed } from './layers/index.js';
export { imagenetTop1, imagenetTop1Models, IMAGENET_TOP1_SOURCE, type ImagenetTop1 } from './imagenet-top1.js';
