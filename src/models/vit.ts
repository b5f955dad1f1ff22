/**
 * The Vision Transformer (`An Image is Worth 16x16 Words`, Dosovitskiy et al. 2020) the way timm
 * builds it (timm/models/vision_transformer.py): patch embedding, a class token (`cls_token`) put
 * first, then a learned position embedding (`pos_embed`, one entry for the class token and one a
 * patch) added, pre-norm blocks (`blocks.3.attn.qkv`, `blocks.3.mlp.fc1`), a final LayerNorm
 * (eps 1e-6) and the class token's features into `head`; printed as timm prints it.
 *
 *     const model = await createModel('vit_small_patch16_224.augreg_in21k_ft_in1k', { pretrained: true });
 */
import { cat, empty, linspace, noGrad, type Tensor } from '../engine/index.js';
import * as nn from '../nn/index.js';
import { Attention, LayerNorm, Mlp, PatchEmbed, type ForwardHeadOptions, type Placement } from './layers/index.js';
import { vitCfgs } from './vit-cfgs.js';
import { registerModel, type FeatureInfo, type PretrainedCfg, type ZooModel } from './registry.js';

export interface BlockOptions extends Placement {
  numHeads: number;
  mlpRatio?: number;
  qkvBias?: boolean;
  projDrop?: number;
  attnDrop?: number;
  dropPath?: number;
}

/** timm's ViT `Block`: x + attn(norm1(x)), then x + mlp(norm2(x)), each branch with stochastic depth. */
export class Block extends nn.Module {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly ls1: nn.Identity;
  readonly drop_path1: nn.DropPath | nn.Identity;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  readonly ls2: nn.Identity;
  readonly drop_path2: nn.DropPath | nn.Identity;

  constructor(dim: number, o: BlockOptions) {
    super();
    const { numHeads, mlpRatio = 4, qkvBias = true, projDrop = 0, attnDrop = 0, dropPath = 0, device, dtype } = o;
    const p = { device, dtype };
    this.norm1 = new LayerNorm(dim, p);
    this.attn = new Attention(dim, { numHeads, qkvBias, attnDrop, projDrop, ...p });
    this.ls1 = new nn.Identity();
    this.drop_path1 = dropPath > 0 ? new nn.DropPath(dropPath) : new nn.Identity();
    this.norm2 = new LayerNorm(dim, p);
    // PyTorch's nn.GELU (timm's ViT default act_layer), printed GELU(approximate='none').
    this.mlp = new Mlp(dim, Math.trunc(dim * mlpRatio), { drop: projDrop, actLayer: () => new nn.GELU(), ...p });
    this.ls2 = new nn.Identity();
    this.drop_path2 = dropPath > 0 ? new nn.DropPath(dropPath) : new nn.Identity();
  }

  override forward(input: Tensor): Tensor {
    const x = input.add(this.drop_path1.call(this.ls1.call(this.attn.call(this.norm1.call(input)))) as Tensor);
    return x.add(this.drop_path2.call(this.ls2.call(this.mlp.call(this.norm2.call(x)))) as Tensor);
  }
}

/** timm's `VisionTransformer(...)` arguments (the class-token ViT), camel-cased. */
export interface VisionTransformerArgs extends Placement {
  imgSize?: number;
  patchSize?: number;
  inChans?: number;
  numClasses?: number;
  embedDim?: number;
  depth?: number;
  numHeads?: number;
  mlpRatio?: number;
  qkvBias?: boolean;
  dropRate?: number;
  posDropRate?: number;
  attnDropRate?: number;
  dropPathRate?: number;
}

export class VisionTransformer extends nn.Module implements ZooModel {
  numClasses: number;
  readonly numFeatures: number;
  readonly embedDim: number;
  readonly numPrefixTokens = 1;
  /** Tokens, not a map: fastai's body runs the whole model and its head does not pool. */
  readonly needsPool = false;
  readonly featureInfo: FeatureInfo[];
  readonly patch_embed: PatchEmbed;
  declare cls_token: Tensor;
  declare pos_embed: Tensor;
  readonly pos_drop: nn.Dropout;
  readonly patch_drop: nn.Identity;
  readonly norm_pre: nn.Identity;
  readonly blocks: nn.Sequential;
  readonly norm: LayerNorm;
  readonly fc_norm: nn.Identity;
  readonly head_drop: nn.Dropout;
  head: nn.Linear | nn.Identity;
  pretrainedCfg?: PretrainedCfg & { tag: string; architecture: string };

