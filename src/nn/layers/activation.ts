/** Activation layers: ReLU, GELU, SiLU, Sigmoid, Tanh, LeakyReLU, Hardswish, Hardsigmoid, Softmax, LogSoftmax. */
import { ops, type Tensor } from '../../engine/index.js';
import { Module } from '../module.js';
import { pyFloat, pyStr } from '../pyrepr.js';

export class ReLU extends Module {
  readonly inplace: boolean;

  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.relu_(input) : ops.relu(input);
  }

  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** GELU, exact (`approximate: 'none'`, the default) or with the tanh approximation. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    this.approximate = options.approximate ?? 'none';
  }

  override forward(input: Tensor): Tensor {
    return ops.gelu(input, this.approximate);
  }

  override extraRepr(): string {
    return `approximate=${pyStr(this.approximate)}`;
  }
}

/** SiLU (swish): x · sigmoid(x). */
export class SiLU extends Module {
  readonly inplace: boolean;

  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.silu_(input) : ops.silu(input);
  }

  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return ops.sigmoid(input);
  }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return ops.tanh(input);
  }
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;

  constructor(negativeSlope = 0.01, options: { inplace?: boolean } = {}) {
    super();
    this.negativeSlope = negativeSlope;
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.leaky_relu_(input, this.negativeSlope) : ops.leaky_relu(input, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

export class Hardswish extends Module {
  readonly inplace: boolean;

  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.hardswish_(input) : ops.hardswish(input);
  }
}

/** relu6(x + 3) / 6 (MobileNetV3's gate). Prints as PyTorch's `Hardsigmoid()`, in place or not. */
export class Hardsigmoid extends Module {
  readonly inplace: boolean;

  constructor(options: { inplace?: boolean } = {}) {
    super();
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return this.inplace ? ops.hardsigmoid_(input) : ops.hardsigmoid(input);
  }
}

export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return ops.softmax_int(input, this.dim, null);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return ops.log_softmax_int(input, this.dim, null);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
