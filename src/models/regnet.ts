/**
 * RegNet-X and RegNet-Y (`Designing Network Design Spaces`, Radosavovic et al. 2020) the way timm
 * builds them (timm/models/regnet.py): per-block widths from (w0, wa, wm, depth), quantised into four
 * stages `s1`…`s4` of blocks `b1`, `b2`, … (`s2.b1.conv2.conv`, `s3.b4.se.fc1`, `s1.b1.downsample.bn`),
 * a `ConvNormAct` stem and a `ClassifierHead` (`head.fc`), printed as timm prints them.
 *
 * torchvision's RegNets round the bottleneck widths to their groups differently (`_make_divisible`,
 * never more than 10 % down) from pycls' `quantize_float`: for three sizes that changes the widths,
 * and timm has `_tv` variants for them (regnetx_004_tv, regnety_008_tv, regnety_080_tv, with
 * `groupMinRatio` 0.9) — those are the ones torchvision's weights (`.tv2_in1k`) load into.
 *
 *     const model = await createModel('regnety_016.tv2_in1k', { pretrained: true });
 */
import { noGrad, type Tensor } from '../engine/index.js';
import * as nn from '../nn/index.js';
import { ClassifierHead, ConvNormAct, SEModule, makeDivisible, pyRound, type ForwardHeadOptions, type Placement, type PoolType } from './layers/index.js';
import { regnetCfgs } from './regnet-cfgs.js';
import { registerModel, type FeatureInfo, type PretrainedCfg, type ZooModel } from './registry.js';

/** timm's `RegNetCfg` (the fields of the X and Y models). */
export interface RegNetCfg {
  depth: number;
  w0: number;
  wa: number;
  wm: number;
  groupSize: number;
  bottleRatio?: number;
  /** SE on the bottleneck (RegNet-Y: 0.25 of the block's input channels). */
  seRatio?: number;
  /** > 0: torchvision's rounding of bottleneck widths to the group size (timm's `_tv` models). */
  groupMinRatio?: number;
  stemWidth?: number;
}

/** timm's `generate_regnet`: per-block widths, quantised to multiples of 8 (NumPy's round: halves to even). */
export function generateRegnet(wa: number, w0: number, wm: number, depth: number, q = 8): number[] {
  if (!(wa >= 0 && w0 > 0 && wm > 1 && w0 % q === 0)) throw new Error(`RegNet: invalid width parameters w0=${w0}, wa=${wa}, wm=${wm}`);
  const widths: number[] = [];
  for (let i = 0; i < depth; i++) {
    const exp = pyRound(Math.log((i * wa + w0) / w0) / Math.log(wm));
    widths.push(pyRound((w0 * Math.pow(wm, exp)) / q) * q);
  }
  return widths;
}

/** The four stages' widths, depths and group sizes, as timm's `_get_stage_args` makes them. */
export function regnetStages(cfg: RegNetCfg): { widths: number[]; depths: number[]; groupSizes: number[] } {
  const blockWidths = generateRegnet(cfg.wa, cfg.w0, cfg.wm, cfg.depth);
  const unique = [...new Set(blockWidths)].sort((a, b) => a - b);
  const depths = unique.map((w) => blockWidths.filter((b) => b === w).length);
  const br = cfg.bottleRatio ?? 1;
  const minRatio = cfg.groupMinRatio ?? 0;
  const groupSizes: number[] = [];
  const widths = unique.map((w) => {
    let wBot = Math.trunc(w * br);
    const g = Math.min(cfg.groupSize, wBot);
    wBot = minRatio ? makeDivisible(wBot, g, minRatio) : Math.trunc(pyRound(wBot / g) * g);
    groupSizes.push(g);
    return Math.trunc(wBot / br);
  });
  return { widths, depths, groupSizes };
}

interface BottleneckOptions extends Placement {
  stride: number;
  bottleRatio: number;
  groupSize: number;
  seRatio: number;
  dropPathRate: number;
}

/** RegNet's bottleneck: 1×1 → grouped 3×3 → SE → 1×1 (no act), plus the shortcut, then ReLU (`act3`). */
export class RegNetBottleneck extends nn.Module {
  readonly conv1: ConvNormAct;
  readonly conv2: ConvNormAct;
  readonly se: SEModule | nn.Identity;
  readonly conv3: ConvNormAct;
  readonly act3: nn.ReLU;
  readonly downsample: ConvNormAct | nn.Identity;
  readonly drop_path: nn.DropPath | nn.Identity;

