/**
 * What the benchmarks share: the interpreter and scripts of their PyTorch side, and their
 * `--name=value` options. (bench/lib holds no benchmark: `npm run bench` lists bench/*.ts only.)
 */
import { dirname, join } from 'node:path';
import { machineProfile } from '../../src/index.js';
import { fileURLToPath } from 'node:url';

/** Debian's Python, the one with torch and torchvision (OWLET_BENCH_PYTHON overrides it). */
export const python = process.env.OWLET_BENCH_PYTHON ?? '/usr/bin/python3';

// compiled to dist/bench/lib/common.js: three folders up is the repository
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The path of a PyTorch-side script, bench/python/<name>. */
export const pythonScript = (name: string): string => join(root, 'bench', 'python', name);

/** The value of `--name=value` among the arguments, or `dflt`. */
export function opt(name: string, dflt: string): string {
  return process.argv.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
}

/** A number option, `--name=N`, or `dflt`. */
export function numOpt(name: string, dflt: number): number {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
}

/**
 * Why bf16 rows are not run on this machine, or null where they are: a CPU without bf16 instructions
 * (or capped below them with DNNL_MAX_CPU_ISA) runs bf16 many times slower than float32, so a bf16 row
 * there measures nothing useful and takes minutes. `--bf16` runs them anyway.
 */
export function bf16Skipped(): string | null {
  if (process.argv.includes('--bf16')) return null;
  const { cpu } = machineProfile();
  return cpu.bf16.fast ? null : `n/a: ${cpu.bf16.reason}`;
}
