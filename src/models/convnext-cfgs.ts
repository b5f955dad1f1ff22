/**
 * The pretrained configs of ConvNeXt and ConvNeXt-V2, as timm's `default_cfgs` lists them
 * (timm/models/convnext.py), in its order: for each architecture the first tag is the default.
 * Tags without published weights (`convnextv2_small.untrained`) are left out, as
 * `timm.list_models(pretrained=True)` leaves them out.
 */
import type { PretrainedCfg } from './registry.js';

const IMAGENET_DEFAULT_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_DEFAULT_STD: [number, number, number] = [0.229, 0.224, 0.225];
const OPENAI_CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

/** The fields a tag overrides in timm's `_cfg` / `_cfgv2`. */
interface Override {
  numClasses?: number;
  input?: number;
  test?: number;
  cropPct?: number;
  testCropPct?: number;
  clip?: boolean;
}

/** `[name, override]` in timm's order, `name` being `arch.tag`; `v2` marks `_cfgv2`. */
type Row = [string, Override] | [string, Override, 'v2'];

const t288c95: Override = { test: 288, testCropPct: 0.95 };
const t288: Override = { test: 288, testCropPct: 1.0 };
const c95t288: Override = { cropPct: 0.95, test: 288, testCropPct: 1.0 };
const r384: Override = { input: 384, cropPct: 1.0 };
const clip = (input: number, numClasses = 1000): Override => ({ clip: true, input, cropPct: 1.0, numClasses });

