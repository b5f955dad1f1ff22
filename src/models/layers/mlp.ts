/** timm's MLPs (timm/layers/mlp.py): `Mlp` and ConvNeXt-V2's `GlobalResponseNormMlp`. */
import type { Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import { GELU } from './activations.js';
import { GlobalResponseNorm } from './grn.js';
import type { Placement } from './placement.js';

/** `nn.Linear`, or with `useConv` a 1×1 `nn.Conv2d` (timm's `partial(nn.Conv2d, kernel_size=1)`). */
export function linearLayer(inFeatures: number, outFeatures: number, useConv: boolean, p: Placement): nn.Linear | nn.Conv2d {
  return useConv ? new nn.Conv2d(inFeatures, outFeatures, 1, { ...p }) : new nn.Linear(inFeatures, outFeatures, { ...p });
}

export interface MlpOptions extends Placement {
  outFeatures?: number;
  /** Dropout after each linear layer (default 0). */
  drop?: number;
  /** 1×1 convolutions on NCHW input instead of linear layers on channels-last input. */
  useConv?: boolean;
  /** The activation (default timm's GELU, printed `GELU()`; ViT passes PyTorch's, printed `GELU(approximate='none')`). */
  actLayer?: () => nn.AnyModule;
}

/** timm's `Mlp`: fc1 → act → drop1 → norm (Identity) → fc2 → drop2. */
export class Mlp extends nn.Module {
  readonly fc1: nn.Linear | nn.Conv2d;
  readonly act: nn.AnyModule;
  readonly drop1: nn.Dropout;
  readonly norm: nn.Identity;
  readonly fc2: nn.Linear | nn.Conv2d;
  readonly drop2: nn.Dropout;

  constructor(inFeatures: number, hiddenFeatures: number, options: MlpOptions = {}) {
    super();
    const { outFeatures = inFeatures, drop = 0, useConv = false, actLayer, ...p } = options;
    this.fc1 = linearLayer(inFeatures, hiddenFeatures, useConv, p);
    this.act = actLayer ? actLayer() : new GELU();
    this.drop1 = new nn.Dropout(drop);
    this.norm = new nn.Identity();
    this.fc2 = linearLayer(hiddenFeatures, outFeatures, useConv, p);
    this.drop2 = new nn.Dropout(drop);
  }

  override forward(input: Tensor): Tensor {
    // nn.chain: in inference each intermediate is released once the next module has used it
    return nn.chain([this.fc1, this.act, this.drop1, this.norm, this.fc2, this.drop2], input, this.training);
  }
}

/** timm's `GlobalResponseNormMlp`: fc1 → act → drop1 → grn → fc2 → drop2. */
export class GlobalResponseNormMlp extends nn.Module {
  readonly fc1: nn.Linear | nn.Conv2d;
  readonly act: GELU;
  readonly drop1: nn.Dropout;
  readonly grn: GlobalResponseNorm;
  readonly fc2: nn.Linear | nn.Conv2d;
  readonly drop2: nn.Dropout;

  constructor(inFeatures: number, hiddenFeatures: number, options: MlpOptions = {}) {
    super();
    const { outFeatures = inFeatures, drop = 0, useConv = false, ...p } = options;
    this.fc1 = linearLayer(inFeatures, hiddenFeatures, useConv, p);
    this.act = new GELU();
    this.drop1 = new nn.Dropout(drop);
    this.grn = new GlobalResponseNorm(hiddenFeatures, { channelsLast: !useConv, ...p });
    this.fc2 = linearLayer(hiddenFeatures, outFeatures, useConv, p);
    this.drop2 = new nn.Dropout(drop);
  }

  override forward(input: Tensor): Tensor {
    let x = this.fc1.call(input);
    x = this.act.call(x);
    x = this.drop1.call(x);
    x = this.grn.call(x);
    x = this.fc2.call(x);
    return this.drop2.call(x);
  }
}
