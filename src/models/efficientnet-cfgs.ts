/**
 * The pretrained configs of timm's EfficientNet B0–B3 (timm/models/efficientnet.py `default_cfgs`),
 * in its order (the first tag is the default): bicubic, crop 0.875, `conv_stem` and `classifier`.
 */
import type { PretrainedCfg } from './registry.js';

type Cfg = Omit<PretrainedCfg, 'hubId'>;
type Size = [number, number, number];

const IMAGENET_DEFAULT_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_DEFAULT_STD: [number, number, number] = [0.229, 0.224, 0.225];
const INCEPTION: Partial<Cfg> = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** timm's `_cfg` in efficientnet.py. */
function cfg(o: Partial<Cfg> = {}): Cfg {
  return {
    numClasses: 1000, inputSize: [3, 224, 224], cropPct: 0.875, interpolation: 'bicubic',
    mean: [...IMAGENET_DEFAULT_MEAN], std: [...IMAGENET_DEFAULT_STD], firstConv: 'conv_stem', classifier: 'classifier', ...o,
  };
}

const px = (n: number): Size => [3, n, n];

const CFGS: Record<string, Record<string, Cfg>> = {
  efficientnet_b0: {
    ra_in1k: cfg(),
    ra4_e3600_r224_in1k: cfg({ ...INCEPTION, cropPct: 0.9, testInputSize: px(256), testCropPct: 1.0 }),
  },
  efficientnet_b1: {
    ra4_e3600_r240_in1k: cfg({ ...INCEPTION, inputSize: px(240), cropPct: 0.9, testInputSize: px(288), testCropPct: 1.0 }),
    ft_in1k: cfg({ testInputSize: px(256), testCropPct: 1.0 }),
  },
  efficientnet_b2: {
    ra_in1k: cfg({ inputSize: px(256), testInputSize: px(288), testCropPct: 1.0 }),
  },
  efficientnet_b3: {
    ra2_in1k: cfg({ inputSize: px(288), testInputSize: px(320), testCropPct: 1.0 }),
  },
};

/** The tags of a registered EfficientNet, with their hub ids (`timm/<arch>.<tag>`). */
export function efficientnetCfgs(arch: string): Record<string, PretrainedCfg> {
  const cfgs = CFGS[arch] ?? {};
  return Object.fromEntries(Object.entries(cfgs).map(([tag, c]) => [tag, { hubId: `timm/${arch}.${tag}`, ...c }]));
}