const rows: Row[] = [
  // timm specific variants
  ['convnext_tiny.in12k_ft_in1k', c95t288],
  ['convnext_small.in12k_ft_in1k', c95t288],
  ['convnext_atto.d2_in1k', t288c95],
  ['convnext_atto_ols.a2_in1k', t288c95],
  ['convnext_femto.d1_in1k', t288c95],
  ['convnext_femto_ols.d1_in1k', t288c95],
  ['convnext_pico.d1_in1k', t288c95],
  ['convnext_pico_ols.d1_in1k', c95t288],
  ['convnext_nano.in12k_ft_in1k', c95t288],
  ['convnext_nano.d1h_in1k', c95t288],
  ['convnext_nano_ols.d1h_in1k', c95t288],
  ['convnext_tiny_hnf.a2h_in1k', c95t288],
  ['convnext_nano.r384_in12k_ft_in1k', r384],
  ['convnext_tiny.in12k_ft_in1k_384', r384],
  ['convnext_small.in12k_ft_in1k_384', r384],
  ['convnext_nano.in12k', { cropPct: 0.95, numClasses: 11821 }],
  ['convnext_nano.r384_in12k', { ...r384, numClasses: 11821 }],
  ['convnext_nano.r384_ad_in12k', { ...r384, numClasses: 11821 }],
  ['convnext_tiny.in12k', { cropPct: 0.95, numClasses: 11821 }],
  ['convnext_small.in12k', { cropPct: 0.95, numClasses: 11821 }],
  // Facebook's
  ['convnext_tiny.fb_in22k_ft_in1k', t288],
  ['convnext_small.fb_in22k_ft_in1k', t288],
  ['convnext_base.fb_in22k_ft_in1k', t288],
  ['convnext_large.fb_in22k_ft_in1k', t288],
  ['convnext_xlarge.fb_in22k_ft_in1k', t288],
  ['convnext_tiny.fb_in1k', t288],
  ['convnext_small.fb_in1k', t288],
  ['convnext_base.fb_in1k', t288],
  ['convnext_large.fb_in1k', t288],
  ['convnext_tiny.fb_in22k_ft_in1k_384', r384],
  ['convnext_small.fb_in22k_ft_in1k_384', r384],
  ['convnext_base.fb_in22k_ft_in1k_384', r384],
  ['convnext_large.fb_in22k_ft_in1k_384', r384],
  ['convnext_xlarge.fb_in22k_ft_in1k_384', r384],
  ['convnext_tiny.fb_in22k', { numClasses: 21841 }],
  ['convnext_small.fb_in22k', { numClasses: 21841 }],
  ['convnext_base.fb_in22k', { numClasses: 21841 }],
  ['convnext_large.fb_in22k', { numClasses: 21841 }],
  ['convnext_xlarge.fb_in22k', { numClasses: 21841 }],
  // ConvNeXt-V2
  ['convnextv2_nano.fcmae_ft_in22k_in1k', t288, 'v2'],
  ['convnextv2_nano.fcmae_ft_in22k_in1k_384', r384, 'v2'],
  ['convnextv2_tiny.fcmae_ft_in22k_in1k', t288, 'v2'],
  ['convnextv2_tiny.fcmae_ft_in22k_in1k_384', r384, 'v2'],
  ['convnextv2_base.fcmae_ft_in22k_in1k', t288, 'v2'],
  ['convnextv2_base.fcmae_ft_in22k_in1k_384', r384, 'v2'],
  ['convnextv2_large.fcmae_ft_in22k_in1k', t288, 'v2'],
  ['convnextv2_large.fcmae_ft_in22k_in1k_384', r384, 'v2'],
  ['convnextv2_huge.fcmae_ft_in22k_in1k_384', r384, 'v2'],
  ['convnextv2_huge.fcmae_ft_in22k_in1k_512', { input: 512, cropPct: 1.0 }, 'v2'],
  ['convnextv2_atto.fcmae_ft_in1k', t288c95, 'v2'],
  ['convnextv2_femto.fcmae_ft_in1k', t288c95, 'v2'],
  ['convnextv2_pico.fcmae_ft_in1k', t288c95, 'v2'],
  ['convnextv2_nano.fcmae_ft_in1k', t288, 'v2'],
  ['convnextv2_tiny.fcmae_ft_in1k', t288, 'v2'],
  ['convnextv2_base.fcmae_ft_in1k', t288, 'v2'],
  ['convnextv2_large.fcmae_ft_in1k', t288, 'v2'],
  ['convnextv2_huge.fcmae_ft_in1k', t288, 'v2'],
  // Self-supervised (FCMAE) pretraining only: no classifier and no head norm in the weights.
  ['convnextv2_atto.fcmae', { numClasses: 0 }, 'v2'],
  ['convnextv2_femto.fcmae', { numClasses: 0 }, 'v2'],
  ['convnextv2_pico.fcmae', { numClasses: 0 }, 'v2'],
  ['convnextv2_nano.fcmae', { numClasses: 0 }, 'v2'],
  ['convnextv2_tiny.fcmae', { numClasses: 0 }, 'v2'],
  ['convnextv2_base.fcmae', { numClasses: 0 }, 'v2'],
  ['convnextv2_large.fcmae', { numClasses: 0 }, 'v2'],
  ['convnextv2_huge.fcmae', { numClasses: 0 }, 'v2'],
  // CLIP weights, fine-tuned on in1k or in12k + in1k
  ['convnext_base.clip_laion2b_augreg_ft_in12k_in1k', clip(256)],
  ['convnext_base.clip_laion2b_augreg_ft_in12k_in1k_384', clip(384)],
  ['convnext_large_mlp.clip_laion2b_soup_ft_in12k_in1k_320', clip(320)],
  ['convnext_large_mlp.clip_laion2b_soup_ft_in12k_in1k_384', clip(384)],
  ['convnext_base.clip_laion2b_augreg_ft_in1k', clip(256)],
  ['convnext_base.clip_laiona_augreg_ft_in1k_384', clip(384)],
  ['convnext_large_mlp.clip_laion2b_augreg_ft_in1k', clip(256)],
  ['convnext_large_mlp.clip_laion2b_augreg_ft_in1k_384', clip(384)],
  ['convnext_xxlarge.clip_laion2b_soup_ft_in1k', clip(256)],
  ['convnext_base.clip_laion2b_augreg_ft_in12k', clip(256, 11821)],
  ['convnext_large_mlp.clip_laion2b_soup_ft_in12k_320', clip(320, 11821)],
  ['convnext_large_mlp.clip_laion2b_augreg_ft_in12k_384', clip(384, 11821)],
  ['convnext_large_mlp.clip_laion2b_soup_ft_in12k_384', clip(384, 11821)],
  ['convnext_xxlarge.clip_laion2b_soup_ft_in12k', clip(256, 11821)],
  // CLIP original image tower weights (the classifier is CLIP's projection)
  ['convnext_base.clip_laion2b', clip(256, 640)],
  ['convnext_base.clip_laion2b_augreg', clip(256, 640)],
  ['convnext_base.clip_laiona', clip(256, 640)],
  ['convnext_base.clip_laiona_320', clip(320, 640)],
  ['convnext_base.clip_laiona_augreg_320', clip(320, 640)],
  ['convnext_large_mlp.clip_laion2b_augreg', clip(256, 768)],
  ['convnext_large_mlp.clip_laion2b_ft_320', clip(320, 768)],
  ['convnext_large_mlp.clip_laion2b_ft_soup_320', clip(320, 768)],
  ['convnext_xxlarge.clip_laion2b_soup', clip(256, 1024)],
  ['convnext_xxlarge.clip_laion2b_rewind', clip(256, 1024)],
];

