/**
 * timm's `PatchEmbed` (timm/layers/patch_embed.py): a `proj` convolution of kernel and stride
 * `patchSize` cuts the image into patches and embeds each, flattened to (B, patches, dim) tokens.
 * Its input size is fixed (the position embedding after it has one entry a patch).
 */
import type { Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { Placement } from './placement.js';

export class PatchEmbed extends nn.Module {
  readonly imgSize: [number, number];
  readonly patchSize: [number, number];
  readonly gridSize: [number, number];
  readonly numPatches: number;
  readonly proj: nn.Conv2d;
  readonly norm: nn.Identity;

  constructor(options: { imgSize?: number; patchSize?: number; inChans?: number; embedDim?: number; bias?: boolean } & Placement = {}) {
    super();
    const { imgSize = 224, patchSize = 16, inChans = 3, embedDim = 768, bias = true, device, dtype } = options;
    if (imgSize % patchSize !== 0) throw new Error(`PatchEmbed: image size ${imgSize} is not a multiple of the patch size ${patchSize}`);
    this.imgSize = [imgSize, imgSize];
    this.patchSize = [patchSize, patchSize];
    this.gridSize = [imgSize / patchSize, imgSize / patchSize];
    this.numPatches = this.gridSize[0] * this.gridSize[1];
    this.proj = new nn.Conv2d(inChans, embedDim, patchSize, { stride: patchSize, bias, device, dtype });
    this.norm = new nn.Identity();
  }

  override forward(x: Tensor): Tensor {
    const [, , h, w] = x.shape;
    if (h !== this.imgSize[0] || w !== this.imgSize[1])
      throw new Error(`input of ${h}×${w} pixels: this model takes ${this.imgSize[0]}×${this.imgSize[1]} (its position embedding is fixed to that size); resize the images to ${this.imgSize[0]} px`);
    return this.norm.call(this.proj.call(x).flatten(2).transpose(1, 2));
  }
}