  constructor(inChs: number, outChs: number, o: BottleneckOptions) {
    super();
    const p = { device: o.device, dtype: o.dtype };
    const bottleneckChs = pyRound(outChs * o.bottleRatio);
    const groups = Math.floor(bottleneckChs / o.groupSize);
    this.conv1 = new ConvNormAct(inChs, bottleneckChs, 1, p);
    this.conv2 = new ConvNormAct(bottleneckChs, bottleneckChs, 3, { stride: o.stride, groups, ...p });
    this.se = o.seRatio ? new SEModule(bottleneckChs, { rdChannels: pyRound(inChs * o.seRatio), ...p }) : new nn.Identity();
    this.conv3 = new ConvNormAct(bottleneckChs, outChs, 1, { applyAct: false, ...p });
    this.act3 = new nn.ReLU();
    this.downsample = inChs !== outChs || o.stride !== 1 ? new ConvNormAct(inChs, outChs, 1, { stride: o.stride, applyAct: false, ...p }) : new nn.Identity();
    this.drop_path = o.dropPathRate > 0 ? new nn.DropPath(o.dropPathRate) : new nn.Identity();
  }

  /** timm's class is `Bottleneck` (in regnet.py): printed so. */
  override getName(): string {
    return 'Bottleneck';
  }

  override forward(input: Tensor): Tensor {
    // nn.chain: in inference each intermediate is released once the next module has used it
    let x = nn.chain([this.conv1, this.conv2, this.se, this.conv3, this.drop_path], input, this.training);
    x = x.add(this.downsample.call(input) as Tensor);
    return this.act3.call(x);
  }
}

/** A stage: blocks `b1`, `b2`, … (children of the stage itself, as timm's RegStage registers them). */
export class RegStage extends nn.Module {
  readonly numBlocks: number;

  constructor(depth: number, inChs: number, outChs: number, o: Omit<BottleneckOptions, 'dropPathRate'> & { dropPathRates: number[] }) {
    super();
    this.numBlocks = depth;
    for (let i = 0; i < depth; i++) {
      this.registerModule(`b${i + 1}`, new RegNetBottleneck(i === 0 ? inChs : outChs, outChs, {
        ...o, stride: i === 0 ? o.stride : 1, dropPathRate: o.dropPathRates[i] ?? 0,
      }));
    }
  }

  override forward(input: Tensor): Tensor {
    return nn.chain([...this.children()], input, this.training);
  }
}

export interface RegNetArgs extends Placement {
  cfg: RegNetCfg;
  inChans?: number;
  numClasses?: number;
  globalPool?: PoolType;
  dropRate?: number;
  dropPathRate?: number;
  /** Zero each block's last BN scale (default true). */
  zeroInitLast?: boolean;
}

/** RegNet: stem → s1…s4 → final_conv (Identity for X and Y) → head. */
export class RegNet extends nn.Module implements ZooModel {
  numClasses: number;
  readonly numFeatures: number;
  readonly featureInfo: FeatureInfo[];
  readonly stem: ConvNormAct;
  declare readonly s1: RegStage;
  declare readonly s2: RegStage;
  declare readonly s3: RegStage;
  declare readonly s4: RegStage;
  readonly final_conv: nn.Identity;
  readonly head: ClassifierHead;
  pretrainedCfg?: PretrainedCfg & { tag: string; architecture: string };

  constructor(args: RegNetArgs) {
    super();
    const { cfg, inChans = 3, numClasses = 1000, globalPool = 'avg', dropRate = 0, dropPathRate = 0, zeroInitLast = true, device, dtype } = args;
    const p = { device, dtype };
    this.numClasses = numClasses;
    const stemWidth = cfg.stemWidth ?? 32;
    this.stem = new ConvNormAct(inChans, stemWidth, 3, { stride: 2, ...p });
    this.featureInfo = [{ numChs: stemWidth, reduction: 2, module: 'stem' }];
    const { widths, depths, groupSizes } = regnetStages(cfg);
    if (widths.length !== 4) throw new Error(`RegNet: the widths make ${widths.length} stages, not 4`);
    const total = depths.reduce((a, b) => a + b, 0);
    let prev = stemWidth;
    let stride = 2;
    let offset = 0;
    widths.forEach((w, i) => {
      // NumPy's linspace(0, drop_path_rate, total), split by stage.
      const rates = Array.from({ length: depths[i]! }, (_, j) => (total > 1 ? (dropPathRate * (offset + j)) / (total - 1) : 0));
      this.registerModule(`s${i + 1}`, new RegStage(depths[i]!, prev, w, {
        stride: 2, bottleRatio: cfg.bottleRatio ?? 1, groupSize: groupSizes[i]!, seRatio: cfg.seRatio ?? 0, dropPathRates: rates, ...p,
      }));
      offset += depths[i]!;
      prev = w;
      stride *= 2;
      this.featureInfo.push({ numChs: w, reduction: stride, module: `s${i + 1}` });
    });
    this.final_conv = new nn.Identity();
    this.numFeatures = prev;
    this.head = new ClassifierHead(prev, numClasses, { poolType: globalPool, dropRate, ...p });
    this.#initWeights(zeroInitLast);
  }

