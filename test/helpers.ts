/** Shared by the tests: paths, and running owlet's CLI or Python's reference as child processes. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = process.cwd();
export const sharedDir = join(repoRoot, '..', 'shared');
export const owletBin = join(repoRoot, 'bin', 'owlet.js');

export function runNode(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(process.execPath, args, {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, ...options.env },
    cwd: repoRoot,
  });
}

/** Debian's Python with torch, when this machine has it (tests fall back to checked-in goldens). */
export function pythonWithTorch(): string | null {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return null;
  const r = spawnSync(py, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? py : null;
}

/** An `owlet` server process started by startOwlet. */
export interface OwletProcess {
  child: ChildProcess;
  /** The address it printed (the pattern's first group); rejects with its output if it exits first or prints none in time. */
  url: Promise<string>;
  /** Its stdout so far. */
  stdout(): string;
}

/** Spawns `owlet <args>` in the repo and waits, at most `timeoutS` seconds, for the address it prints. */
export function startOwlet(args: string[], pattern: RegExp, timeoutS: number): OwletProcess {
  const child = spawn(process.execPath, [owletBin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`owlet ${args[0]} printed no address in ${timeoutS} s:\n${out}\n${err}`)), timeoutS * 1000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`owlet ${args[0]} exited (${code}):\n${out}\n${err}`));
    });
  });
  return { child, url, stdout: () => out };
}
