/**
 * The pretrained configs of timm's RegNets (timm/models/regnet.py `default_cfgs`), for the
 * architectures owlet registers, in timm's order (the first tag is the default): timm's own
 * weights (`_cfg`: crop 0.95, tested at 288 px), torchvision's (`_cfgtv2`: crop 0.965, BSD),
 * pycls' (`_cfgpyc`: crop 0.875, MIT), SWAG (384 px fine-tuned or linear-classifier) and SEER.
 */
import type { PretrainedCfg } from './registry.js';

type Cfg = Omit<PretrainedCfg, 'hubId'>;

const IMAGENET_DEFAULT_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_DEFAULT_STD: [number, number, number] = [0.229, 0.224, 0.225];

function base(o: Partial<Cfg>): Cfg {
  return {
    numClasses: 1000, inputSize: [3, 224, 224], cropPct: 0.875, interpolation: 'bicubic',
    mean: [...IMAGENET_DEFAULT_MEAN], std: [...IMAGENET_DEFAULT_STD], firstConv: 'stem.conv', classifier: 'head.fc', ...o,
  };
}

/** timm's `_cfg` (timm-trained weights). */
const timm = (o: Partial<Cfg> = {}) => base({ cropPct: 0.95, testInputSize: [3, 288, 288], testCropPct: 1.0, ...o });
/** timm's `_cfgpyc` (the original pycls weights). */
const pyc = () => base({ license: 'mit' });
/** timm's `_cfgtv2` (torchvision's weights and the SWAG/SEER ones it converted). */
const tv2 = (o: Partial<Cfg> = {}) => base({ cropPct: 0.965, license: 'bsd-3-clause', ...o });
const swagFt = () => tv2({ license: 'cc-by-nc-4.0', inputSize: [3, 384, 384], cropPct: 1.0 });
const swagLc = () => tv2({ license: 'cc-by-nc-4.0' });
const seerFt = () => tv2({ license: 'other', inputSize: [3, 384, 384], cropPct: 1.0 });
const seer = () => tv2({ license: 'other', numClasses: 0 });

const CFGS: Record<string, Record<string, Cfg>> = {
  regnetx_004: { pycls_in1k: pyc() },
  regnetx_004_tv: { tv2_in1k: tv2() },
  regnetx_008: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnetx_016: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnetx_032: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnetx_080: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnetx_160: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnetx_320: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnety_004: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnety_008: { pycls_in1k: pyc() },
  regnety_008_tv: { tv2_in1k: tv2() },
  regnety_016: { tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnety_032: { ra_in1k: timm(), tv2_in1k: tv2(), pycls_in1k: pyc() },
  regnety_080: { ra3_in1k: timm(), pycls_in1k: pyc() },
  regnety_080_tv: { tv2_in1k: tv2() },
  regnety_160: {
    sw_in12k_ft_in1k: timm(), lion_in12k_ft_in1k: timm(), sw_in12k: timm({ numClasses: 11821 }), deit_in1k: timm(),
    tv2_in1k: tv2(), swag_ft_in1k: swagFt(), swag_lc_in1k: swagLc(), pycls_in1k: pyc(),
  },
  regnety_320: { tv2_in1k: tv2(), swag_ft_in1k: swagFt(), swag_lc_in1k: swagLc(), seer_ft_in1k: seerFt(), seer: seer(), pycls_in1k: pyc() },
  regnety_1280: { swag_ft_in1k: swagFt(), swag_lc_in1k: swagLc(), seer_ft_in1k: seerFt(), seer: seer() },
};

/** The tags of a registered RegNet, with their hub ids (`timm/<arch>.<tag>`). */
export function regnetCfgs(arch: string): Record<string, PretrainedCfg> {
  const cfgs = CFGS[arch] ?? {};
  return Object.fromEntries(Object.entries(cfgs).map(([tag, c]) => [tag, { hubId: `timm/${arch}.${tag}`, ...c }]));
}
