/**
 * `npm run bench -- ops`: time per call of small ops on 3-element float32 tensors, owlet against
 * PyTorch (bench/python/ops.py, run in a child process), both on 1 thread. The two sides take turns
 * for `--rounds` rounds (default 3), so that load from elsewhere hits both alike; in each round each
 * op is warmed up, then a loop of `--calls` calls (default 200000) is timed `--reps` times (default 5).
 * The figure is the median over all reps. owlet disposes each result at once, as PyTorch frees an
 * unused result at once.
 */
import { spawnSync } from 'node:child_process';
import { manualSeed, randn, setNumThreads, getNumThreads, libtorchVersion } from '../src/index.js';
import { numOpt, python, pythonScript } from './lib/common.js';

const calls = numOpt('calls', 200_000);
const reps = numOpt('reps', 5);
const rounds = numOpt('rounds', 3);
const threads = 1; // tiny ops: more threads only add overhead
const OPS = ['mul', 'add', 'sub_'] as const;
type Op = (typeof OPS)[number];

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** ns per call of each of `reps` timed loops of `calls` calls, after a warm-up. */
function time(loop: (n: number) => void): number[] {
  loop(Math.ceil(calls / 10));
  const per: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    loop(calls);
    per.push(Number(process.hrtime.bigint() - t0) / calls);
  }
  return per;
}

setNumThreads(threads);
manualSeed(0);
const a = randn([3]);
const b = randn([3]);
const loops: Record<Op, (n: number) => void> = {
  mul: (n) => { for (let i = 0; i < n; i++) a.mul(b).dispose(); },
  add: (n) => { for (let i = 0; i < n; i++) a.add(b).dispose(); },
  sub_: (n) => { for (let i = 0; i < n; i++) a.sub_(b); },
};

type Torch = { version: string; threads: number; loop_ns: number } & Record<Op, number[]>;
const owlet: Record<Op, number[]> = { mul: [], add: [], sub_: [] };
const torchTimes: Record<Op, number[]> = { mul: [], add: [], sub_: [] };
let torch: Torch | null = null;
let skipped = false;
for (let round = 0; round < rounds; round++) {
  for (const op of OPS) owlet[op].push(...time(loops[op]));
  if (skipped) continue;
  const args = [pythonScript('ops.py'), String(threads), String(calls), String(reps)];
  const py = spawnSync(python, args, { encoding: 'utf8' });
  if (py.status !== 0) {
    const why = py.error ? `${python}: ${py.error.message}` : py.stderr.trim() || `exit code ${py.status}`;
    console.log(`PyTorch side skipped: ${why}`);
    skipped = true;
    torch = null;
    continue;
  }
  torch = JSON.parse(py.stdout.trim().split('\n').pop()!) as Torch;
  for (const op of OPS) torchTimes[op].push(...torch[op]);
}
// For information: mul with its results left to the garbage collector.
const mulGc = median(time((n) => { for (let i = 0; i < n; i++) a.mul(b); }));

console.log(`ops on 3-element float32 tensors; ${rounds} rounds x ${reps} reps x ${calls} calls, median; ` +
  `threads: owlet ${getNumThreads()}` + (torch ? `, PyTorch ${torch.threads}` : ''));
console.log(`owlet on libtorch ${libtorchVersion()}` + (torch ? `; PyTorch ${torch.version} (${python})` : ''));
console.log('');
console.log(`${'op'.padEnd(10)}${'owlet ns/call'.padStart(15)}${'PyTorch ns/call'.padStart(17)}${'ratio'.padStart(8)}`);
const ns = {} as Record<Op, number>;
const ratio = {} as Record<Op, number>;
for (const op of OPS) {
  ns[op] = median(owlet[op]);
  const t = torch ? median(torchTimes[op]) : NaN;
  ratio[op] = ns[op] / t;
  console.log(`${op.padEnd(10)}${ns[op].toFixed(0).padStart(15)}` +
    (torch ? `${t.toFixed(0).padStart(17)}${ratio[op].toFixed(3).padStart(8)}` : 'skipped'.padStart(17)));
}
console.log('');
console.log(`mul with results left to the GC instead of dispose(): ${mulGc.toFixed(0)} ns/call`);
if (torch) console.log(`(PyTorch figures include Python's own loop, ${torch.loop_ns.toFixed(0)} ns/iteration)`);

if (torch) {
  const geo = Math.cbrt(ratio.mul * ratio.add * ratio.sub_);
  console.log(`RESULT ops mul_ratio=${ratio.mul.toFixed(3)} add_ratio=${ratio.add.toFixed(3)} ` +
    `sub__ratio=${ratio.sub_.toFixed(3)} ratio=${geo.toFixed(3)}`);
} else {
  console.log(`RESULT ops mul_ns=${ns.mul.toFixed(0)} add_ns=${ns.add.toFixed(0)} sub__ns=${ns.sub_.toFixed(0)} torch=skipped`);
}
