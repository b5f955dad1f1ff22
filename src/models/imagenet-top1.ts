/**
 * timm's published ImageNet-1k top-1 accuracy, by `arch.tag`, with the image size it was measured at:
 * the rows of `results/results-imagenet.csv` in huggingface/pytorch-image-models (commit
 * 0173a139a2c66db3a41ebfe1d8ac4fb02483642e, the timm 0.9 series of spring 2023: its newest rows are
 * EVA-02 and ConvNeXt-V2) for the zoo's families and those added next (MobileNetV3, EfficientNet,
 * RegNet, ViT). Copied, not computed: owlet does not evaluate ImageNet. `owlet compare` joins it with
 * what it measures on this machine, as the lesson's "which image models are best?" chart does.
 * regnety_1280 (added to the zoo after the table was copied) comes from timm's model card (huggingface.co/timm/regnety_1280.swag_ft_in1k,
 * "Model Comparison"), the same figures rounded to 3 decimals.
 * Each line: `arch: tag top1 size | tag top1 size | …`, timm's default tag first.
 */
import { getModelEntry, isModel } from './registry.js';

export const IMAGENET_TOP1_SOURCE = 'timm results-imagenet.csv (huggingface/pytorch-image-models@0173a139, 2023)';

const TABLE = `
resnet18: a1_in1k 73.158 288 | a2_in1k 72.372 288 | a3_in1k 68.254 224 | fb_ssl_yfcc100m_ft_in1k 72.594 224 | fb_swsl_ig1b_ft_in1k 73.282 224 | gluon_in1k 70.838 224 | tv_in1k 69.760 224
resnet34: a1_in1k 77.918 288 | a2_in1k 77.158 288 | a3_in1k 72.970 224 | bt_in1k 76.480 288 | gluon_in1k 74.578 224
resnet50: a1_in1k 81.214 288 | a1h_in1k 80.676 224 | a2_in1k 80.772 288 | a3_in1k 78.048 224 | am_in1k 78.998 224 | b1k_in1k 80.706 288 | b2k_in1k 80.454 288 | bt_in1k 79.640 288 | c1_in1k 80.912 288 | c2_in1k 80.870 288 | d_in1k 80.972 288 | fb_ssl_yfcc100m_ft_in1k 79.234 224 | fb_swsl_ig1b_ft_in1k 81.182 224 | gluon_in1k 77.580 224 | ra_in1k 79.836 288 | ram_in1k 79.976 288 | tv2_in1k 80.850 224 | tv_in1k 76.130 224
resnet101: a1h_in1k 82.778 288 | a1_in1k 82.322 288 | a2_in1k 82.236 288 | a3_in1k 79.814 224 | gluon_in1k 79.310 224 | tv2_in1k 81.890 224 | tv_in1k 77.376 224
resnet152: a1h_in1k 83.450 288 | a1_in1k 82.732 288 | a2_in1k 82.608 288 | a3_in1k 80.546 224 | gluon_in1k 79.694 224 | tv2_in1k 82.288 224 | tv_in1k 78.322 224
convnext_atto: d2_in1k 77.008 288
convnext_atto_ols: a2_in1k 77.216 288
convnext_femto: d1_in1k 78.716 288
convnext_femto_ols: d1_in1k 78.924 288
convnext_pico: d1_in1k 80.414 288
convnext_pico_ols: d1_in1k 80.464 288
convnext_nano: in12k_ft_in1k 82.862 288 | d1h_in1k 81.482 288
convnext_nano_ols: d1h_in1k 81.600 288
convnext_tiny: in12k_ft_in1k 84.450 288 | in12k_ft_in1k_384 85.122 384 | fb_in1k 82.698 288 | fb_in22k_ft_in1k 78.898 288 | fb_in22k_ft_in1k_384 84.088 384
convnext_tiny_hnf: a2h_in1k 82.584 288
convnext_small: in12k_ft_in1k 85.330 288 | in12k_ft_in1k_384 86.182 384 | fb_in1k 83.700 288 | fb_in22k_ft_in1k 85.262 288 | fb_in22k_ft_in1k_384 85.778 384
convnext_base: fb_in22k_ft_in1k 86.274 288 | fb_in22k_ft_in1k_384 86.796 384 | fb_in1k 84.428 288 | clip_laion2b_augreg_ft_in12k_in1k 86.370 256 | clip_laion2b_augreg_ft_in12k_in1k_384 87.134 384 | clip_laion2b_augreg_ft_in1k 86.158 256 | clip_laiona_augreg_ft_in1k_384 86.502 384
convnext_large: fb_in22k_ft_in1k 87.026 288 | fb_in22k_ft_in1k_384 87.472 384 | fb_in1k 84.846 288
convnext_large_mlp: clip_laion2b_soup_ft_in12k_in1k_320 87.958 320 | clip_laion2b_soup_ft_in12k_in1k_384 88.306 384 | clip_laion2b_augreg_ft_in1k 87.334 256 | clip_laion2b_augreg_ft_in1k_384 87.848 384
convnext_xlarge: fb_in22k_ft_in1k 87.330 288 | fb_in22k_ft_in1k_384 87.752 384
convnext_xxlarge: clip_laion2b_soup_ft_in1k 88.604 256
convnextv2_atto: fcmae_ft_in1k 77.760 288
convnextv2_femto: fcmae_ft_in1k 79.338 288
convnextv2_pico: fcmae_ft_in1k 81.086 288
convnextv2_nano: fcmae_ft_in22k_in1k 82.664 288 | fcmae_ft_in22k_in1k_384 83.374 384 | fcmae_ft_in1k 82.486 288
convnextv2_tiny: fcmae_ft_in22k_in1k 84.416 288 | fcmae_ft_in22k_in1k_384 85.106 384 | fcmae_ft_in1k 83.464 288
convnextv2_base: fcmae_ft_in22k_in1k 86.998 288 | fcmae_ft_in22k_in1k_384 87.644 384 | fcmae_ft_in1k 85.474 288
convnextv2_large: fcmae_ft_in22k_in1k 87.484 288 | fcmae_ft_in22k_in1k_384 88.198 384 | fcmae_ft_in1k 86.118 288
convnextv2_huge: fcmae_ft_in22k_in1k_384 88.670 384 | fcmae_ft_in22k_in1k_512 88.858 512 | fcmae_ft_in1k 86.580 288
mobilenetv3_large_100: ra_in1k 75.766 224 | miil_in21k_ft_in1k 77.918 224
mobilenetv3_small_100: lamb_in1k 67.656 224
efficientnet_b0: ra_in1k 77.694 224
efficientnet_b1: ft_in1k 78.800 256
efficientnet_b2: ra_in1k 80.610 288
efficientnet_b3: ra2_in1k 82.242 320
regnetx_002: pycls_in1k 68.746 224
regnetx_004: pycls_in1k 72.398 224
regnetx_004_tv: tv2_in1k 74.596 224
regnetx_006: pycls_in1k 73.868 224
regnetx_008: tv2_in1k 77.304 224 | pycls_in1k 75.030 224
regnetx_016: tv2_in1k 79.436 224 | pycls_in1k 76.924 224
regnetx_032: tv2_in1k 80.926 224 | pycls_in1k 78.168 224
regnetx_040: pycls_in1k 78.492 224
regnetx_064: pycls_in1k 79.066 224
regnetx_080: tv2_in1k 81.538 224 | pycls_in1k 79.202 224
regnetx_120: pycls_in1k 79.588 224
regnetx_160: tv2_in1k 82.566 224 | pycls_in1k 79.866 224
regnetx_320: tv2_in1k 82.810 224 | pycls_in1k 80.246 224
regnety_002: pycls_in1k 70.278 224
regnety_004: tv2_in1k 75.598 224 | pycls_in1k 74.028 224
regnety_006: pycls_in1k 75.270 224
regnety_008: pycls_in1k 76.302 224
regnety_008_tv: tv2_in1k 78.674 224
regnety_016: tv2_in1k 80.668 224 | pycls_in1k 77.862 224
regnety_032: ra_in1k 82.728 288 | tv2_in1k 81.756 224 | pycls_in1k 78.876 224
regnety_040: ra3_in1k 83.044 288 | pycls_in1k 79.232 224
regnety_064: ra3_in1k 83.720 288 | pycls_in1k 79.714 224
regnety_080: ra3_in1k 83.926 288 | pycls_in1k 79.868 224
regnety_080_tv: tv2_in1k 82.590 224
regnety_120: sw_in12k_ft_in1k 85.400 288 | pycls_in1k 80.386 224
regnety_160: tv2_in1k 82.642 224 | swag_ft_in1k 86.010 384 | swag_lc_in1k 83.782 224 | deit_in1k 83.690 288 | sw_in12k_ft_in1k 85.986 288 | lion_in12k_ft_in1k 85.986 288 | pycls_in1k 80.298 224
regnety_320: tv2_in1k 83.162 224 | swag_ft_in1k 86.836 384 | swag_lc_in1k 84.546 224 | seer_ft_in1k 83.334 384 | pycls_in1k 80.808 224
regnety_1280: swag_ft_in1k 88.228 384 | swag_lc_in1k 85.996 224 | seer_ft_in1k 84.432 384
vit_tiny_patch16_224: augreg_in21k_ft_in1k 75.454 224
vit_small_patch16_224: augreg_in21k_ft_in1k 81.384 224 | augreg_in1k 78.846 224
vit_base_patch16_224: augreg2_in21k_ft_in1k 85.096 224 | augreg_in21k_ft_in1k 84.532 224 | augreg_in1k 79.154 224 | orig_in21k_ft_in1k 81.786 224 | sam_in1k 80.244 224
`;

