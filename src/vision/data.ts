/**
 * The image side of owlet's data (fastai's `fastai.vision.data` and `fastai.vision.augment`): the
 * image loaders' factories (`ImageDataLoaders`, `DataBlock.dataloaders`), here, on top of src/data's
 * generic pieces, which it re-exports for a vision learner.
 */
import './datablock.js';

export { ImageDataLoaders, type ImageDataLoadersOptions, type FromOptions } from './image-dataloaders.js';
export {
  ImageDataLoader, DataBlock, getImageFiles, RegexLabeller, parentLabel, RandomSplitter,
  GrandparentSplitter, FuncSplitter, Resize, RandomResizedCrop, augTransforms, Normalize, imagenetStats,
  showBatch, imageToTensor, imagesToTensor, untarData, URLs, loadFashionMnist, writeFashionMnistFolder,
  fashionMnistClasses, verifyImages,
  type ImageBatch, type ItemTransform, type BatchTransform,
} from '../data/index.js';
