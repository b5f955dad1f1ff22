/** The model zoo: timm's and torchvision's architectures by name. Each family registers itself on import. */
export {
  registerModel, registerDeprecated, listModels, parseModelName, isModel, getModelEntry,
  type PretrainedCfg, type ZooModel, type CreateModelOptions, type ModelOptions, type ModelFactory,
} from './registry.js';
export { createModel, loadCheckpoint } from './create.js';
import './resnet.js';
export { ResNet, BasicBlock, Bottleneck, createClassifier, resnet18, resnet34, resnet50, resnet101, resnet152, type ResNetOptions, type BlockOptions, type ResNetBlockClass, type FeatureInfo, type ArchFn } from './resnet.js';