export interface ImagenetTop1 {
  /** The `arch.tag` whose weights scored it. */
  model: string;
  /** Top-1 accuracy in percent. */
  top1: number;
  /** The image size it was evaluated at (timm's test size). */
  imgSize: number;
}

let parsed: Map<string, ImagenetTop1[]> | undefined;

function table(): Map<string, ImagenetTop1[]> {
  if (parsed !== undefined) return parsed;
  parsed = new Map();
  for (const line of TABLE.trim().split('\n')) {
    const [arch, rest] = line.split(': ') as [string, string];
    parsed.set(arch, rest.split(' | ').map((cell) => {
      const [tag, top1, size] = cell.split(' ') as [string, string, string];
      return { model: `${arch}.${tag}`, top1: Number(top1), imgSize: Number(size) };
    }));
  }
  return parsed;
}

/** Every `arch.tag` the table holds. */
export function imagenetTop1Models(): string[] {
  return [...table().values()].flat().map((r) => r.model);
}

/**
 * The published top-1 of a model: of `arch.tag` exactly, or for an architecture, of its default tag
 * (the registry's), else of its first registered tag in the table, else of timm's default tag.
 */
export function imagenetTop1(name: string): ImagenetTop1 | undefined {
  const dot = name.indexOf('.');
  const arch = dot < 0 ? name : name.slice(0, dot);
  const rows = table().get(arch) ?? [];
  if (dot >= 0) return rows.find((r) => r.model === name);
  if (isModel(arch)) {
    const tag = getModelEntry(arch).tag;
    const byTag = rows.find((r) => r.model === `${arch}.${tag}`);
    if (byTag) return byTag;
  }
  return rows[0];
}