  /** timm's `_init_weights`: conv ~ N(0, √(2 / fan_out)), Linear ~ N(0, 0.01), biases 0; each block's last BN scale 0. */
  #initWeights(zeroInitLast: boolean): void {
    noGrad(() => {
      for (const m of this.modules()) {
        if (m instanceof nn.Conv2d) {
          const fanOut = Math.floor((m.kernelSize[0] * m.kernelSize[1] * m.outChannels) / m.groups);
          nn.init.normal_(m.weight, 0, Math.sqrt(2.0 / fanOut));
          if (m.bias !== null) nn.init.zeros_(m.bias);
        } else if (m instanceof nn.Linear) {
          nn.init.normal_(m.weight, 0, 0.01);
          if (m.bias !== null) nn.init.zeros_(m.bias);
        } else if (zeroInitLast && m instanceof RegNetBottleneck) {
          nn.init.zeros_(m.conv3.bn.weight!);
        }
      }
    });
  }

  getClassifier(): nn.AnyModule {
    return this.head.fc;
  }

  resetClassifier(numClasses: number, globalPool?: PoolType): void {
    this.numClasses = numClasses;
    this.head.reset(numClasses, globalPool);
  }

  /** Stem and the four stages: (N, numFeatures, H/32, W/32). */
  forwardFeatures(input: Tensor): Tensor {
    let x = this.stem.call(input);
    x = this.s4.call(this.s3.call(this.s2.call(this.s1.call(x))));
    return this.final_conv.call(x);
  }

  forwardHead(x: Tensor, options: ForwardHeadOptions = {}): Tensor {
    return this.head.call(x, options);
  }

  override forward(x: Tensor): Tensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

// ---------------------------------------------------------------------------------------------
// The zoo: timm's `model_cfgs` for the sizes torchvision has (and timm's `_tv` variants of three).

const CFGS: Record<string, RegNetCfg> = {
  regnetx_004: { w0: 24, wa: 24.48, wm: 2.54, groupSize: 16, depth: 22 },
  regnetx_004_tv: { w0: 24, wa: 24.48, wm: 2.54, groupSize: 16, depth: 22, groupMinRatio: 0.9 },
  regnetx_008: { w0: 56, wa: 35.73, wm: 2.28, groupSize: 16, depth: 16 },
  regnetx_016: { w0: 80, wa: 34.01, wm: 2.25, groupSize: 24, depth: 18 },
  regnetx_032: { w0: 88, wa: 26.31, wm: 2.25, groupSize: 48, depth: 25 },
  regnetx_080: { w0: 80, wa: 49.56, wm: 2.88, groupSize: 120, depth: 23 },
  regnetx_160: { w0: 216, wa: 55.59, wm: 2.1, groupSize: 128, depth: 22 },
  regnetx_320: { w0: 320, wa: 69.86, wm: 2.0, groupSize: 168, depth: 23 },
  regnety_004: { w0: 48, wa: 27.89, wm: 2.09, groupSize: 8, depth: 16, seRatio: 0.25 },
  regnety_008: { w0: 56, wa: 38.84, wm: 2.4, groupSize: 16, depth: 14, seRatio: 0.25 },
  regnety_008_tv: { w0: 56, wa: 38.84, wm: 2.4, groupSize: 16, depth: 14, seRatio: 0.25, groupMinRatio: 0.9 },
  regnety_016: { w0: 48, wa: 20.71, wm: 2.65, groupSize: 24, depth: 27, seRatio: 0.25 },
  regnety_032: { w0: 80, wa: 42.63, wm: 2.66, groupSize: 24, depth: 21, seRatio: 0.25 },
  regnety_080: { w0: 192, wa: 76.82, wm: 2.19, groupSize: 56, depth: 17, seRatio: 0.25 },
  regnety_080_tv: { w0: 192, wa: 76.82, wm: 2.19, groupSize: 56, depth: 17, seRatio: 0.25, groupMinRatio: 0.9 },
  regnety_160: { w0: 200, wa: 106.23, wm: 2.48, groupSize: 112, depth: 18, seRatio: 0.25 },
  regnety_320: { w0: 232, wa: 115.89, wm: 2.53, groupSize: 232, depth: 20, seRatio: 0.25 },
  regnety_1280: { w0: 456, wa: 160.83, wm: 2.52, groupSize: 264, depth: 27, seRatio: 0.25 },
};

/** The config of a registered RegNet (`regnety_016` → depth, w0, wa, wm, …). */
export function regnetCfg(name: string): RegNetCfg {
  const c = CFGS[name];
  if (c === undefined) throw new Error(`'${name}' is not a RegNet architecture`);
  return { ...c };
}

for (const name of Object.keys(CFGS)) {
  registerModel(
    name,
    (o) => new RegNet({ cfg: regnetCfg(name), numClasses: o.numClasses, inChans: o.inChans, dropRate: o.dropRate, dropPathRate: o.dropPathRate }),
    regnetCfgs(name),
  );
}
