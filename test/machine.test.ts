/** The machine profile: instruction sets from /proc/cpuinfo, capped as oneDNN's DNNL_MAX_CPU_ISA caps them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { cpuProfileFrom, describeMachine, machineProfile } from '../src/index.js';
import { owletBin, runNode } from './helpers.js';

const cpuinfo = (flags: string, cores = 2) =>
  Array.from({ length: cores }, (_, i) => `processor\t: ${i}\nmodel name\t: Test CPU\nphysical id\t: 0\ncore id\t\t: ${i}\nflags\t\t: fpu sse4_1 ${flags}\n`).join('\n');

const SPR = 'avx avx2 fma avx512f avx512bw avx512_vnni avx512_bf16 amx_tile amx_bf16';
const EPYC_BF16 = 'avx avx2 fma avx512f avx512bw avx512_vnni avx512_bf16';
const EPYC_AVX2 = 'avx avx2 fma';

test('instruction sets: AMX, AVX512-BF16 and AVX2-only CPUs', () => {
  const spr = cpuProfileFrom(cpuinfo(SPR), {}, 2);
  assert.equal(spr.isa, 'amx');
  assert.equal(spr.bf16.fast, true);
  assert.match(spr.bf16.reason, /avx512_bf16 and amx_bf16/);
  const zen4 = cpuProfileFrom(cpuinfo(EPYC_BF16), {}, 2);
  assert.equal(zen4.isa, 'avx512_bf16');
  assert.equal(zen4.bf16.fast, true);
  const avx2 = cpuProfileFrom(cpuinfo(EPYC_AVX2), {}, 2);
  assert.equal(avx2.isa, 'avx2');
  assert.equal(avx2.bf16.fast, false);
  assert.equal(avx2.bf16.short, 'no bf16 instructions');
  assert.equal(avx2.model, 'Test CPU');
  assert.equal(avx2.physicalCores, 2);
});

test('DNNL_MAX_CPU_ISA caps the profile as it caps oneDNN: AVX2 on an AMX machine behaves as an AVX2-only one', () => {
  const capped = cpuProfileFrom(cpuinfo(SPR), { DNNL_MAX_CPU_ISA: 'AVX2', OPENBLAS_CORETYPE: 'Haswell' }, 2);
  assert.equal(capped.isa, 'avx2');
  assert.equal(capped.isaUncapped, 'amx');
  assert.deepEqual(capped.flags, ['sse4_1', 'avx', 'avx2', 'fma']);
  assert.equal(capped.bf16.fast, false);
  assert.match(capped.bf16.reason, /DNNL_MAX_CPU_ISA=AVX2 hides/);
  assert.equal(capped.openblasCoretype, 'Haswell');
  assert.equal(cpuProfileFrom(cpuinfo(SPR), { DNNL_MAX_CPU_ISA: 'avx512_core_bf16' }, 2).isa, 'avx512_bf16');
  assert.equal(cpuProfileFrom(cpuinfo(SPR), { DNNL_MAX_CPU_ISA: 'AVX512_CORE' }, 2).bf16.fast, false);
  // a cap above what the CPU has changes nothing
  assert.equal(cpuProfileFrom(cpuinfo(EPYC_AVX2), { DNNL_MAX_CPU_ISA: 'ALL' }, 2).isa, 'avx2');
  // OWLET_CPU_BF16 overrides both ways
  assert.equal(cpuProfileFrom(cpuinfo(EPYC_AVX2), { OWLET_CPU_BF16: '1' }, 2).bf16.fast, true);
  assert.equal(cpuProfileFrom(cpuinfo(SPR), { OWLET_CPU_BF16: '0' }, 2).bf16.fast, false);
});

test('this machine: the profile, and auto precision following it', () => {
  const p = machineProfile();
  assert.ok(p.cpu.logicalCpus >= 1 && p.memoryBytes > 0);
  assert.equal(p.autoPrecision, process.env['OWLET_PRECISION'] === 'fp32' || !p.cpu.bf16.fast ? 'fp32' : 'bf16');
  const lines = describeMachine(p);
  assert.match(lines[0]!, /^cpu {8}.+logical CPU/);
  assert.ok(lines.some((l) => /^bf16 {7}(fast|slow): /.test(l)));
});

test('owlet info prints the profile; with the AVX2 cap and OWLET_PRECISION=fp32 it says so', () => {
  const r = runNode([owletBin, 'info'], { env: { DNNL_MAX_CPU_ISA: 'AVX2', OWLET_PRECISION: 'fp32' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^isa {8}(avx2|avx|sse41)\b/m);
  assert.match(r.stdout, /^bf16 {7}slow: /m);
  assert.match(r.stdout, /^precision  auto = fp32 \(OWLET_PRECISION=fp32\)$/m);
  const j = runNode([owletBin, 'info', '--json'], { env: { DNNL_MAX_CPU_ISA: 'AVX2' } });
  assert.equal(j.status, 0, j.stderr);
  assert.equal((JSON.parse(j.stdout) as { cpu: { bf16: { fast: boolean } } }).cpu.bf16.fast, false);
});

test('setNumThreads caps OpenBLAS\'s own pool too, where libtorch\'s BLAS is OpenBLAS', async () => {
  const { blasNumThreads, getNumThreads, setNumThreads } = await import('../src/index.js');
  const before = getNumThreads();
  try {
    setNumThreads(1);
    assert.equal(getNumThreads(), 1);
    const blas = blasNumThreads();
    // Debian's libtorch links OpenBLAS (the pthreads build); another BLAS answers null.
    const openblasLoaded = /libopenblas/.test(readFileSync('/proc/self/maps', 'utf8'));
    assert.equal(blas !== null, openblasLoaded, `blasNumThreads() is ${blas}; OpenBLAS is ${openblasLoaded ? '' : 'not '}in this process`);
    if (blas !== null) assert.equal(blas, 1);
    setNumThreads(2);
    if (blas !== null) assert.equal(blasNumThreads(), 2);
  } finally {
    setNumThreads(before);
  }
});
