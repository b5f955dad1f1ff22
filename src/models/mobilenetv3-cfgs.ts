/**
 * The pretrained configs of timm's MobileNetV3 (timm/models/mobilenetv3.py `default_cfgs`), in its
 * order (the first tag is the default): 224 px, crop 0.875, `conv_stem` and `classifier`.
 */
import type { PretrainedCfg } from './registry.js';

type Cfg = Omit<PretrainedCfg, 'hubId'>;

const IMAGENET_DEFAULT_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_DEFAULT_STD: [number, number, number] = [0.229, 0.224, 0.225];
const IMAGENET_INCEPTION_MEAN: [number, number, number] = [0.5, 0.5, 0.5];
const IMAGENET_INCEPTION_STD: [number, number, number] = [0.5, 0.5, 0.5];

/** timm's `_cfg` in mobilenetv3.py. */
function cfg(o: Partial<Cfg> = {}): Cfg {
  return {
    numClasses: 1000, inputSize: [3, 224, 224], cropPct: 0.875, interpolation: 'bilinear',
    mean: [...IMAGENET_DEFAULT_MEAN], std: [...IMAGENET_DEFAULT_STD], firstConv: 'conv_stem', classifier: 'classifier', ...o,
  };
}

const miil = (o: Partial<Cfg> = {}) => cfg({ interpolation: 'bilinear', mean: [0, 0, 0], std: [1, 1, 1], ...o });

const CFGS: Record<string, Record<string, Cfg>> = {
  mobilenetv3_large_100: {
    ra_in1k: cfg({ interpolation: 'bicubic' }),
    ra4_e3600_r224_in1k: cfg({
      interpolation: 'bicubic', mean: [...IMAGENET_INCEPTION_MEAN], std: [...IMAGENET_INCEPTION_STD],
      cropPct: 0.95, testInputSize: [3, 256, 256], testCropPct: 1.0,
    }),
    miil_in21k_ft_in1k: miil(),
    miil_in21k: miil({ numClasses: 11221 }),
  },
  mobilenetv3_small_100: {
    lamb_in1k: cfg({ interpolation: 'bicubic' }),
  },
};

/** The tags of a registered MobileNetV3, with their hub ids (`timm/<arch>.<tag>`). */
export function mobilenetv3Cfgs(arch: string): Record<string, PretrainedCfg> {
  const cfgs = CFGS[arch] ?? {};
  return Object.fromEntries(Object.entries(cfgs).map(([tag, c]) => [tag, { hubId: `timm/${arch}.${tag}`, ...c }]));
}
