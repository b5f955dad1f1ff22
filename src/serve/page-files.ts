/**
 * The files the server hands out: the page (src/serve/static/, read once at start) and the example
 * images of `--examples <folder>` (listed once; served by name from that list only, so no request
 * path reaches the file system).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { CONTENT_TYPES, loadStaticFiles, staticDirOf, type StaticFile } from '../http/index.js';

/** src/serve/static, found from the compiled file in dist/src/serve/ or from the source. */
export function pageDir(): string {
  return staticDirOf(import.meta.url, 'serve', 'owlet serve');
}

/** The page's files keyed by URL path ('/' is index.html). */
export function loadPage(dir = pageDir()): Map<string, StaticFile> {
  return loadStaticFiles(dir);
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
  return names.slice(0, max).map((n) => ({ name: basename(n), url: `/examples/${encodeURIComponent(n)}`, file: join(dir, n), type: CONTENT_TYPES[extname(n).toLowerCase()]! }));
}
