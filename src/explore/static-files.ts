/** The page's files (src/explore/static/), served read-only from a fixed list. */
import { loadStaticFiles, staticDirOf, type StaticFile } from '../http/index.js';

/** src/explore/static, found from the compiled file in dist/src/explore/ or from the source. */
export function staticDir(): string {
  return staticDirOf(import.meta.url, 'explore', 'owlet explore');
}

/** Every file under the static folder, keyed by its URL path ('/' is index.html). */
export function loadStatic(dir = staticDir()): Map<string, StaticFile> {
  return loadStaticFiles(dir);
}
