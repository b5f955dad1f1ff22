/**
 * `DataBlock.dataloaders`: a data block's image loaders (fastai's `dblock.dataloaders(source)`).
 * The DataBlock lives in src/data, which knows nothing of vision; this method is installed on it
 * here, where the image loaders are, as the engine installs the Tensor's operators.
 */
import { DataBlock } from '../data/datablock.js';
import { ImageDataLoaders, type ImageDataLoadersOptions } from './image-dataloaders.js';

declare module '../data/datablock.js' {
  interface DataBlock {
    /** The loaders (see `ImageDataLoadersOptions`: bs, seed, numWorkers, device, …). */
    dataloaders(source: string | readonly string[], options?: ImageDataLoadersOptions & { path?: string }): ImageDataLoaders;
  }
}

// Non-enumerable, as a method written in the class would be.
Object.defineProperty(DataBlock.prototype, 'dataloaders', {
  value: function dataloaders(this: DataBlock, source: string | readonly string[], options: ImageDataLoadersOptions & { path?: string } = {}): ImageDataLoaders {
    return ImageDataLoaders.fromBlock(this, source, options);
  },
  writable: true,
  configurable: true,
});