function toCfg(name: string, o: Override, v2: boolean): PretrainedCfg {
  const size = o.input ?? 224;
  const cfg: PretrainedCfg = {
    hubId: `timm/${name}`,
    numClasses: o.numClasses ?? 1000,
    inputSize: [3, size, size],
    mean: o.clip ? OPENAI_CLIP_MEAN : IMAGENET_DEFAULT_MEAN,
    std: o.clip ? OPENAI_CLIP_STD : IMAGENET_DEFAULT_STD,
    cropPct: o.cropPct ?? 0.875,
    interpolation: 'bicubic',
    firstConv: 'stem.0',
    classifier: 'head.fc',
  };
  if (o.test !== undefined) cfg.testInputSize = [3, o.test, o.test];
  if (o.testCropPct !== undefined) cfg.testCropPct = o.testCropPct;
  if (v2) cfg.license = 'cc-by-nc-4.0';
  return cfg;
}

/** Each architecture's tags and their configs, in timm's order. */
export const convnextCfgs: ReadonlyMap<string, Readonly<Record<string, PretrainedCfg>>> = (() => {
  const out = new Map<string, Record<string, PretrainedCfg>>();
  for (const [name, o, v2] of rows) {
    const dot = name.indexOf('.');
    const arch = name.slice(0, dot);
    const tag = name.slice(dot + 1);
    const cfgs = out.get(arch) ?? {};
    cfgs[tag] = toCfg(name, o, v2 === 'v2');
    out.set(arch, cfgs);
  }
  return out;
})();

/** timm's `register_model_deprecations` for ConvNeXt: old names and the `arch.tag` they now are. */
export const convnextDeprecations: ReadonlyArray<readonly [string, string]> = [
  ['convnext_tiny_in22ft1k', 'convnext_tiny.fb_in22k_ft_in1k'],
  ['convnext_small_in22ft1k', 'convnext_small.fb_in22k_ft_in1k'],
  ['convnext_base_in22ft1k', 'convnext_base.fb_in22k_ft_in1k'],
  ['convnext_large_in22ft1k', 'convnext_large.fb_in22k_ft_in1k'],
  ['convnext_xlarge_in22ft1k', 'convnext_xlarge.fb_in22k_ft_in1k'],
  ['convnext_tiny_384_in22ft1k', 'convnext_tiny.fb_in22k_ft_in1k_384'],
  ['convnext_small_384_in22ft1k', 'convnext_small.fb_in22k_ft_in1k_384'],
  ['convnext_base_384_in22ft1k', 'convnext_base.fb_in22k_ft_in1k_384'],
  ['convnext_large_384_in22ft1k', 'convnext_large.fb_in22k_ft_in1k_384'],
  ['convnext_xlarge_384_in22ft1k', 'convnext_xlarge.fb_in22k_ft_in1k_384'],
  ['convnext_tiny_in22k', 'convnext_tiny.fb_in22k'],
  ['convnext_small_in22k', 'convnext_small.fb_in22k'],
  ['convnext_base_in22k', 'convnext_base.fb_in22k'],
  ['convnext_large_in22k', 'convnext_large.fb_in22k'],
  ['convnext_xlarge_in22k', 'convnext_xlarge.fb_in22k'],
];
