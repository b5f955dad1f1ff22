/**
 * The machine profile: what this CPU can do (its instruction sets), its cores and memory, and a GPU
 * where libtorch has one. Everything that depends on the machine asks here — `auto` precision, the
 * thread count, the benchmarks' bf16 rows, the main job's plan — so one answer holds everywhere.
 *
 * It honours the caps that oneDNN and OpenBLAS honour themselves, so that a developer on an AVX-512
 * machine reproduces an AVX2-only machine's behaviour:
 * - `DNNL_MAX_CPU_ISA=AVX2` (oneDNN's own cap on the kernels it may use): instruction sets above the
 *   cap are reported as absent (and oneDNN, reading the same variable, does not use them);
 * - `OPENBLAS_CORETYPE=Haswell` (OpenBLAS's kernel choice): reported as it is;
 * - `OWLET_PRECISION=fp32|bf16`: what `auto` precision means (the tests run with fp32);
 * - `OWLET_CPU_BF16=0|1`: says whether the CPU has bf16 instructions, whatever /proc/cpuinfo says.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { native } from './native.js';

/** The instruction sets that decide owlet's choices, in the order oneDNN ranks them. */
export const ISA_LEVELS = ['sse41', 'avx', 'avx2', 'avx512', 'avx512_bf16', 'amx'] as const;
export type IsaLevel = (typeof ISA_LEVELS)[number];

/** oneDNN's `DNNL_MAX_CPU_ISA` values, mapped to the highest of owlet's levels they allow. */
const DNNL_CAPS: Record<string, IsaLevel> = {
  SSE41: 'sse41',
  AVX: 'avx',
  AVX2: 'avx2',
  AVX2_VNNI: 'avx2',
  AVX2_VNNI_2: 'avx2',
  AVX512_CORE: 'avx512',
  AVX512_CORE_VNNI: 'avx512',
  AVX512_CORE_BF16: 'avx512_bf16',
  AVX512_CORE_FP16: 'avx512_bf16',
  AVX10_1_512: 'avx512_bf16',
  AVX512_CORE_AMX: 'amx',
  AVX512_CORE_AMX_FP16: 'amx',
  AVX10_1_512_AMX: 'amx',
  AVX10_1_512_AMX_FP16: 'amx',
  ALL: 'amx',
};

export interface CpuProfile {
  model: string;
  /** Logical CPUs this process may use. */
  logicalCpus: number;
  /** Physical cores, where /proc/cpuinfo tells (else the logical count). */
  physicalCores: number;
  /** The instruction sets found, after the cap: avx2, fma, avx512f, avx512_bf16, amx_bf16, … */
  flags: string[];
  /** The highest level usable, after the cap. */
  isa: IsaLevel;
  /** The level the CPU has, before any cap. */
  isaUncapped: IsaLevel;
  /** `DNNL_MAX_CPU_ISA`, when set. */
  cap: string | null;
  /** `OPENBLAS_CORETYPE`, when set. */
  openblasCoretype: string | null;
  /** Whether bf16 matrix products run in hardware (avx512_bf16 or amx_bf16), and why. */
  bf16: { fast: boolean; reason: string; short: string };
}

export interface MachineProfile {
  cpu: CpuProfile;
  memoryBytes: number;
  libtorch: { version: string; threads: number; cuda: boolean };
  /** The precision `auto` resolves to on the CPU: `OWLET_PRECISION` where set, else bf16 where fast. */
  autoPrecision: 'fp32' | 'bf16';
  /** libtorch threads owlet's training uses by default: every logical CPU. */
  defaultThreads: number;
}

