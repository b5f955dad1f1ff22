/**
 * Finding files: fastai's `get_files` / `get_image_files`.
 *
 * fastai walks the folder with `os.walk`, which lists each folder in the file system's own order
 * (on ext4, hash order), so the same folder can give a different list — and so a different split —
 * on another machine. owlet walks the same way (each folder's files first, then its sub-folders,
 * top-down, skipping names that start with '.') but sorts each folder's listing by code point, as
 * Python's `sorted()` would: the list, and everything derived from it, is the same everywhere.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The image file extensions `getImageFiles` looks for (lower case, with the dot). */
export const imageExtensions: readonly string[] = [
  '.jpg', '.jpeg', '.jpe', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff',
];

/** Python's ordering of strings: by code point (JavaScript's default sort compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export interface GetFilesOptions {
  /** Extensions to keep (case-insensitive, with or without the dot); all files when absent. */
  extensions?: readonly string[];
  /** Walk sub-folders (default true). */
  recurse?: boolean;
  /** Only these sub-folders of the top folder (fastai's `folders`), e.g. ['train', 'valid']. */
  folders?: readonly string[];
  /** Follow symbolic links to folders (default true, as fastai). */
  followLinks?: boolean;
}

function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? `.${name.toLowerCase()}` : name.slice(dot).toLowerCase();
}

/** fastai's `get_files`: the files under `path`, in the order described above, as absolute paths. */
export function getFiles(path: string, options: GetFilesOptions = {}): string[] {
  const root = resolve(path);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new Error(`getFiles: no such folder: ${root}`);
  }
  if (!st.isDirectory()) throw new Error(`getFiles: not a folder: ${root}`);
  const exts = options.extensions ? new Set(options.extensions.map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase())) : null;
  const recurse = options.recurse ?? true;
  const followLinks = options.followLinks ?? true;
  const folders = options.folders ?? [];
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, top: boolean): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: os.walk skips it too
    }
    const names = entries.map((e) => e.name).sort(compareCodePoints);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const subdirs: string[] = [];
    for (const name of names) {
      const e = byName.get(name)!;
      const full = join(dir, name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const s = statSync(full);
          isDir = s.isDirectory() && followLinks;
          isFile = s.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) subdirs.push(name);
      else if (isFile && !(top && folders.length > 0 && !folders.includes('.'))) {
        if (!name.startsWith('.') && (exts === null || exts.has(extOf(name)))) out.push(full);
      }
    }
    if (!recurse) return;
    for (const name of subdirs) {
      if (top && folders.length > 0 ? !folders.includes(name) : name.startsWith('.')) continue;
      const full = join(dir, name);
      let real = full;
      try {
        real = statSync(full).ino + ':' + statSync(full).dev;
      } catch { /* keep the path */ }
      if (seen.has(real)) continue; // a link loop
      seen.add(real);
      walk(full, false);
    }
  };
  walk(root, true);
  return out;
}

/** fastai's `get_image_files`: the image files under `path` (recursive; see `imageExtensions`). */
export function getImageFiles(path: string, options: Omit<GetFilesOptions, 'extensions'> = {}): string[] {
  return getFiles(path, { ...options, extensions: imageExtensions });
}
