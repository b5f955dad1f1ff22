/**
 * `npm run bench -- train-step`: images per second while training resnet18, resnet34 and
 * convnext_tiny at 224 px, batch 32, in fp32 and in bf16 autocast with channels-last, owlet against
 * PyTorch with torchvision (bench/python/train_step.py) in the same run, both on all cores.
 * Each configuration runs in --rounds=R rounds (default 2), owlet and PyTorch taking turns, so that a
 * slow spell of the machine falls on both; the figure is the median step over all rounds.
 * Options: --steps=N (timed steps a round, default 3), --rounds=R, --bs=N, --size=N, --models=a,b.
 * PyTorch 1.13's CPU autocast fails on ConvNeXt: that row reports owlet alone. bf16 rows run only where
 * the CPU has bf16 instructions (the machine profile; `--bf16` forces them).
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { autocast, createModel, manualSeed, noGrad, randint, randn, setNumThreads, type Tensor } from '../src/index.js';
import { functional as F } from '../src/nn/index.js';
import { bf16Skipped, opt, python, pythonScript } from './lib/common.js';

const steps = Number(opt('steps', '3'));
const rounds = Number(opt('rounds', '2'));
const bs = Number(opt('bs', '32'));
const size = Number(opt('size', '224'));
const models = opt('models', 'resnet18,resnet34,convnext_tiny').split(',');
const threads = cpus().length;
type Precision = 'fp32' | 'bf16';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function owletTimes(arch: string, precision: Precision): Promise<number[]> {
  setNumThreads(threads);
  manualSeed(0);
  const model = await createModel(arch, { numClasses: 1000 });
  model.train();
  let x: Tensor = randn([bs, 3, size, size]);
  const y = randint(0, 1000, [bs]);
  if (precision === 'bf16') {
    model.to({ memoryFormat: 'channelsLast' });
    x = x.contiguous('channelsLast');
  }
  const params = model.parameters();
  const step = () => {
    model.zeroGrad(true);
    const loss = precision === 'bf16'
      ? autocast('cpu', () => F.crossEntropy(model.call(x), y))
      : F.crossEntropy(model.call(x), y);
    loss.backward();
    noGrad(() => {
      for (const p of params) if (p.grad) p.add_(p.grad, -0.01);
    });
  };
  step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    times.push((performance.now() - t0) / 1000);
  }
  return times;
}

function torchTimes(arch: string, precision: Precision): { times?: number[]; error?: string } {
  const r = spawnSync(python, [pythonScript('train_step.py'), arch, precision, String(steps), String(bs), String(size), String(threads)], { encoding: 'utf8' });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { times?: number[]; error?: string };
}

const rows: string[] = [];
const result: string[] = [];
console.log(`train step, batch ${bs}, ${size} px, ${threads} threads, median of ${rounds} rounds × ${steps} steps, owlet and PyTorch taking turns`);
console.log('model           precision   owlet img/s  PyTorch img/s   ratio');
for (const arch of models) {
  for (const precision of ['fp32', 'bf16'] as const) {
    const skip = precision === 'bf16' ? bf16Skipped() : null;
    if (skip !== null) {
      const line = `${arch.padEnd(15)} ${precision.padEnd(9)} ${skip}`;
      console.log(line);
      rows.push(line);
      result.push(`${arch}_${precision}=n/a`);
      continue;
    }
    const ours: number[] = [];
    const torch: number[] = [];
    let error: string | undefined;
    for (let r = 0; r < rounds; r++) {
      ours.push(...await owletTimes(arch, precision));
      if (error) continue;
      const t = torchTimes(arch, precision);
      if (t.times) torch.push(...t.times);
      else error = t.error ?? 'failed';
    }
    const mine = bs / median(ours);
    const theirs = { ips: torch.length ? bs / median(torch) : undefined, error };
    const key = `${arch}_${precision}`;
    const ratio = theirs.ips ? mine / theirs.ips : NaN;
    const line = `${arch.padEnd(15)} ${precision.padEnd(9)} ${mine.toFixed(1).padStart(12)} ${(theirs.ips?.toFixed(1) ?? 'fails').padStart(14)} ${theirs.ips ? ratio.toFixed(3).padStart(7) : '    n/a'}`;
    console.log(line + (theirs.error ? `   (PyTorch: ${theirs.error.slice(0, 90)})` : ''));
    rows.push(line);
    result.push(`${key}_ips=${mine.toFixed(2)}`);
    if (theirs.ips) result.push(`${key}_torch_ips=${theirs.ips.toFixed(2)}`, `${key}_ratio=${ratio.toFixed(3)}`);
    else result.push(`${key}_torch=fails`);
  }
}
console.log(`RESULT train-step ${result.join(' ')}`);
