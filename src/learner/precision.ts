/**
 * Mixed precision (fastai's `to_fp16`). Weights stay float32; convolutions and matmuls run in a
 * 16-bit type under autocast:
 * - on CUDA, float16 with a dynamic loss scale (gradients are unscaled before the step, and a step
 *   with overflowed gradients is skipped and the scale halved);
 * - on a CPU with bf16 instructions (AVX512-BF16 or AMX-BF16), bfloat16 with channels-last
 *   memory, which oneDNN runs fastest. bf16 has float32's range, so no loss scale.
 * Elsewhere it is refused with the reason: on a CPU without bf16 support it would only be slower.
 */
import { machineProfile, stack, type Tensor } from '../engine/index.js';
import { Callback } from './callback.js';
import { CancelStepException } from './events.js';
import type { Learner } from './learner.js';

/** 'fp32': none; 'mixed': fp16 on CUDA, bf16 on a CPU that supports it (else an error); 'auto': mixed where supported, else fp32. */
export type Precision = 'fp32' | 'mixed' | 'auto' | 'bf16' | 'fp16';

export interface MixedPrecisionConfig {
  device: 'cpu' | 'cuda';
  dtype: 'bfloat16' | 'float16';
  channelsLast: boolean;
  /** A dynamic loss scale (float16 only). */
  lossScale: boolean;
}

/** Whether this CPU has bf16 instructions, from the machine profile (which honours `DNNL_MAX_CPU_ISA` and `OWLET_CPU_BF16`). */
export function cpuBf16Support(): { supported: boolean; flags: string[]; reason: string } {
  const { cpu } = machineProfile();
  return { supported: cpu.bf16.fast, flags: cpu.flags.filter((f) => f === 'avx512_bf16' || f === 'amx_bf16'), reason: cpu.bf16.reason };
}

/** The mixed-precision set-up for `precision` on `device`, or null for float32; throws where it cannot help. */
export function resolvePrecision(precision: Precision, device: string): MixedPrecisionConfig | null {
  const cuda = device.startsWith('cuda');
  switch (precision) {
    case 'fp32':
      return null;
    case 'fp16':
      if (!cuda) throw new Error('fp16 mixed precision needs CUDA (libtorch\'s CPU autocast is bfloat16 only): use precision \'bf16\' on a CPU with bf16 instructions, or float32');
      return { device: 'cuda', dtype: 'float16', channelsLast: false, lossScale: true };
    case 'bf16':
      if (cuda) return { device: 'cuda', dtype: 'bfloat16', channelsLast: false, lossScale: false };
      break;
    case 'mixed':
    case 'auto':
      if (cuda) return { device: 'cuda', dtype: 'float16', channelsLast: false, lossScale: true };
      // the machine profile says what auto means on this CPU (OWLET_PRECISION, else bf16 where fast)
      if (precision === 'auto' && machineProfile().autoPrecision === 'fp32') return null;
      break;
    default:
      throw new Error(`unknown precision '${String(precision)}': use 'fp32', 'mixed', 'auto', 'bf16' or 'fp16'`);
  }
  const bf16 = cpuBf16Support();
  if (!bf16.supported) {
    throw new Error(`mixed precision refused: ${bf16.reason}. Train in float32 (leave out toFp16()), or use a CUDA GPU.`);
  }
  return { device: 'cpu', dtype: 'bfloat16', channelsLast: true, lossScale: false };
}

/** The callback that `toFp16()` adds: channels-last inputs, float32 predictions, and the fp16 loss scale. */
export class MixedPrecision extends Callback {
  override order = 10;
  scale: number;
  readonly growthInterval: number;
  #goodSteps = 0;
  #skipped = false;

  constructor(readonly config: MixedPrecisionConfig, options: { initScale?: number; growthInterval?: number } = {}) {
    super();
    this.scale = options.initScale ?? 2 ** 16;
    this.growthInterval = options.growthInterval ?? 2000;
  }

  override get name(): string {
    return 'MixedPrecision';
  }

  beforeBatch(learn: Learner): void {
    if (this.config.channelsLast && learn.xb !== null && learn.xb.dim() === 4) learn.xb = learn.xb.contiguous('channelsLast');
  }

  afterPred(learn: Learner): void {
    const p = learn.pred;
    if (p !== null && (p.dtype === 'float16' || p.dtype === 'bfloat16')) learn.pred = p.float();
  }

  beforeBackward(learn: Learner): void {
    if (this.config.lossScale && learn.lossGrad !== null) learn.lossGrad = learn.lossGrad.mul(this.scale);
  }

  beforeStep(learn: Learner): void {
    this.#skipped = false;
    if (!this.config.lossScale || learn.opt === null) return;
    const grads: Tensor[] = [];
    for (const g of learn.opt.paramLists) for (const p of g) {
      const gr = p.grad;
      if (gr === null) continue;
      gr.mul_(1 / this.scale);
      grads.push(gr);
    }
    if (grads.length === 0) return;
    const finite = Boolean(stack(grads.map((g) => g.abs().max().float()), 0).isfinite().all().item());
    if (!finite) {
      this.scale /= 2;
      this.#goodSteps = 0;
      this.#skipped = true;
      learn.opt.zeroGrad();
      throw new CancelStepException('gradients overflowed in float16: step skipped, loss scale halved');
    }
  }

  afterStep(): void {
    if (!this.config.lossScale || this.#skipped) return;
    if (++this.#goodSteps >= this.growthInterval) {
      this.scale *= 2;
      this.#goodSteps = 0;
    }
  }
}

/**
 * Sets the learner's precision (`toFp16`, `toFp32`): the MixedPrecision callback and channels-last
 * weights of the previous setting go, and those of `cfg` (null: float32) come.
 */
export function setPrecision(learn: Learner, cfg: MixedPrecisionConfig | null): void {
  for (const cb of learn.cbsNamed('MixedPrecision')) learn.removeCb(cb);
  if (learn.mixedPrecision?.channelsLast) learn.model.to({ memoryFormat: 'contiguous' });
  learn.mixedPrecision = cfg;
  if (cfg === null) return;
  if (cfg.channelsLast) learn.model.to({ memoryFormat: 'channelsLast' });
  learn.addCb(new MixedPrecision(cfg));
}
