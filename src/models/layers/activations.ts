/** timm's activation layers that print differently from PyTorch's (timm/layers/activations.py). */
import * as nn from '../../nn/index.js';

/** timm's `GELU` (what `get_act_layer('gelu')` gives): exact GELU that prints as `GELU()`. */
export class GELU extends nn.GELU {
  override extraRepr(): string {
    return '';
  }
}