const WATCHED = ['sse4_1', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx512_bf16', 'amx_tile', 'amx_bf16'];

function levelOf(flags: ReadonlySet<string>): IsaLevel {
  if (flags.has('amx_bf16') && flags.has('amx_tile')) return 'amx';
  if (flags.has('avx512_bf16')) return 'avx512_bf16';
  if (flags.has('avx512f') && flags.has('avx512bw')) return 'avx512';
  if (flags.has('avx2') && flags.has('fma')) return 'avx2';
  if (flags.has('avx')) return 'avx';
  return 'sse41';
}

/** The flags a level allows: what a cap at `level` takes away. */
function allowedBy(level: IsaLevel, flag: string): boolean {
  const rank = ISA_LEVELS.indexOf(level);
  if (flag.startsWith('amx')) return rank >= ISA_LEVELS.indexOf('amx');
  if (flag === 'avx512_bf16') return rank >= ISA_LEVELS.indexOf('avx512_bf16');
  if (flag.startsWith('avx512')) return rank >= ISA_LEVELS.indexOf('avx512');
  if (flag === 'avx2' || flag === 'fma') return rank >= ISA_LEVELS.indexOf('avx2');
  if (flag === 'avx') return rank >= ISA_LEVELS.indexOf('avx');
  return true;
}

/** Reads the CPU part of the profile from /proc/cpuinfo text and the environment (exported for the tests). */
export function cpuProfileFrom(cpuinfo: string, env: NodeJS.ProcessEnv, logicalCpus: number): CpuProfile {
  const lines = cpuinfo.split('\n');
  const field = (name: string): string | undefined => lines.find((l) => l.startsWith(name))?.split(':').slice(1).join(':').trim();
  const all = new Set((field('flags') ?? '').split(/\s+/).filter((f) => f !== ''));
  const isaUncapped = levelOf(all);
  const capName = env['DNNL_MAX_CPU_ISA']?.trim().toUpperCase() || null;
  const capLevel = capName !== null ? DNNL_CAPS[capName] : undefined;
  const flags = WATCHED.filter((f) => all.has(f) && (capLevel === undefined || allowedBy(capLevel, f)));
  const isa = levelOf(new Set(flags));
  // One block a logical CPU; a physical core is a distinct (physical id, core id) pair.
  const coreIds = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const get = (name: string) => block.split('\n').find((l) => l.startsWith(name))?.split(':')[1]?.trim();
    const core = get('core id');
    if (core !== undefined) coreIds.add(`${get('physical id') ?? '0'}/${core}`);
  }
  const physicalCores = Math.max(1, Math.min(logicalCpus, coreIds.size > 0 ? coreIds.size : logicalCpus));
  const bf16Flags = flags.filter((f) => f === 'avx512_bf16' || f === 'amx_bf16');
  const override = env['OWLET_CPU_BF16'];
  let bf16: CpuProfile['bf16'];
  if (override === '0' || override === '1') bf16 = { fast: override === '1', reason: `OWLET_CPU_BF16=${override}`, short: `OWLET_CPU_BF16=${override}` };
  else if (bf16Flags.length > 0) bf16 = { fast: true, reason: `the CPU has ${bf16Flags.join(' and ')}`, short: bf16Flags.join(' and ') };
  else if (capLevel !== undefined && (all.has('avx512_bf16') || all.has('amx_bf16')))
    bf16 = { fast: false, reason: `DNNL_MAX_CPU_ISA=${capName} hides the CPU's bf16 instructions`, short: `bf16 capped by DNNL_MAX_CPU_ISA=${capName}` };
  else bf16 = { fast: false, reason: 'no bf16 instructions (neither avx512_bf16 nor amx_bf16): bf16 would be many times slower than float32', short: 'no bf16 instructions' };
  return {
    model: field('model name') ?? 'unknown CPU',
    logicalCpus,
    physicalCores,
    flags,
    isa,
    isaUncapped,
    cap: capName,
    openblasCoretype: env['OPENBLAS_CORETYPE'] ?? null,
    bf16,
  };
}

let cached: MachineProfile | null = null;

/** This machine's profile (read once; `refresh` reads again, as the tests do after changing the environment). */
export function machineProfile(options: { refresh?: boolean } = {}): MachineProfile {
  if (cached !== null && options.refresh !== true) return cached;
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: the instruction sets are unknown, and reported as the baseline
  }
  const logical = availableParallelism();
  const cpu = cpuProfileFrom(cpuinfo, process.env, logical);
  if (cpu.model === 'unknown CPU') cpu.model = cpus()[0]?.model ?? cpu.model;
  const forced = process.env['OWLET_PRECISION']?.trim().toLowerCase();
  const autoPrecision = forced === 'fp32' || forced === 'bf16' ? forced : cpu.bf16.fast ? 'bf16' : 'fp32';
  const cuda = native.cudaAvailable();
  cached = {
    cpu,
    memoryBytes: totalmem(),
    libtorch: { version: native.version(), threads: native.getNumThreads(), cuda },
    autoPrecision,
    defaultThreads: logical,
  };
  return cached;
}

/** The profile as `owlet info` prints it, a line a fact. */
export function describeMachine(p: MachineProfile = machineProfile()): string[] {
  const c = p.cpu;
  const gib = (p.memoryBytes / 2 ** 30).toFixed(1);
  const capped = c.cap !== null ? ` (DNNL_MAX_CPU_ISA=${c.cap}; uncapped: ${c.isaUncapped})` : '';
  return [
    `cpu        ${c.model}: ${c.logicalCpus} logical CPU${c.logicalCpus > 1 ? 's' : ''}, ${c.physicalCores} physical core${c.physicalCores > 1 ? 's' : ''}`,
    `isa        ${c.isa}${capped}: ${c.flags.join(' ') || 'none of the watched sets'}`,
    `bf16       ${c.bf16.fast ? 'fast' : 'slow'}: ${c.bf16.reason}`,
    `precision  auto = ${p.autoPrecision}${process.env['OWLET_PRECISION'] ? ` (OWLET_PRECISION=${process.env['OWLET_PRECISION']})` : ''}`,
    `openblas   ${c.openblasCoretype !== null ? `OPENBLAS_CORETYPE=${c.openblasCoretype}` : 'kernel chosen by OpenBLAS'}`,
    `memory     ${gib} GiB`,
    `libtorch   ${p.libtorch.version}, ${p.libtorch.threads} thread${p.libtorch.threads > 1 ? 's' : ''} now (training uses ${p.defaultThreads})`,
    `cuda       ${p.libtorch.cuda ? 'available' : 'not available'}`,
  ];
}
