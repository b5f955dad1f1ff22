/** The page's files (src/explore/static/), served read-only from a fixed list. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** src/explore/static, found from the compiled file in dist/src/explore/ or from the source. */
export function staticDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, 'static'), join(here, '..', '..', '..', 'src', 'explore', 'static')]) if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error(`owlet explore: the page's files are missing (looked for src/explore/static/index.html near ${here})`);
}

export interface StaticFile {
  type: string;
  body: Buffer;
}

/** Every file under the static folder, keyed by its URL path ('/' is index.html). */
export function loadStatic(dir = staticDir()): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, `${prefix}${e.name}/`);
      else if (TYPES[extname(e.name)]) files.set(`${prefix}${e.name}`, { type: TYPES[extname(e.name)]!, body: readFileSync(p) });
    }
  };
  walk(dir, '/');
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}
