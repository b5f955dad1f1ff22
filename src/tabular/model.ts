/**
 * fastai's tabular model (fastai/tabular/model.py and layers.py): an embedding a categorical
 * column, sized by `embSzRule`, dropout on the embeddings, BatchNorm on the continuous columns, then
 * `LinBnDrop` blocks (Linear without bias, ReLU, BatchNorm1d, Dropout) and a last Linear, with an
 * optional `SigmoidRange` for regression. Its parameter names are fastai's (`embeds.0.weight`,
 * `bn_cont.running_mean`, `layers.0.0.weight`), and it prints as fastai's.
 *
 * The learner's batches have one input tensor, so a tabular batch is one float32 matrix
 * [bs, nCat + nCont]: the category codes (exact in float32 up to 2^24) then the continuous values;
 * `forward` splits it into fastai's `(x_cat, x_cont)`.
 */
import { cat, noGrad, ops, type Tensor } from '../engine/index.js';
import { Dropout } from '../nn/layers/dropout.js';
import { Embedding } from '../nn/layers/embedding.js';
import { Linear } from '../nn/layers/linear.js';
import { ReLU } from '../nn/layers/activation.js';
import { BatchNorm1d, fastaiBatchNorm1d } from '../nn/layers/norm.js';
import { ModuleList, Sequential } from '../nn/layers/container.js';
import { Module } from '../nn/module.js';

/** fastai's `emb_sz_rule`: an embedding's width for a column of `nCat` classes (`#na#` included). */
export function embSzRule(nCat: number): number {
  return Math.min(600, Math.round(1.6 * nCat ** 0.56));
}

/** fastai's `Embedding`: nn.Embedding initialised with fastai's trunc_normal_ (normal, fmod 2, times 0.01). */
export function fastaiEmbedding(ni: number, nf: number): Embedding {
  const e = new Embedding(ni, nf);
  noGrad(() => ops.fmod__Scalar(e.weight.normal_(), 2).mul_(0.01));
  return e;
}

/** fastai's `LinBnDrop(n_in, n_out, bn=True, p=0., act=None, lin_first=False)`: a Sequential of Linear (no bias with bn), act, BatchNorm1d, Dropout. */
export class LinBnDrop extends Sequential {
  constructor(nIn: number, nOut: number, options: { bn?: boolean; p?: number; act?: Module | null; linFirst?: boolean } = {}) {
    const { bn = true, p = 0, act = null, linFirst = false } = options;
    const norm: Module[] = bn ? [fastaiBatchNorm1d(linFirst ? nOut : nIn)] : [];
    if (p !== 0) norm.push(new Dropout(p));
    const lin: Module[] = [new Linear(nIn, nOut, { bias: !bn })];
    if (act !== null) lin.push(act);
    super(...(linFirst ? [...lin, ...norm] : [...norm, ...lin]));
  }

  override getName(): string {
    return 'LinBnDrop';
  }
}

/** fastai's `SigmoidRange(low, high)`: `sigmoid(x) * (high - low) + low`. */
export class SigmoidRange extends Module {
  constructor(readonly low: number, readonly high: number) {
    super();
  }

  override forward(x: Tensor): Tensor {
    return x.sigmoid().mul(this.high - this.low).add(this.low);
  }

  override extraRepr(): string {
    return `low=${this.low}, high=${this.high}`;
  }
}

export interface TabularModelOptions {
  /** Dropout of each hidden layer: one value for all, or one each (default 0). */
  ps?: number | number[];
  /** Dropout on the embeddings (default 0). */
  embedP?: number;
  /** For regression: the outputs squashed into [low, high]. */
  yRange?: [number, number] | null;
  useBn?: boolean;
  bnFinal?: boolean;
  bnCont?: boolean;
}

/** What rebuilds a TabularModel (plain JSON: an export's model spec). */
export interface TabularModelSpec {
  kind: 'tabular';
  embSzs: [number, number][];
  nCont: number;
  outSz: number;
  layers: number[];
  options: TabularModelOptions;
}

/** fastai's `TabularModel(emb_szs, n_cont, out_sz, layers, ps, embed_p, y_range, use_bn, bn_final, bn_cont)`. */
export class TabularModel extends Module {
  readonly nEmb: number;
  readonly nCat: number;
  readonly embeds: ModuleList<Embedding>;
  readonly layers: Sequential;
  readonly #embDrop: Dropout;
  readonly #bnCont: BatchNorm1d | null;
  /** The embeddings as an array, for forward (ModuleList.at walks the children each time). */
  readonly #embList: Embedding[];

  constructor(readonly embSzs: readonly [number, number][], readonly nCont: number, readonly outSz: number, readonly layerSizes: readonly number[], options: TabularModelOptions = {}) {
    super();
    const { embedP = 0, yRange = null, useBn = true, bnFinal = false, bnCont = true } = options;
    const ps = options.ps === undefined ? layerSizes.map(() => 0) : typeof options.ps === 'number' ? layerSizes.map(() => options.ps as number) : options.ps;
    if (ps.length !== layerSizes.length) throw new RangeError(`TabularModel: ${ps.length} dropout values for ${layerSizes.length} layers`);
    this.#embList = embSzs.map(([ni, nf]) => fastaiEmbedding(ni, nf));
    this.embeds = new ModuleList(this.#embList);
    this.#embDrop = this.registerModule('emb_drop', new Dropout(embedP));
    this.#bnCont = nCont > 0 && bnCont ? this.registerModule('bn_cont', new BatchNorm1d(nCont)) : null;
    this.nCat = embSzs.length;
    this.nEmb = embSzs.reduce((s, [, nf]) => s + nf, 0);
    const sizes = [this.nEmb + nCont, ...layerSizes, outSz];
    const blocks: Module[] = [];
    for (let i = 0; i < sizes.length - 1; i++) {
      const last = i === sizes.length - 2;
      blocks.push(new LinBnDrop(sizes[i]!, sizes[i + 1]!, { bn: useBn && (!last || bnFinal), p: last ? 0 : ps[i]!, act: last ? null : new ReLU({ inplace: true }), linFirst: true }));
    }
    if (yRange !== null) blocks.push(new SigmoidRange(yRange[0], yRange[1]));
    this.layers = new Sequential(...blocks);
  }

  override forward(x: Tensor): Tensor {
    const parts: Tensor[] = [];
    if (this.nEmb !== 0) {
      const xCat = x.narrow(1, 0, this.nCat).long();
      const embs = this.#embList.map((m, i) => m.call(xCat.select(1, i)));
      const e = cat(embs, 1);
      // Dropout with p = 0 is the identity: skipped (one op less a batch, forward and backward).
      parts.push(this.#embDrop.p > 0 ? this.#embDrop.call(e) : e);
    }
    if (this.nCont !== 0) {
      let xCont = x.narrow(1, this.nCat, this.nCont);
      if (this.#bnCont !== null) xCont = this.#bnCont.call(xCont);
      parts.push(xCont);
    }
    return this.layers.call(parts.length === 1 ? parts[0]! : cat(parts, 1));
  }
}

/** The model a spec describes, with fresh weights (an export's weights are loaded next). */
export function buildTabularModel(spec: TabularModelSpec): TabularModel {
  return new TabularModel(spec.embSzs, spec.nCont, spec.outSz, spec.layers, spec.options);
}
