/**
 * A page's files, read once at start and served from that fixed list, so that no request path
 * reaches the file system.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Content types by extension: the page's own files and the images it shows. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

export interface StaticFile {
  type: string;
  body: Buffer;
}

/**
 * The folder `static` beside a module of src/<part>/ (`moduleUrl`: its import.meta.url), found from
 * the compiled file in dist/src/<part>/ or from the source; `command` names it in the error.
 */
export function staticDirOf(moduleUrl: string, part: string, command: string): string {
  const here = dirname(fileURLToPath(moduleUrl));
  for (const dir of [join(here, 'static'), join(here, '..', '..', '..', 'src', part, 'static')]) if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error(`${command}: the page's files are missing (looked for src/${part}/static/index.html near ${here})`);
}

/** Every file of a known type under `dir`, keyed by its URL path ('/js/main.js'; '/' is index.html). */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const type = CONTENT_TYPES[extname(e.name).toLowerCase()];
      if (e.isDirectory()) walk(p, `${prefix}${e.name}/`);
      else if (e.isFile() && type !== undefined) files.set(`${prefix}${e.name}`, { type, body: readFileSync(p) });
    }
  };
  walk(dir, '/');
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}
