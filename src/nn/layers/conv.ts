/** Conv2d. */
import type { DType } from '../../engine/dtype.js';
import { empty, ops, type Tensor } from '../../engine/index.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { pyTuple } from '../pyrepr.js';

export type Size2 = number | readonly [number, number];

export function pair(x: Size2): [number, number] {
  return typeof x === 'number' ? [x, x] : [x[0], x[1]];
}

export interface Conv2dOptions {
  stride?: Size2;
  /** Zeros added on each side, or 'same' (stride 1 only) / 'valid'. */
  padding?: Size2 | 'same' | 'valid';
  dilation?: Size2;
  groups?: number;
  bias?: boolean;
  /** Only 'zeros' is supported. */
  paddingMode?: 'zeros';
  dtype?: DType;
  device?: string;
}

/**
 * 2-d convolution over NCHW input. PyTorch's default init: weight ~ kaiming_uniform(a=√5), bias ~
 * U(-1/√fanIn, 1/√fanIn) with fanIn = inChannels / groups · kh · kw.
 */
export class Conv2d extends Module {
  declare weight: Tensor;
  declare bias: Tensor | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  readonly paddingMode = 'zeros';

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: Conv2dOptions = {}) {
    super();
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new Error('groups must be a positive integer');
    if (inChannels % groups !== 0) throw new Error('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new Error('out_channels must be divisible by groups');
    const padding = options.padding ?? 0;
    const stride = pair(options.stride ?? 1);
    if (typeof padding === 'string') {
      if (padding !== 'same' && padding !== 'valid') throw new Error(`Invalid padding string '${String(padding)}', should be one of ['valid', 'same']`);
      if (padding === 'same' && stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
    }
    if ((options.paddingMode ?? 'zeros') !== 'zeros')
      throw new Error(`padding_mode '${String(options.paddingMode)}' is not supported: owlet's Conv2d pads with zeros only`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair(kernelSize);
    this.stride = stride;
    this.padding = typeof padding === 'string' ? padding : pair(padding);
    this.dilation = pair(options.dilation ?? 1);
    this.groups = groups;
    const f = { dtype: options.dtype, device: options.device };
    this.registerParameter('weight', empty([outChannels, inChannels / groups, ...this.kernelSize], f));
    this.registerParameter('bias', (options.bias ?? true) ? empty([outChannels], f) : null);
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        uniform_(this.bias, -bound, bound);
      }
    }
  }

  override forward(input: Tensor): Tensor {
    if (typeof this.padding === 'string')
      return ops.conv2d_padding(input, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
    return ops.conv2d(input, this.weight, this.bias, this.stride, this.padding, this.dilation, this.groups);
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}
