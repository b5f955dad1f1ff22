/**
 * fastai's vision model pieces: `TimmBody` (a zoo model without its classifier, giving features),
 * `createHead` (pooling, then BatchNorm/Dropout/Linear blocks), and `createVisionModel`, which puts
 * them together as `Sequential(body, head)` — so `model.getSubmodule('0.model.stem.1')` is the
 * body's stem norm, as in fastai.
 */
import type { Tensor } from '../engine/index.js';
import { createModel } from '../models/create.js';
import type { PretrainedCfg, ZooModel } from '../models/registry.js';
import { kaimingNormal_ } from '../nn/init.js';
import { Dropout } from '../nn/layers/dropout.js';
import { Flatten, Linear } from '../nn/layers/linear.js';
import { ReLU } from '../nn/layers/activation.js';
import { BatchNorm1d, BatchNormBase, fastaiBatchNorm1d, LayerNorm } from '../nn/layers/norm.js';
import { AdaptiveAvgPool2d, AdaptiveConcatPool2d } from '../nn/layers/pooling.js';
import { Sequential } from '../nn/layers/container.js';
import { Module, type AnyModule } from '../nn/module.js';
import { noGrad } from '../engine/index.js';

/** fastai's `Flatten(full=False)`: [bs, ...] to [bs, n] (or to [n] with `full`); prints as fastai's. */
export class FastaiFlatten extends Flatten {
  constructor(readonly full = false) {
    super(1, -1);
  }

  override forward(input: Tensor): Tensor {
    return this.full ? input.reshape(-1) : input.reshape(input.size(0), -1);
  }

  override getName(): string {
    return 'fastai.layers.Flatten';
  }

  override extraRepr(): string {
    return `full=${this.full ? 'True' : 'False'}`;
  }
}

/**
 * fastai's TimmBody: the zoo model (its child `model`) without classifier; forward gives its
 * unpooled features, or — for a model whose features are tokens (ViT: `needsPool` false) — the
 * whole model's output, the pooled features, which the head then takes without pooling.
 */
export class TimmBody extends Module {
  readonly model: ZooModel;
  readonly needsPool: boolean;

  constructor(model: ZooModel) {
    super();
    this.model = model;
    this.needsPool = model.needsPool ?? true;
  }

  override forward(x: Tensor): Tensor {
    return this.needsPool ? this.model.forwardFeatures(x) : this.model.call(x);
  }
}

export interface HeadOptions {
  /** Sizes of the hidden linear layers (default [512]). */
  linFtrs?: number[];
  /** Dropout: one value (the last layer's; the others get half) or one per linear layer (default 0.5). */
  ps?: number | number[];
  /** Pool the features (default true). */
  pool?: boolean;
  /** Concatenate max- and average-pooling (default true). */
  concatPool?: boolean;
  /** BatchNorm before the first linear layer (default true). */
  firstBn?: boolean;
  /** BatchNorm after the last linear layer (default false). */
  bnFinal?: boolean;
}

/**
 * fastai's `create_head(nf, n_out, lin_ftrs=[512], ps=0.5, pool=True, concat_pool=True,
 * first_bn=True, bn_final=False)`: AdaptiveConcatPool2d → Flatten → BatchNorm1d(2nf) →
 * Dropout(0.25) → Linear(2nf, 512, bias=False) → ReLU → BatchNorm1d(512) → Dropout(0.5) →
 * Linear(512, nOut, bias=False). Not yet initialised: `applyInit` does that (kaiming normal).
 */
