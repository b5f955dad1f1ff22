/** Dropout and timm's DropPath (stochastic depth). */
import type { Tensor } from '../../engine/index.js';
import { pyFixed } from '../../engine/index.js';
import { dropout, dropPath } from '../functional.js';
import { Module } from '../module.js';
import { pyBool, pyFloat } from '../pyrepr.js';

/** In training, zeroes each element with probability `p` and scales the rest by 1/(1-p). */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;

  constructor(p = 0.5, options: { inplace?: boolean } = {}) {
    super();
    if (p < 0 || p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = options.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, { inplace: this.inplace });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

/** timm's DropPath: in training, drops whole samples of a residual branch with probability `dropProb`. */
export class DropPath extends Module {
  readonly dropProb: number;
  readonly scaleByKeep: boolean;

  constructor(dropProb = 0, options: { scaleByKeep?: boolean } = {}) {
    super();
    this.dropProb = dropProb;
    this.scaleByKeep = options.scaleByKeep ?? true;
  }

  override forward(input: Tensor): Tensor {
    return dropPath(input, this.dropProb, this.training, this.scaleByKeep);
  }

  override extraRepr(): string {
    return `drop_prob=${pyFixed(this.dropProb, 3)}`;
  }
}
