/**
 * `npm run bench -- inference`: eval-mode images per second of the zoo's newer families (MobileNetV3,
 * EfficientNet, RegNet, ViT) against PyTorch's torchvision twins (bench/python/inference.py) with the
 * same weights (PyTorch writes its model's weights under timm's names; owlet loads them) and the same
 * threads, in fp32 and — where the CPU has bf16 instructions — bf16 autocast with channels-last.
 * Each configuration runs in --rounds=R rounds (default 2), owlet and PyTorch taking turns; the figure
 * is the median batch over all rounds. owlet releases each batch's tensors at its end (`tidy`). Options: --steps=N (timed batches a round, default 5), --rounds=R,
 * --bs=N (default 16), --models=a,b (owlet names with a twin in TWINS below), --threads=N (default: all cores).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { autocast, createModel, loadSafetensorsFile, manualSeed, noGrad, randn, setNumThreads, tidy, type Tensor, type ZooModel } from '../src/index.js';
import { bf16Skipped, numOpt, opt, python, pythonScript } from './lib/common.js';

const steps = numOpt('steps', 5);
const rounds = numOpt('rounds', 2);
const bs = numOpt('bs', 16);
const threads = numOpt('threads', cpus().length);
/** owlet's name → the torchvision model of the same architecture (test/golden/tv_to_timm.py). */
const TWINS: Record<string, string> = {
  mobilenetv3_large_100: 'mobilenet_v3_large', mobilenetv3_small_100: 'mobilenet_v3_small', efficientnet_b0: 'efficientnet_b0',
  regnetx_004_tv: 'regnet_x_400mf', regnety_004: 'regnet_y_400mf', regnety_016: 'regnet_y_1_6gf', vit_tiny_patch16_224: 'vit_ti_16',
  vit_small_patch16_224: 'vit_s_16', resnet34: 'resnet34', resnet50: 'resnet50', convnext_tiny: 'convnext_tiny',
};
const models = opt('models', 'mobilenetv3_large_100,efficientnet_b0,regnety_004,vit_tiny_patch16_224').split(',');
type Precision = 'fp32' | 'bf16';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const dir = mkdtempSync(join(tmpdir(), 'owlet-bench-inference-'));

function torchTimes(twin: string, precision: Precision, weights: string): { times?: number[]; error?: string } {
  const r = spawnSync(python, [pythonScript('inference.py'), twin, precision, String(steps), String(bs), '224', String(threads), weights], { encoding: 'utf8' });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { times?: number[]; error?: string };
}

async function owletTimes(model: ZooModel, precision: Precision): Promise<number[]> {
  setNumThreads(threads);
  let x: Tensor = randn([bs, 3, 224, 224]);
  if (precision === 'bf16') x = x.contiguous('channelsLast');
  // The hot-loop idiom (README, Memory): each batch's tensors released when it ends, as PyTorch's
  // reference counting releases them, so that the next batch reuses their memory.
  const run = () => tidy(() => noGrad(() => (precision === 'bf16' ? autocast('cpu', () => model.call(x)) : model.call(x)))).dispose();
  run();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    run();
    times.push((performance.now() - t0) / 1000);
  }
  return times;
}

const result: string[] = [];
console.log(`inference (eval, no grad), batch ${bs}, 224 px, ${threads} threads, same weights, median of ${rounds} rounds × ${steps} batches`);
console.log('model                  precision   owlet img/s  PyTorch img/s   ratio');
try {
  for (const arch of models) {
    const twin = TWINS[arch];
    if (twin === undefined) throw new Error(`no torchvision twin for '${arch}': one of ${Object.keys(TWINS).join(', ')}`);
    for (const precision of ['fp32', 'bf16'] as const) {
      const skip = precision === 'bf16' ? bf16Skipped() : null;
      if (skip !== null) {
        console.log(`${arch.padEnd(22)} ${precision.padEnd(9)} ${skip}`);
        result.push(`${arch}_${precision}=n/a`);
        continue;
      }
      const weights = join(dir, `${arch}.safetensors`);
      const ours: number[] = [];
      const torch: number[] = [];
      let error: string | undefined;
      let model: ZooModel | undefined;
      for (let r = 0; r < rounds; r++) {
        const t = torchTimes(twin, precision, r === 0 ? weights : '-');
        if (t.times) torch.push(...t.times);
        else error = t.error ?? 'failed';
        if (model === undefined) {
          manualSeed(0);
          model = await createModel(arch);
          if (error === undefined) model.loadStateDict(loadSafetensorsFile(weights));
          model.eval();
          if (precision === 'bf16') model.to({ memoryFormat: 'channelsLast' });
        }
        ours.push(...await owletTimes(model, precision));
      }
      const mine = bs / median(ours);
      const theirs = torch.length ? bs / median(torch) : undefined;
      const ratio = theirs ? mine / theirs : NaN;
      console.log(`${arch.padEnd(22)} ${precision.padEnd(9)} ${mine.toFixed(1).padStart(12)} ${(theirs?.toFixed(1) ?? 'fails').padStart(14)} ${theirs ? ratio.toFixed(3).padStart(7) : '    n/a'}${error ? `   (PyTorch: ${error.slice(0, 90)})` : ''}`);
      result.push(`${arch}_${precision}_ips=${mine.toFixed(2)}`);
      if (theirs) result.push(`${arch}_${precision}_torch_ips=${theirs.toFixed(2)}`, `${arch}_${precision}_ratio=${ratio.toFixed(3)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`RESULT inference ${result.join(' ')}`);
