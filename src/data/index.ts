/**
 * owlet's data: files, labels, splits, image decoding and transforms, the augmentation plan and its
 * executors, loaders, datasets. The image loaders' factories (`ImageDataLoaders`,
 * `DataBlock.dataloaders`) are in src/vision, which builds on this (src/index.ts exports both).
 */
export type { Batch, DataLoader, DataLoaders, InputPipeline } from './types.js';
export { getFiles, getImageFiles, imageExtensions, compareCodePoints, type GetFilesOptions } from './files.js';
export { RegexLabeller, parentLabel, usingName, labelItems, LabelError, type LabelFunc, type RegexLabellerFunc } from './labellers.js';
export { RandomSplitter, GrandparentSplitter, FolderSplitter, FuncSplitter, IndexSplitter, type Splitter } from './splitters.js';
export {
  Resize, RandomResizedCrop, resizeBox, randomResizedCropBox, randomsNeeded, describeItemTfm, itemTfmFromDescription,
  type ItemTransform, type ResizeTransform, type RandomResizedCropTransform, type ResizeMethod, type PadMode, type CropBox,
} from './item-transforms.js';
export { decodeImage, loadImage, imageSize, padRgb, ImageDecodeError, type RawRgb } from './image.js';
export { decodeBmp, isBmp } from './bmp.js';
export type { BatchTransform, BatchContext, GridPadMode, InterpolationMode } from './batch-transform.js';
export { AffineTransform, type AffineOptions, type AffineDraw, type BatchResizeDescription } from './affine.js';
export { findCoeffs, affineGeometry, projectiveMatrix, type AffineGeometry } from './affine-geometry.js';
export { LightingTransform, type LightingOptions, type LightingDraw } from './lighting.js';
export { Normalize, NormalizeTransform, imagenetStats } from './normalize.js';
export { augTransforms, type AugTransformsOptions } from './aug-transforms.js';
export type { AugmentPlan, PlanStep, AffineStep, LightingStep, CustomStep } from './augment-plan.js';
export { drawPlan } from './plan-draw.js';
export { runOps, affineOps, lightingOps } from './executor-ops.js';
export { chooseExecutor, whyNotFused, type Executor } from './executor.js';
export { describePipeline, pipelineFromDescription } from './pipeline-description.js';
export { ImageDataLoader, type ImageBatch, type ImageDataLoaderOptions, type OnBadImage } from './loader.js';
export { DecodePool, defaultNumWorkers } from './worker-pool.js';
export { DataBlock, makeVocab, type DataBlockOptions, type Datasets } from './datablock.js';
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
export { DistributedSampler, type DistributedSamplerOptions } from './sampler.js';
