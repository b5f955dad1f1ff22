/** Shared by the tests: paths, and running owlet's CLI or Python's reference as child processes. */
import { spawnSync } from 'node:child_process';
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
