/**
 * The pretrained configs of timm's ViT-Ti/S/B with 16-pixel patches at 224 px
 * (timm/models/vision_transformer.py `default_cfgs`), in timm's order (the first tag is the
 * default): bicubic, crop 0.9, Inception mean and std (0.5), fixed input size, `patch_embed.proj`
 * and `head`, Apache-2.0 unless noted.
 */
import type { PretrainedCfg } from './registry.js';

type Cfg = Omit<PretrainedCfg, 'hubId'>;

const IMAGENET_DEFAULT: Partial<Cfg> = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** timm's `_cfg` in vision_transformer.py. */
function cfg(o: Partial<Cfg> = {}): Cfg {
  return {
    numClasses: 1000, inputSize: [3, 224, 224], cropPct: 0.9, interpolation: 'bicubic', fixedInputSize: true,
    mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], firstConv: 'patch_embed.proj', classifier: 'head', license: 'apache-2.0', ...o,
  };
}

const in21k = () => cfg({ numClasses: 21843 });
const dino = () => cfg({ ...IMAGENET_DEFAULT, numClasses: 0 });

const CFGS: Record<string, Record<string, Cfg>> = {
  vit_tiny_patch16_224: { augreg_in21k_ft_in1k: cfg(), augreg_in21k: in21k() },
  vit_small_patch16_224: { augreg_in21k_ft_in1k: cfg(), augreg_in1k: cfg(), augreg_in21k: in21k(), dino: dino() },
  vit_base_patch16_224: {
    augreg2_in21k_ft_in1k: cfg(), augreg_in21k_ft_in1k: cfg(), orig_in21k_ft_in1k: cfg(), augreg_in1k: cfg(),
    orig_in21k: cfg({ numClasses: 0 }), augreg_in21k: in21k(), sam_in1k: cfg(), dino: dino(),
    mae: cfg({ ...IMAGENET_DEFAULT, numClasses: 0, license: 'cc-by-nc-4.0' }),
  },
};

/** The tags of a registered ViT, with their hub ids (`timm/<arch>.<tag>`). */
export function vitCfgs(arch: string): Record<string, PretrainedCfg> {
  const cfgs = CFGS[arch] ?? {};
  return Object.fromEntries(Object.entries(cfgs).map(([tag, c]) => [tag, { hubId: `timm/${arch}.${tag}`, ...c }]));
}
