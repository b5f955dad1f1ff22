/** owlet's data: files, labels, splits, image decoding and transforms, loaders, datasets. */
export type { Batch, DataLoader, DataLoaders, InputPipeline } from './types.js';
export { getFiles, getImageFiles, imageExtensions, compareCodePoints, type GetFilesOptions } from './files.js';
export { RegexLabeller, parentLabel, usingName, labelItems, LabelError, type LabelFunc, type RegexLabellerFunc } from './labellers.js';
export { RandomSplitter, GrandparentSplitter, FolderSplitter, FuncSplitter, IndexSplitter, type Splitter } from './splitters.js';
export {
  Resize, RandomResizedCrop, resizeBox, randomResizedCropBox, randomsNeeded,
  type ItemTransform, type ResizeTransform, type RandomResizedCropTransform, type ResizeMethod, type PadMode, type CropBox,
} from './item-transforms.js';
export { decodeImage, loadImage, imageSize, padRgb, ImageDecodeError, type RawRgb } from './image.js';
export { decodeBmp, isBmp } from './bmp.js';
export {
  augTransforms, AffineTransform, LightingTransform, Normalize, NormalizeTransform, imagenetStats, findCoeffs, projectiveGrid, gridFromSpec,
  type GridSpec, type AffineDraw,
  type BatchTransform, type BatchContext, type AugTransformsOptions, type AffineOptions, type LightingOptions,
  type GridPadMode, type InterpolationMode,
} from './augment.js';
export { ImageDataLoader, type ImageBatch, type ImageDataLoaderOptions, type OnBadImage } from './loader.js';
export { DecodePool, defaultNumWorkers } from './worker-pool.js';
export { DataBlock, makeVocab, type DataBlockOptions, type Datasets } from './datablock.js';
export { ImageDataLoaders, type ImageDataLoadersOptions, type FromOptions } from './image-dataloaders.js';
export { showBatch, showImages, batchToImages, type ShowBatchOptions, type LabelledImage } from './show-batch.js';
export { verifyImages } from './verify.js';
export { imageToTensor, imagesToTensor, pipelineItemTransform } from './prepare.js';
export { URLs, downloadChecks } from './urls.js';
export { downloadUrl, checkFile, pathStats, sha256File, DownloadError, type DownloadOptions, type DownloadChecks } from './download.js';
export { untarData, extractTarball, checkTarball, fastaiHome, fastaiPath, archiveStem, ArchiveError, type UntarDataOptions } from './untar.js';
export {
  loadFashionMnist, writeFashionMnistFolder, fashionMnistClasses, fashionMnistDir, fashionMnistFolder, readIdx,
  type FashionMnist, type FashionSplit, type WriteFashionMnistOptions,
} from './fashion-mnist.js';
