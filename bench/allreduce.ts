/**
 * `npm run bench -- allreduce`: the time to all-reduce resnet18's gradients (11.7 M float32, 44.7 MB)
 * over 2 ranks on loopback, in DDP's buckets (1 MiB, then --bucket-mb, default 25), owlet's reducer
 * (distributed/reducer.ts, native/distributed.cc) against PyTorch's own Gloo with the same buckets
 * (bench/python/allreduce.py): copy the gradients in, all-reduce every bucket, wait, average, copy
 * back — what a data-parallel step adds after backward when nothing overlaps. One libtorch thread a
 * rank. The two take turns over --rounds=R (default 2) of --steps=N steps (default 20); the figure is
 * the median step. Options: --bucket-mb=M, --steps=N, --rounds=R.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createModel, manualSeed, randnLike, setNumThreads } from '../src/index.js';
import { barrier, destroyProcessGroup, freePort, getRank, GradReducer, initProcessGroup } from '../src/distributed/index.js';
import { numOpt, python, pythonScript } from './lib/common.js';

const steps = numOpt('steps', 20);
const rounds = numOpt('rounds', 2);
const bucketMb = numOpt('bucket-mb', 25);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** One owlet rank: prints rank 0's step times as JSON. */
async function owletRank(): Promise<void> {
  setNumThreads(1);
  initProcessGroup();
  manualSeed(0);
  const model = await createModel('resnet18', { numClasses: 1000 });
  const params = model.parameters();
  for (const p of params) p.grad = randnLike(p);
  const reducer = new GradReducer(params, { bucketCapMb: bucketMb });
  const step = () => {
    reducer.prepare();
    reducer.finalize();
  };
  step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    barrier();
    const t0 = performance.now();
    step();
    times.push((performance.now() - t0) / 1000);
  }
  if (getRank() === 0) process.stdout.write(`${JSON.stringify({ times, buckets: reducer.stats.bucketBytes })}\n`);
  reducer.destroy();
  destroyProcessGroup();
}

/** Two ranks of `cmd args`; rank 0's JSON. */
async function pair(cmd: string, args: string[]): Promise<{ times: number[]; buckets: number[] }> {
  const port = await freePort();
  const runs = [0, 1].map((rank) => new Promise<string>((resolve, reject) => {
    const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: '2', LOCAL_RANK: String(rank), LOCAL_WORLD_SIZE: '2', OMP_NUM_THREADS: '1' };
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} rank ${rank} exited with ${code}`))));
  }));
  const outs = await Promise.all(runs);
  return JSON.parse(outs[0]!.trim().split('\n').pop()!) as { times: number[]; buckets: number[] };
}

async function main(): Promise<void> {
  if (process.env['RANK'] !== undefined) return owletRank();
  const self = fileURLToPath(import.meta.url);
  const owlet: number[] = [];
  const torch: number[] = [];
  let buckets: { owlet: number[]; torch: number[] } | null = null;
  for (let r = 0; r < rounds; r++) {
    const o = await pair(process.execPath, [self, `--steps=${steps}`, `--bucket-mb=${bucketMb}`]);
    const t = await pair(python, [pythonScript('allreduce.py'), String(steps), String(bucketMb)]);
    owlet.push(...o.times);
    torch.push(...t.times);
    buckets = { owlet: o.buckets, torch: t.buckets };
  }
  const mb = (xs: number[]) => xs.map((b) => (b / 2 ** 20).toFixed(1)).join(' + ');
  console.log(`resnet18's gradients all-reduced over 2 ranks on loopback (Gloo), buckets of ${bucketMb} MB (first 1 MiB), 1 thread a rank, median of ${owlet.length} steps`);
  console.log(`  owlet buckets (MiB):   ${mb(buckets!.owlet)}`);
  console.log(`  PyTorch buckets (MiB): ${mb(buckets!.torch)}`);
  const mo = median(owlet) * 1000;
  const mt = median(torch) * 1000;
  console.log(`  owlet    ${mo.toFixed(1)} ms a step`);
  console.log(`  PyTorch  ${mt.toFixed(1)} ms a step`);
  console.log(`  owlet / PyTorch: ${(mo / mt).toFixed(2)}`);
}

await main();