  constructor(args: VisionTransformerArgs = {}) {
    super();
    const {
      imgSize = 224, patchSize = 16, inChans = 3, numClasses = 1000, embedDim = 768, depth = 12, numHeads = 12, mlpRatio = 4,
      qkvBias = true, dropRate = 0, posDropRate = 0, attnDropRate = 0, dropPathRate = 0, device, dtype,
    } = args;
    const p = { device, dtype };
    this.numClasses = numClasses;
    this.numFeatures = embedDim;
    this.embedDim = embedDim;
    this.patch_embed = new PatchEmbed({ imgSize, patchSize, inChans, embedDim, ...p });
    this.registerParameter('cls_token', nn.init.normal_(emptyOf([1, 1, embedDim], p), 0, 1e-6));
    this.registerParameter('pos_embed', nn.init.truncNormal_(emptyOf([1, this.patch_embed.numPatches + 1, embedDim], p), { std: 0.02 }));
    this.pos_drop = new nn.Dropout(posDropRate);
    this.patch_drop = new nn.Identity();
    this.norm_pre = new nn.Identity();
    const dpr = linspace(0, dropPathRate, depth).toFlatArray() as number[];
    this.blocks = new nn.Sequential(...dpr.map((dropPath) => new Block(embedDim, { numHeads, mlpRatio, qkvBias, attnDrop: attnDropRate, dropPath, ...p })));
    this.featureInfo = dpr.map((_, i) => ({ numChs: embedDim, reduction: patchSize, module: `blocks.${i}` }));
    this.norm = new LayerNorm(embedDim, p);
    this.fc_norm = new nn.Identity();
    this.head_drop = new nn.Dropout(dropRate);
    this.head = numClasses > 0 ? new nn.Linear(embedDim, numClasses, p) : new nn.Identity();
    // timm's init_weights_vit_timm: every Linear ~ trunc_normal(std .02), biases 0.
    noGrad(() => {
      for (const m of this.modules()) {
        if (m instanceof nn.Linear) {
          nn.init.truncNormal_(m.weight, { std: 0.02 });
          if (m.bias !== null) nn.init.zeros_(m.bias);
        }
      }
    });
  }

  getClassifier(): nn.Linear | nn.Identity {
    return this.head;
  }

  resetClassifier(numClasses: number): void {
    this.numClasses = numClasses;
    const w = this.pos_embed;
    this.head = numClasses > 0 ? new nn.Linear(this.embedDim, numClasses, { dtype: w.dtype, device: w.device }) : new nn.Identity();
    this.head.train(this.training);
  }

  /** Patch tokens with the class token first and the position embedding added, through the blocks and norm: (B, 1 + patches, dim). */
  forwardFeatures(input: Tensor): Tensor {
    let x = this.patch_embed.call(input);
    x = cat([this.cls_token.expand(x.shape[0]!, -1, -1), x], 1).add(this.pos_embed);
    x = this.norm_pre.call(this.patch_drop.call(this.pos_drop.call(x)));
    return this.norm.call(this.blocks.call(x));
  }

  /** The class token's features (timm's 'token' pooling), then `fc_norm`, dropout and `head`. */
  forwardHead(input: Tensor, options: ForwardHeadOptions = {}): Tensor {
    let x = input.select(1, 0);
    x = this.head_drop.call(this.fc_norm.call(x));
    return options.preLogits ? x : this.head.call(x);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

function emptyOf(shape: number[], p: Placement): Tensor {
  return empty(shape, { dtype: p.dtype, device: p.device });
}

// ---------------------------------------------------------------------------------------------
// The zoo: timm's ViT-Ti, ViT-S and ViT-B with 16-pixel patches at 224 px.

const DEFS: Record<string, VisionTransformerArgs> = {
  vit_tiny_patch16_224: { patchSize: 16, embedDim: 192, depth: 12, numHeads: 3 },
  vit_small_patch16_224: { patchSize: 16, embedDim: 384, depth: 12, numHeads: 6 },
  vit_base_patch16_224: { patchSize: 16, embedDim: 768, depth: 12, numHeads: 12 },
};

/** The arguments of a registered ViT (`vit_small_patch16_224` → patch, width, depth, heads). */
export function vitArgs(name: string): VisionTransformerArgs {
  const d = DEFS[name];
  if (d === undefined) throw new Error(`'${name}' is not a ViT architecture`);
  return { ...d };
}

for (const name of Object.keys(DEFS)) {
  registerModel(
    name,
    (o) => new VisionTransformer({ ...vitArgs(name), numClasses: o.numClasses, inChans: o.inChans, dropRate: o.dropRate, dropPathRate: o.dropPathRate }),
    vitCfgs(name),
  );
}
