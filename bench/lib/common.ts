/**
 * What the benchmarks share: the interpreter and scripts of their PyTorch side, and their
 * `--name=value` options. (bench/lib holds no benchmark: `npm run bench` lists bench/*.ts only.)
 */
import { dirname, join } from 'node:path';
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
