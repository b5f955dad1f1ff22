/**
 * `npm run bench -- matmul`: n x n matmul (default n = 2048) in GFLOP/s (2*n^3 flops each), float32
 * and bfloat16, owlet against PyTorch (bench/python/matmul.py, run in a child process), both on the
 * same number of threads (default: all cores). One warm-up, then the median of `--reps` (default 10).
 * bf16 runs only where the CPU has bf16 instructions (the machine profile; `--bf16` forces it).
 * Options: --n=2048 --reps=10 --threads=<cores> --bf16.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { manualSeed, randn, setNumThreads, getNumThreads, libtorchVersion, type DType } from '../src/index.js';
import { bf16Skipped, numOpt, python, pythonScript } from './lib/common.js';

const n = numOpt('n', 2048);
const reps = numOpt('reps', 10);
const threads = numOpt('threads', availableParallelism());

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function gflops(dtype: DType): number {
  const a = randn([n, n], { dtype });
  const b = randn([n, n], { dtype });
  a.matmul(b).dispose(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    a.matmul(b).dispose();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  a.dispose();
  b.dispose();
  return (2 * n ** 3) / median(times) / 1e9;
}

/** gflops(), or NaN with the error printed when owlet's matmul throws. */
function tryGflops(dtype: DType): number {
  try {
    return gflops(dtype);
  } catch (e) {
    console.log(`owlet ${dtype} matmul failed: ${(e as Error).message.split('\n')[0]}`);
    return NaN;
  }
}

setNumThreads(threads);
manualSeed(0);
const skipBf16 = bf16Skipped();
const owlet = { fp32: tryGflops('float32'), bf16: skipBf16 === null ? tryGflops('bfloat16') : NaN };

const py = spawnSync(python, [pythonScript('matmul.py'), String(n), String(threads), String(reps), skipBf16 === null ? 'bf16' : 'fp32-only'], {
  encoding: 'utf8',
});
let torch: { version: string; threads: number; fp32: number; bf16: number } | null = null;
if (py.status === 0) torch = JSON.parse(py.stdout.trim().split('\n').pop()!);
else {
  const why = py.error ? `${python}: ${py.error.message}` : py.stderr.trim() || `exit code ${py.status}`;
  console.log(`PyTorch side skipped: ${why}`);
}

console.log(`${n}x${n} matmul, median of ${reps} after a warm-up; threads: owlet ${getNumThreads()}` +
  (torch ? `, PyTorch ${torch.threads}` : ''));
console.log(`owlet on libtorch ${libtorchVersion()}` + (torch ? `; PyTorch ${torch.version} (${python})` : ''));
console.log('');
console.log(`${'dtype'.padEnd(10)}${'owlet GFLOP/s'.padStart(15)}${'PyTorch GFLOP/s'.padStart(17)}${'ratio'.padStart(8)}`);
for (const k of ['fp32', 'bf16'] as const) {
  if (k === 'bf16' && skipBf16 !== null) {
    console.log(`${k.padEnd(10)}${skipBf16}`);
    continue;
  }
  console.log(`${k.padEnd(10)}${owlet[k].toFixed(1).padStart(15)}` +
    (torch ? `${torch[k].toFixed(1).padStart(17)}${(owlet[k] / torch[k]).toFixed(3).padStart(8)}` : `${'skipped'.padStart(17)}`));
}
const f = (x: number): string => x.toFixed(2);
if (skipBf16 !== null) {
  console.log(`RESULT matmul fp32_gflops=${f(owlet.fp32)}` + (torch ? ` fp32_torch_gflops=${f(torch.fp32)} fp32_ratio=${(owlet.fp32 / torch.fp32).toFixed(3)}` : ' torch=skipped') + ' bf16=n/a');
} else if (torch) {
  console.log(`RESULT matmul fp32_gflops=${f(owlet.fp32)} fp32_torch_gflops=${f(torch.fp32)} fp32_ratio=${(owlet.fp32 / torch.fp32).toFixed(3)} ` +
    `bf16_gflops=${f(owlet.bf16)} bf16_torch_gflops=${f(torch.bf16)} bf16_ratio=${(owlet.bf16 / torch.bf16).toFixed(3)}`);
} else {
  console.log(`RESULT matmul fp32_gflops=${f(owlet.fp32)} bf16_gflops=${f(owlet.bf16)} torch=skipped`);
}
