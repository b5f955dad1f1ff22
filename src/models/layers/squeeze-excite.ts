/**
 * Squeeze-and-excitation: EfficientNet/MobileNetV3's `SqueezeExcite`
 * (timm/models/_efficientnet_blocks.py: `conv_reduce`, `act1`, `conv_expand`, `gate`) and the
 * `SEModule` of RegNet and others (timm/layers/squeeze_excite.py: `fc1`, `bn`, `act`, `fc2`, `gate`).
 */
import type { Tensor } from '../../engine/index.js';
import * as nn from '../../nn/index.js';
import type { AnyModule } from '../../nn/index.js';
import { getActLayer, type ActLayer, type ActName } from './create-act.js';
import type { Placement } from './placement.js';

/** Python's `round`: halves go to the even neighbour. */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export interface SqueezeExciteOptions extends Placement {
  /** Reduced channels = rdRoundFn(inChs · rdRatio) unless `rdChannels` is given (default ratio 0.25). */
  rdRatio?: number;
  rdChannels?: number;
  /** Rounding of the reduced channels (default Python's `round`). */
  rdRoundFn?: (v: number) => number;
  /** The block's activation, used unless `forceActLayer` is set (default ReLU). */
  actLayer?: ActName | ActLayer;
  forceActLayer?: ActName | ActLayer | null;
  /** The gate (default sigmoid; MobileNetV3: hard sigmoid). */
  gateLayer?: ActName | ActLayer;
}

/** EfficientNet's SE: mean over space → 1×1 conv down → act → 1×1 conv up → gate, times the input. */
export class SqueezeExcite extends nn.Module {
  readonly conv_reduce: nn.Conv2d;
  readonly act1: AnyModule;
  readonly conv_expand: nn.Conv2d;
  readonly gate: AnyModule;

  constructor(inChs: number, options: SqueezeExciteOptions = {}) {
    super();
    const { rdRatio = 0.25, rdRoundFn = pyRound, actLayer = 'relu', forceActLayer = null, gateLayer = 'sigmoid', device, dtype } = options;
    const rd = options.rdChannels ?? rdRoundFn(inChs * rdRatio);
    this.conv_reduce = new nn.Conv2d(inChs, rd, 1, { bias: true, device, dtype });
    this.act1 = getActLayer(forceActLayer ?? actLayer)({ inplace: true });
    this.conv_expand = new nn.Conv2d(rd, inChs, 1, { bias: true, device, dtype });
    this.gate = getActLayer(gateLayer)();
  }

  override forward(x: Tensor): Tensor {
    let s = x.mean([2, 3], true);
    s = this.conv_reduce.call(s);
    s = this.act1.call(s) as Tensor;
    s = this.conv_expand.call(s);
    return x.mul(this.gate.call(s) as Tensor);
  }
}

/** timm's `SEModule`: mean over space → `fc1` (1×1 conv) → `bn` (Identity) → `act` → `fc2` → `gate`, times the input. */
export class SEModule extends nn.Module {
  readonly fc1: nn.Conv2d;
  readonly bn: nn.Identity;
  readonly act: AnyModule;
  readonly fc2: nn.Conv2d;
  readonly gate: AnyModule;

  constructor(channels: number, options: { rdChannels: number; actLayer?: ActName | ActLayer } & Placement) {
    super();
    const { rdChannels, actLayer = 'relu', device, dtype } = options;
    this.fc1 = new nn.Conv2d(channels, rdChannels, 1, { bias: true, device, dtype });
    this.bn = new nn.Identity();
    this.act = getActLayer(actLayer)({ inplace: true });
    this.fc2 = new nn.Conv2d(rdChannels, channels, 1, { bias: true, device, dtype });
    this.gate = getActLayer('sigmoid')();
  }

  override forward(x: Tensor): Tensor {
    let s = x.mean([2, 3], true);
    s = this.fc1.call(s);
    s = this.act.call(this.bn.call(s)) as Tensor;
    s = this.fc2.call(s);
    return x.mul(this.gate.call(s) as Tensor);
  }
}
