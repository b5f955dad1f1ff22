/** owlet's version, from its package.json (read once). */
import { readFileSync } from 'node:fs';

let cached: string | null = null;

export function owletVersion(): string {
  if (cached !== null) return cached;
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'owlet' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // try the next place
    }
  }
  return (cached = '0.0.0');
}
