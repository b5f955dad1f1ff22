/**
 * timm's activation lookup (timm/layers/create_act.py): `getActLayer('hard_swish')` gives a maker
 * of the layer timm's `get_act_layer` picks on a PyTorch that has it natively (`nn.Hardswish`,
 * `nn.SiLU`, …), so that models print as timm's do.
 */
import * as nn from '../../nn/index.js';
import type { AnyModule } from '../../nn/index.js';

/** timm's activation names used by owlet's families. */
export type ActName = 'relu' | 'swish' | 'silu' | 'hard_swish' | 'hard_sigmoid' | 'sigmoid' | 'gelu' | 'identity';

/** Makes an activation layer; `inplace` as timm's `create_act_layer(…, inplace=…)` passes it. */
export type ActLayer = (options?: { inplace?: boolean }) => AnyModule;

const ACT_LAYERS: Record<ActName, ActLayer> = {
  relu: (o) => new nn.ReLU({ inplace: o?.inplace ?? false }),
  swish: (o) => new nn.SiLU({ inplace: o?.inplace ?? false }),
  silu: (o) => new nn.SiLU({ inplace: o?.inplace ?? false }),
  // PyTorch's Hardswish and Hardsigmoid print without their `inplace`: owlet computes them out of place.
  hard_swish: () => new nn.Hardswish(),
  hard_sigmoid: () => new nn.Hardsigmoid(),
  sigmoid: () => new nn.Sigmoid(),
  gelu: () => new nn.GELU(),
  identity: () => new nn.Identity(),
};

/** timm's `get_act_layer(name)`: the maker of an activation by name (or the maker itself). */
export function getActLayer(name: ActName | ActLayer): ActLayer {
  if (typeof name === 'function') return name;
  const maker = ACT_LAYERS[name];
  if (maker === undefined) throw new Error(`unknown activation '${String(name)}': one of ${Object.keys(ACT_LAYERS).join(', ')}`);
  return maker;
}