export function createHead(nf: number, nOut: number, options: HeadOptions = {}): Sequential {
  const { linFtrs = [512], pool = true, concatPool = true, firstBn = true, bnFinal = false } = options;
  if (!Number.isInteger(nf) || nf <= 0) throw new RangeError(`createHead: nf must be a positive integer, got ${nf}`);
  if (!Number.isInteger(nOut) || nOut <= 0) throw new RangeError(`createHead: nOut must be a positive integer, got ${nOut}`);
  let n = nf;
  if (pool && concatPool) n *= 2;
  const ftrs = [n, ...linFtrs, nOut];
  const bns = [firstBn, ...ftrs.slice(1).map(() => true)];
  let ps = Array.isArray(options.ps) ? [...options.ps] : [options.ps ?? 0.5];
  if (ps.length === 1) ps = [...Array<number>(ftrs.length - 2).fill(ps[0]! / 2), ps[0]!];
  if (ps.length !== ftrs.length - 1) throw new RangeError(`createHead: ps has ${ps.length} values for ${ftrs.length - 1} linear layers`);
  const layers: AnyModule[] = [];
  if (pool) layers.push(concatPool ? new AdaptiveConcatPool2d() : new AdaptiveAvgPool2d(1), new FastaiFlatten());
  for (let i = 0; i < ftrs.length - 1; i++) {
    const bn = bns[i]!;
    if (bn) layers.push(fastaiBatchNorm1d(ftrs[i]!));
    if (ps[i] !== 0) layers.push(new Dropout(ps[i]));
    layers.push(new Linear(ftrs[i]!, ftrs[i + 1]!, { bias: !bn }));
    if (i < ftrs.length - 2) layers.push(new ReLU({ inplace: true }));
  }
  if (bnFinal) layers.push(new BatchNorm1d(ftrs[ftrs.length - 1]!, { momentum: 0.01 }));
  return new Sequential(...layers);
}

/**
 * fastai's `apply_init(m, nn.init.kaiming_normal_)`: every layer but norm layers that has a weight
 * and trainable parameters gets a kaiming-normal weight and a zero bias.
 */
export function applyInit(m: AnyModule, init: (w: Tensor) => void = (w) => void kaimingNormal_(w)): void {
  const visit = (mod: AnyModule): void => {
    const isNorm = mod instanceof BatchNormBase || mod instanceof LayerNorm;
    const ps = mod.parameters();
    if (!isNorm && ps.length > 0 && ps[0]!.requiresGrad) {
      const w = (mod as unknown as { weight?: unknown }).weight;
      if (w !== null && w !== undefined && typeof w === 'object' && 'requiresGrad' in w) init(w as Tensor);
      const b = (mod as unknown as { bias?: unknown }).bias;
      if (b !== null && b !== undefined && typeof b === 'object' && 'requiresGrad' in b) noGrad(() => (b as Tensor).fill_(0));
    }
    for (const c of mod.children()) visit(c);
  };
  visit(m);
}

/** What an exported vision model is rebuilt from. */
export interface VisionModelSpec {
  kind: 'vision';
  /** The zoo name, with its tag when one was given (`convnext_tiny.fb_in22k`). */
  arch: string;
  nOut: number;
  head: HeadOptions;
}

export interface CreateVisionModelOptions extends HeadOptions {
  /** Load the zoo model's published weights (default true). */
  pretrained?: boolean;
  /** A local safetensors file of the body's weights instead of the hub's. */
  checkpointPath?: string;
  /** Initialise the head with kaiming normal (default true). */
  init?: boolean;
}

/**
 * `Sequential(TimmBody(zoo model without classifier), createHead(numFeatures, nOut))`, the head
 * initialised as fastai does. Returns the model, the zoo model's pretrained config (mean, std) and
 * the spec that rebuilds it.
 */
export async function createVisionModel(
  arch: string,
  nOut: number,
  options: CreateVisionModelOptions = {},
): Promise<{ model: Sequential; cfg: PretrainedCfg | undefined; spec: VisionModelSpec }> {
  const { pretrained = true, checkpointPath, init = true, ...head } = options;
  const zoo = await createModel(arch, { pretrained, ...(checkpointPath !== undefined ? { checkpointPath } : {}) });
  zoo.resetClassifier(0);
  const body = new TimmBody(zoo);
  // fastai's create_timm_model: `pool=body.needs_pool`.
  if (!body.needsPool) head.pool = false;
  const headModule = createHead(zoo.numFeatures, nOut, head);
  if (init) applyInit(headModule);
  const model = new Sequential(body, headModule);
  const spec: VisionModelSpec = { kind: 'vision', arch, nOut, head: { linFtrs: [512], ps: 0.5, pool: true, concatPool: true, firstBn: true, bnFinal: false, ...head } };
  return { model, cfg: zoo.pretrainedCfg, spec };
}
