/**
 * The files the server hands out: the page (src/serve/static/, read once at start) and the example
 * images of `--examples <folder>` (listed once; served by name from that list only, so no request
 * path reaches the file system).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
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

/** src/serve/static, found from the compiled file in dist/src/serve/ or from the source. */
export function pageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, 'static'), join(here, '..', '..', '..', 'src', 'serve', 'static')]) if (existsSync(join(dir, 'index.html'))) return dir;
  throw new Error(`owlet serve: the page's files are missing (looked for src/serve/static/index.html near ${here})`);
}

/** The page's files keyed by URL path ('/' is index.html). */
export function loadPage(dir = pageDir()): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type !== undefined && statSync(join(dir, name)).isFile()) files.set(`/${name}`, { type, body: readFileSync(join(dir, name)) });
  }
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}

const IMAGE_EXTS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff']);

export interface Example {
  name: string;
  /** The URL path it is served at. */
  url: string;
  file: string;
  type: string;
}

/** The images directly in `folder` (sorted, at most `max`), or an Error saying what is wrong with the folder. */
export function listExamples(folder: string, max = 24): Example[] {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new Error(`the examples folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new Error(`--examples takes a folder of images; ${dir} is a file`);
  const names = readdirSync(dir).filter((n) => IMAGE_EXTS.has(extname(n).toLowerCase()) && statSync(join(dir, n)).isFile()).sort();
  if (names.length === 0) throw new Error(`the examples folder ${dir} has no images (.jpg, .png, .webp, .gif, .bmp, .tif)`);
  return names.slice(0, max).map((n) => ({ name: basename(n), url: `/examples/${encodeURIComponent(n)}`, file: join(dir, n), type: TYPES[extname(n).toLowerCase()]! }));
}
