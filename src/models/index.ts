/** The model zoo: timm's and torchvision's architectures by name. Each family registers itself on import. */
export {
  registerModel, registerDeprecated, listModels, parseModelName, isModel, getModelEntry,
  type PretrainedCfg, type ZooModel, type CreateModelOptions, type ModelOptions, type ModelFactory,
} from './registry.js';
export { createModel, loadCheckpoint } from './create.js';
import './resnet.js';
export { ResNet, BasicBlock, Bottleneck, createClassifier, resnet18, resnet34, resnet50, resnet101, resnet152, type ResNetOptions, type BlockOptions, type ResNetBlockClass, type FeatureInfo } from './resnet.js';
import './cifar-resnet.js';
export { CifarResNet, type CifarResNetOptions } from './cifar-resnet.js';
import './convnext.js';
export { ConvNeXt, ConvNeXtBlock, ConvNeXtStage, convnextArgs, Mlp, GlobalResponseNorm, GlobalResponseNormMlp, SelectAdaptivePool2d, ClassifierHead, NormMlpClassifierHead, type ConvNeXtArgs, type ConvNeXtBlockOptions, type ConvNeXtStageOptions, type ConvNeXtStemType, type PoolType, type HeadOptions } from './convnext.js';
