/**
 * owlet's own package: its folder, its version and its cache folder, found in one place (the
 * native addon, checkpoints, exports, the CLI and the hub's user agent all ask here).
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;
let version: string | null = null;

/** owlet's package folder (where package.json and binding.gyp are), found from this file's place. */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'binding.gyp'))) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('owlet: cannot find its package folder (package.json beside binding.gyp)');
    dir = up;
  }
}

/** owlet's version, from its package.json. */
export function owletVersion(): string {
  if (version !== null) return version;
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return (version = typeof pkg.version === 'string' ? pkg.version : '0.0.0');
}

/** Where owlet caches what it writes once (the main job's PNGs): OWLET_CACHE, else `<package>/.owlet-cache`, else `~/.cache/owlet` where the package folder is read-only. */
export function owletCacheDir(): string {
  const env = process.env['OWLET_CACHE'];
  if (env !== undefined && env !== '') return resolve(env);
  const dir = packageRoot();
  try {
    accessSync(dir, constants.W_OK);
    return join(dir, '.owlet-cache');
  } catch {
    return join(homedir(), '.cache', 'owlet');
  }
}
