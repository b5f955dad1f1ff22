/**
 * The pretrained configs of timm's ResNets (timm/models/resnet.py `default_cfgs`): for each
 * architecture its tags in timm's order — the first is timm's default — with input size, crop,
 * interpolation, mean and std, and the hub repository `timm/<arch>.<tag>` its weights are in.
 */
import type { PretrainedCfg } from './registry.js';

const IMAGENET_DEFAULT_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_DEFAULT_STD: [number, number, number] = [0.229, 0.224, 0.225];

type CfgOverrides = Partial<Omit<PretrainedCfg, 'hubId'>>;

/** timm's `_cfg`: 224 px, crop 0.875, bilinear, ImageNet mean and std. */
function cfg(o: CfgOverrides = {}): Omit<PretrainedCfg, 'hubId'> {
  return {
    numClasses: 1000, inputSize: [3, 224, 224], cropPct: 0.875, interpolation: 'bilinear',
    mean: [...IMAGENET_DEFAULT_MEAN], std: [...IMAGENET_DEFAULT_STD], firstConv: 'conv1', classifier: 'fc', ...o,
  };
}
/** timm's `_tcfg`: bicubic. */
const tcfg = (o: CfgOverrides = {}) => cfg({ interpolation: 'bicubic', ...o });
/** timm's `_ttcfg`: bicubic, tested at 288 px, crop 0.95. */
const ttcfg = (o: CfgOverrides = {}) => cfg({ interpolation: 'bicubic', testInputSize: [3, 288, 288], testCropPct: 0.95, ...o });
/** timm's `_rcfg` (ResNet Strikes Back a1/a2): bicubic, crop 0.95, tested at 288 px, crop 1.0. */
const rcfg = (o: CfgOverrides = {}) => cfg({ interpolation: 'bicubic', cropPct: 0.95, testInputSize: [3, 288, 288], testCropPct: 1.0, ...o });
/** timm's `_r3cfg` (ResNet Strikes Back a3): 160 px, bicubic, crop 0.95, tested at 224 px, crop 0.95. */
const r3cfg = (o: CfgOverrides = {}) =>
  cfg({ interpolation: 'bicubic', inputSize: [3, 160, 160], cropPct: 0.95, testInputSize: [3, 224, 224], testCropPct: 0.95, ...o });
/** timm's `_gcfg` (Gluon): bicubic. */
const gcfg = (o: CfgOverrides = {}) => cfg({ interpolation: 'bicubic', ...o });

const tv = (o: CfgOverrides = {}) => cfg({ license: 'bsd-3-clause', ...o });
const tv2 = () => tv({ inputSize: [3, 176, 176], testInputSize: [3, 224, 224], testCropPct: 0.965 });
const fb = () => cfg({ license: 'cc-by-nc-4.0' });
const a1h = () => rcfg();

/** Each architecture's tags in the order of timm's `default_cfgs` (the first is the default). */
const CFGS: Record<string, Record<string, Omit<PretrainedCfg, 'hubId'>>> = {
  resnet18: {
    a1_in1k: rcfg(), a2_in1k: rcfg(), a3_in1k: r3cfg(),
    tv_in1k: tv(), fb_ssl_yfcc100m_ft_in1k: fb(), fb_swsl_ig1b_ft_in1k: fb(), gluon_in1k: gcfg(),
  },
  resnet34: {
    a1_in1k: rcfg(), a2_in1k: rcfg(), a3_in1k: r3cfg({ cropPct: 0.95 }), bt_in1k: ttcfg(),
    tv_in1k: tv(), gluon_in1k: gcfg(),
  },
  resnet50: {
    a1_in1k: rcfg(),
    a1h_in1k: rcfg({ inputSize: [3, 176, 176], cropPct: 0.9, testInputSize: [3, 224, 224], testCropPct: 1.0 }),
    a2_in1k: rcfg(), a3_in1k: r3cfg(), b1k_in1k: rcfg(), b2k_in1k: rcfg(), c1_in1k: rcfg(), c2_in1k: rcfg(), d_in1k: rcfg(),
    ram_in1k: ttcfg(), am_in1k: tcfg(), ra_in1k: ttcfg(), bt_in1k: ttcfg(),
    tv_in1k: tv(), tv2_in1k: tv2(), fb_ssl_yfcc100m_ft_in1k: fb(), fb_swsl_ig1b_ft_in1k: fb(), gluon_in1k: gcfg(),
  },
  resnet101: {
    a1h_in1k: a1h(), a1_in1k: rcfg(), a2_in1k: rcfg(), a3_in1k: r3cfg(), tv_in1k: tv(), tv2_in1k: tv2(), gluon_in1k: gcfg(),
  },
  resnet152: {
    a1h_in1k: a1h(), a1_in1k: rcfg(), a2_in1k: rcfg(), a3_in1k: r3cfg(), tv_in1k: tv(), tv2_in1k: tv2(), gluon_in1k: gcfg(),
  },
};

/** The tags of a registered ResNet, with their hub ids. */
export function resnetCfgs(arch: string): Record<string, PretrainedCfg> {
  const cfgs = CFGS[arch];
  if (cfgs === undefined) throw new Error(`no pretrained configs for '${arch}'`);
  return Object.fromEntries(Object.entries(cfgs).map(([tag, c]) => [tag, { hubId: `timm/${arch}.${tag}`, ...c }]));
}
