/**
 * The image side of owlet's data (fastai's `fastai.vision.data` and `fastai.vision.augment`): what a
 * vision learner needs, re-exported from src/data.
 */
export {
  ImageDataLoaders, ImageDataLoader, DataBlock, getImageFiles, RegexLabeller, parentLabel, RandomSplitter,
  GrandparentSplitter, FuncSplitter, Resize, RandomResizedCrop, augTransforms, Normalize, imagenetStats,
  showBatch, imageToTensor, imagesToTensor, untarData, URLs, loadFashionMnist, writeFashionMnistFolder,
  fashionMnistClasses, verifyImages,
  type ImageBatch, type ItemTransform, type BatchTransform, type FromOptions, type ImageDataLoadersOptions,
} from '../data/index.js';
